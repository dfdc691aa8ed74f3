import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Gpio } from 'onoff';
import { describe, expect, it, vi } from 'vitest';
import { Debouncer } from '../../src/core/debouncer.js';
import type { InputEvent } from '../../src/gpio/digital-io.js';
import { createFakeDigitalIO } from '../../src/gpio/digital-io-fake.js';
import { createDigitalIO, createOnoffDigitalIO } from '../../src/gpio/digital-io-onoff.js';
import { isCitybayError } from '@citybay/common';
import { findGpioChip, listGpioChips } from '../../src/gpio/gpio-chip.js';

describe('Debouncer', () => {
  it('ignores bounces shorter than the debounce time and counts real edges', () => {
    const d = new Debouncer(17, 0, 20);
    expect(d.raw(1, 0)).toBe(20);
    expect(d.raw(0, 5)).toBeUndefined();
    expect(d.settle(0, 20)).toBeUndefined();
    expect(d.raw(1, 30)).toBe(50);
    expect(d.settle(1, 49)).toBeUndefined();
    expect(d.settle(1, 50)).toEqual({ line: 17, value: 1, edge: 'rising', atMs: 30 });
    expect(d.raw(0, 60)).toBe(80);
    expect(d.settle(0, 85)).toMatchObject({ edge: 'falling', value: 0 });
    expect(d.counts).toEqual({ rising: 1, falling: 1 });
  });

  it('keeps a change pending when asked too early, and says when to ask again', () => {
    const d = new Debouncer(3, 0, 20);
    expect(d.pendingDueMs).toBeUndefined();
    d.raw(1, 100);
    expect(d.settle(1, 119)).toBeUndefined();
    expect(d.pendingDueMs).toBe(120);
    expect(d.settle(1, 120)).toMatchObject({ edge: 'rising' });
    expect(d.pendingDueMs).toBeUndefined();
    d.raw(0, 200);
    expect(d.settle(1, 230)).toBeUndefined();
    expect(d.pendingDueMs).toBeUndefined();
  });
});

describe('fake DigitalIO', () => {
  it('fires no edge for a change still pending when the DigitalIO closes, and frees the line', async () => {
    const io = createFakeDigitalIO();
    const input = await io.openInput({ line: 9, debounceMs: 30 });
    const events: InputEvent[] = [];
    input.onEdge((event) => events.push(event));
    io.setLevel(9, 1);
    await io.close();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(events).toEqual([]);
    // The line can be opened again after close.
    const again = await io.openInput({ line: 9, debounceMs: 30 });
    expect(await again.read()).toBe(1);
  });

  it('counts vehicles on a loop detector input with debounce and both edges', async () => {
    const io = createFakeDigitalIO();
    const loop = await io.openInput({ line: 5, debounceMs: 5, isActiveLow: true });
    const events: InputEvent[] = [];
    loop.onEdge((event) => events.push(event));
    // Active-low: the detector relay pulls the line to 0 while a vehicle is over the loop.
    for (let vehicle = 0; vehicle < 3; vehicle++) {
      io.setLevel(5, 0);
      io.setLevel(5, 1);
      io.setLevel(5, 0);
      await vi.waitFor(() => expect(events.length, 'rising edge').toBe(vehicle * 2 + 1), {
        timeout: 2000,
        interval: 10,
      });
      io.setLevel(5, 1);
      await vi.waitFor(() => expect(events.length, 'falling edge').toBe(vehicle * 2 + 2), {
        timeout: 2000,
        interval: 10,
      });
    }
    expect(events.map((e) => e.edge)).toEqual(['rising', 'falling', 'rising', 'falling', 'rising', 'falling']);
    expect(loop.edgeCounts()).toEqual({ rising: 3, falling: 3 });
    expect(await loop.read()).toBe(0);
    await io.close();
  });

  it('drives outputs (active-low relay) and counts watchdog kicks', async () => {
    const io = createFakeDigitalIO();
    const relay = await io.openOutput({ line: 6, isActiveLow: true });
    expect(io.outputLevel(6)).toBe(1);
    await relay.write(1);
    expect(io.outputLevel(6)).toBe(0);
    await io.kickWatchdog();
    await io.kickWatchdog();
    expect(io.watchdogKicks).toBe(2);
    await expect(io.openInput({ line: 6 })).rejects.toThrow(/already open/);
  });

  it('is what createDigitalIO gives where GPIO is not accessible', async () => {
    const io = await createDigitalIO();
    expect(io.backend).toBe(Gpio.accessible ? 'onoff' : 'fake');
  });
});

describe('GPIO chip base', () => {
  function sysfs(chips: { name: string; base: number; ngpio: number; label: string }[]) {
    const root = mkdtempSync(join(tmpdir(), 'cb-gpio-'));
    for (const chip of chips) {
      mkdirSync(join(root, chip.name));
      writeFileSync(join(root, chip.name, 'base'), `${chip.base}\n`);
      writeFileSync(join(root, chip.name, 'ngpio'), `${chip.ngpio}\n`);
      writeFileSync(join(root, chip.name, 'label'), `${chip.label}\n`);
    }
    writeFileSync(join(root, 'export'), '');
    return root;
  }

  it('finds the Pi 4 header controller at base 512 and the Pi 5 RP1 at 571', async () => {
    const pi4 = sysfs([
      { name: 'gpiochip512', base: 512, ngpio: 58, label: 'pinctrl-bcm2711' },
      { name: 'gpiochip570', base: 570, ngpio: 8, label: 'raspberrypi-exp-gpio' },
    ]);
    expect(await findGpioChip({ sysfsRoot: pi4 })).toMatchObject({ base: 512, label: 'pinctrl-bcm2711' });
    const pi5 = sysfs([
      { name: 'gpiochip512', base: 512, ngpio: 32, label: 'gpio-brcmstb@107d508500' },
      { name: 'gpiochip571', base: 571, ngpio: 54, label: 'pinctrl-rp1' },
    ]);
    expect(await findGpioChip({ sysfsRoot: pi5 })).toMatchObject({ base: 571, label: 'pinctrl-rp1' });
    expect(await findGpioChip({ sysfsRoot: pi5, label: 'gpio-brcmstb@107d508500' })).toMatchObject({ base: 512 });
    expect((await listGpioChips(pi5)).map((c) => c.base)).toEqual([512, 571]);
  });

  it('refuses to open onoff GPIO without a chip, with CB_GPIO_UNAVAILABLE', async () => {
    const err = await createOnoffDigitalIO({ sysfsRoot: '/nonexistent' }).catch((e: unknown) => e);
    expect(isCitybayError(err, 'CB_GPIO_UNAVAILABLE')).toBe(true);
  });

  it('falls back to the lowest base, and finds nothing without sysfs GPIO', async () => {
    const other = sysfs([
      { name: 'gpiochip100', base: 100, ngpio: 8, label: 'x' },
      { name: 'gpiochip0', base: 0, ngpio: 32, label: 'y' },
    ]);
    expect(await findGpioChip({ sysfsRoot: other })).toMatchObject({ base: 0 });
    expect(await findGpioChip({ sysfsRoot: '/nonexistent' })).toBeUndefined();
  });
});
