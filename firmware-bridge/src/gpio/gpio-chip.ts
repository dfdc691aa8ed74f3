/**
 * Finds the sysfs GPIO number base of the main GPIO chip. Raspberry Pi kernels from 6.6 number
 * sysfs lines from the chip base (512 on a Pi 4 — `pinctrl-bcm2711`; 571 on a Pi 5 — `pinctrl-rp1`)
 * instead of 0, so BCM line N is sysfs GPIO `base + N`. Never hard-code the base: read it.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface GpioChipInfo {
  name: string;
  base: number;
  ngpio: number;
  label: string;
}

/** Labels of the Raspberry Pi header GPIO controllers, most specific first. */
export const PI_GPIO_LABELS = [
  'pinctrl-rp1',
  'pinctrl-bcm2712',
  'pinctrl-bcm2711',
  'pinctrl-bcm2835',
  'raspberrypi-exp-gpio',
];

export async function listGpioChips(sysfsRoot = '/sys/class/gpio'): Promise<GpioChipInfo[]> {
  let names: string[];
  try {
    names = (await readdir(sysfsRoot)).filter((name) => /^gpiochip[0-9]+$/.test(name));
  } catch {
    return [];
  }
  const chips: GpioChipInfo[] = [];
  for (const name of names) {
    const read = async (file: string) => (await readFile(join(sysfsRoot, name, file), 'utf8')).trim();
    try {
      chips.push({
        name,
        base: Number(await read('base')),
        ngpio: Number(await read('ngpio')),
        label: await read('label'),
      });
    } catch {
      // A chip without readable attributes is not usable through sysfs.
    }
  }
  return chips.sort((a, b) => a.base - b.base);
}

/**
 * The chip whose label is `label` (when given), else the first Raspberry Pi header controller,
 * else the chip with the lowest base. `undefined` when sysfs GPIO is absent.
 */
export async function findGpioChip(
  options: { sysfsRoot?: string; label?: string } = {},
): Promise<GpioChipInfo | undefined> {
  const chips = await listGpioChips(options.sysfsRoot);
  if (options.label !== undefined) return chips.find((chip) => chip.label === options.label);
  for (const label of PI_GPIO_LABELS) {
    const chip = chips.find((c) => c.label === label);
    if (chip !== undefined) return chip;
  }
  return chips[0];
}
