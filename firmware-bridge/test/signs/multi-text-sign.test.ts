import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCitybayError } from '@citybay/common';
import { afterEach, describe, expect, it } from 'vitest';
import { createPtyPair, type PtyPair } from '../../src/emulators/pty-pair.js';
import { serveVirtualTextSign, type VirtualTextSign } from '../../src/emulators/virtual-text-sign.js';
import { loadProfile } from '../../src/profiles/load-profile.js';
import { createMultiTextSign, type MultiTextSign, textSignConfig } from '../../src/signs/multi-text-sign.js';
import { requireTool } from '../helpers/require-tool.js';

const signConfig = { lines: 2, charsPerLine: 12, fonts: [1] };

requireTool(existsSync('/usr/bin/socat'), 'socat');

describe('MULTI text sign over a framed serial line', () => {
  let pair: PtyPair | undefined;
  let virtual: VirtualTextSign | undefined;
  let sign: MultiTextSign | undefined;

  afterEach(async () => {
    await sign?.close();
    await virtual?.close();
    await pair?.close();
  });

  async function setup(virtualConfig = signConfig) {
    const dir = mkdtempSync(join(tmpdir(), 'cb-sign-'));
    pair = await createPtyPair(join(dir, 'driver'), join(dir, 'sign'));
    virtual = await serveVirtualTextSign({ path: pair.pathB, sign: virtualConfig });
    // Generous: a loaded CI machine must not turn a slow ACK into a resend.
    sign = createMultiTextSign({ id: 'vms-1', path: pair.pathA, sign: signConfig, ackTimeoutMs: 1000, retries: 1 });
    return { virtual, sign };
  }

  it('shows a message, reads it back, blanks, and reports health', async () => {
    const { virtual, sign } = await setup();
    await sign.show({
      lines: [
        { label: 'P1', arrow: 'left', value: 23, colour: 'green' },
        { label: 'P2', arrow: 'right', value: 'CLOSED', colour: 'red' },
      ],
    });
    expect(virtual.currentMulti).toBe('[jl2][cf3]P1 < 23[nl][jl2][cf1]P2 > CLOSED');
    expect(virtual.shown).toHaveLength(1);
    const readBack = await sign.readBack();
    expect(readBack.message!.lines[1]).toEqual({ label: 'P2', arrow: 'right', value: 'CLOSED', colour: 'red' });
    virtual.setFaults(['doorOpen']);
    expect(await sign.health()).toMatchObject({ isOnline: true, faults: ['doorOpen'] });
    await sign.blank();
    expect((await sign.readBack()).message).toBeNull();
  });

  it("draws arrows with the sign font's glyphs and lays out label left, count right (text-sign-3x16)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-sign-'));
    pair = await createPtyPair(join(dir, 'driver'), join(dir, 'sign'));
    const config = textSignConfig(await loadProfile('text-sign-3x16'));
    virtual = await serveVirtualTextSign({ path: pair.pathB, sign: config });
    sign = createMultiTextSign({ id: 'vms-3', path: pair.pathA, sign: config, ackTimeoutMs: 1000, retries: 1 });
    const message = {
      lines: [
        { label: 'P1', arrow: 'left' as const, value: 23, colour: 'green' as const },
        { label: 'P2', arrow: 'ahead-right' as const, value: 'FULL' as const, colour: 'red' as const },
        { label: 'P3', arrow: 'none' as const, value: 112, colour: 'green' as const },
      ],
    };
    await sign.show(message);
    expect(virtual.currentMulti).toBe(
      '[jl2][cf3]P1 [hc80][jl4]23[nl][jl2][cf1]P2 [hc84][jl4]FULL[nl][jl2][cf3]P3[jl4]112',
    );
    expect(virtual.shown.at(-1)!.rows).toEqual(['P1 \u0080          23', 'P2 \u0084        FULL', 'P3           112']);
    expect((await sign.readBack()).message).toEqual(message);
  });

  it('refuses invalid MULTI before sending it', async () => {
    const { virtual, sign } = await setup();
    const err = await sign.showMulti('P1 [zz] 5').catch((e: unknown) => e);
    expect(isCitybayError(err, 'CB_SIGN_REJECTED')).toBe(true);
    expect((err as Error).message).toMatch(/unsupportedTag at 4/);
    expect(virtual.shown).toHaveLength(0);
  });

  it('refuses MULTI longer than one frame carries', async () => {
    const { virtual, sign } = await setup();
    const pages = Array.from({ length: 200 }, () => '[jl2][cf3][fo1][pt30o0]P1 12[nl]P2 34').join('[np]');
    const err = await createMultiTextSign({ id: 'big', path: '/dev/null', sign: { ...signConfig, maxPages: 255 } })
      .showMulti(pages)
      .catch((e: unknown) => e);
    expect(isCitybayError(err, 'CB_SIGN_REJECTED')).toBe(true);
    expect((err as Error).message).toMatch(/textTooBig: \d+ bytes/);
    expect(virtual.shown).toHaveLength(0);
    expect(sign.id).toBe('vms-1');
  });

  it("turns the sign's own NAK into CB_SIGN_REJECTED with the NTCIP syntax error", async () => {
    // The physical sign has fewer characters per line than the driver was told.
    const { virtual, sign } = await setup({ lines: 2, charsPerLine: 6, fonts: [1] });
    const err = await sign.showMulti('P1 < 1234').catch((e: unknown) => e);
    expect(isCitybayError(err, 'CB_SIGN_REJECTED')).toBe(true);
    expect((err as Error).message).toMatch(/textTooBig at 7/);
    expect(virtual.refused).toMatchObject([{ error: 'textTooBig', position: 7 }]);
  });

  it('resends after a lost or corrupted acknowledgement, then gives up with CB_SIGN_NO_ACK', async () => {
    const { virtual, sign } = await setup();
    virtual.injectFault({ kind: 'corrupt-reply', count: 1 });
    await sign.showMulti('P1 5');
    expect(virtual.shown.map((s) => s.multi)).toEqual(['P1 5', 'P1 5']);
    virtual.injectFault({ kind: 'no-ack', count: 2 });
    const err = await sign.showMulti('P1 6').catch((e: unknown) => e);
    expect(isCitybayError(err, 'CB_SIGN_NO_ACK')).toBe(true);
    expect(await sign.health()).toMatchObject({ isOnline: true });
  });
});
