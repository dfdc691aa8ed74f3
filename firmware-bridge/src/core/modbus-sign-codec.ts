/**
 * Message ↔ holding registers of a Modbus-register guidance sign (device profile of kind `sign`).
 * Per line: count, arrow code, colour code, mode (0 count, 1 FULL, 2 CLOSED, 3 blank). Lot labels
 * are printed on such signs, so they are not in the registers.
 */

import type { SignSection } from '../profiles/device-profile.js';
import type { SignArrow, SignColour, SignLine, SignMessage } from '../signs/guidance-sign.js';

export const SIGN_MODE = { count: 0, full: 1, closed: 2, blank: 3 } as const;
const AUTO_BRIGHTNESS = 0xffff;

export interface RegisterWrite {
  address: number;
  value: number;
}

/** Why a message does not fit the sign, or `undefined` when it does. */
export function checkModbusSignMessage(sign: SignSection, message: SignMessage): string | undefined {
  if (message.lines.length > sign.lines.length) return `too many lines: ${message.lines.length} > ${sign.lines.length}`;
  for (const [i, line] of message.lines.entries()) {
    if (typeof line.value === 'object') return `lines[${i}].value: this sign shows no free text`;
    if (typeof line.value === 'number' && (!Number.isInteger(line.value) || line.value < 0)) {
      return `lines[${i}].value: count must be a non-negative integer`;
    }
    if (sign.arrowCodes[line.arrow] === undefined) return `lines[${i}].arrow: unsupported arrow "${line.arrow}"`;
    if (sign.colourCodes[line.colour] === undefined) return `lines[${i}].colour: unsupported colour "${line.colour}"`;
  }
  const b = message.brightnessPct;
  if (b !== undefined && (!Number.isInteger(b) || b < 0 || b > 100)) return 'brightnessPct: expected 0..100';
  return undefined;
}

/** Register writes for a message (already checked) or for blanking (`null`), in address order. */
export function encodeModbusSign(sign: SignSection, message: SignMessage | null): RegisterWrite[] {
  const writes: RegisterWrite[] = [];
  const maxCount = sign.maxCount ?? 9999;
  sign.lines.forEach((registers, i) => {
    const line = message?.lines[i];
    if (line === undefined) {
      writes.push({ address: registers.mode, value: SIGN_MODE.blank }, { address: registers.count, value: 0 });
      return;
    }
    const mode = line.value === 'FULL' ? SIGN_MODE.full : line.value === 'CLOSED' ? SIGN_MODE.closed : SIGN_MODE.count;
    writes.push(
      { address: registers.count, value: typeof line.value === 'number' ? Math.min(line.value, maxCount) : 0 },
      { address: registers.arrow, value: sign.arrowCodes[line.arrow] ?? 0 },
      { address: registers.colour, value: sign.colourCodes[line.colour] ?? 0 },
      { address: registers.mode, value: mode },
    );
  });
  writes.push({ address: sign.brightness, value: message?.brightnessPct ?? AUTO_BRIGHTNESS });
  return writes.sort((a, b) => a.address - b.address);
}

/** Groups writes into runs of contiguous addresses (one FC16 request each). */
export function contiguousRuns(writes: readonly RegisterWrite[]): { address: number; values: number[] }[] {
  const runs: { address: number; values: number[] }[] = [];
  for (const write of writes) {
    const last = runs[runs.length - 1];
    if (last !== undefined && last.address + last.values.length === write.address) last.values.push(write.value);
    else runs.push({ address: write.address, values: [write.value] });
  }
  return runs;
}

/** Decodes what the sign holds; `labels` are the labels printed on the sign face. `null` when blank. */
export function decodeModbusSign(
  sign: SignSection,
  holding: (address: number) => number,
  labels: readonly string[] = [],
): SignMessage | null {
  const arrowByCode = invert(sign.arrowCodes) as Map<number, SignArrow>;
  const colourByCode = invert(sign.colourCodes) as Map<number, SignColour>;
  const lines: SignLine[] = [];
  let isBlank = true;
  for (const [i, registers] of sign.lines.entries()) {
    const mode = holding(registers.mode);
    if (mode === SIGN_MODE.blank) break;
    isBlank = false;
    lines.push({
      label: labels[i] ?? '',
      arrow: arrowByCode.get(holding(registers.arrow)) ?? 'none',
      colour: colourByCode.get(holding(registers.colour)) ?? 'amber',
      value: mode === SIGN_MODE.full ? 'FULL' : mode === SIGN_MODE.closed ? 'CLOSED' : holding(registers.count),
    });
  }
  if (isBlank) return null;
  const brightness = holding(sign.brightness);
  return brightness === AUTO_BRIGHTNESS ? { lines } : { lines, brightnessPct: brightness };
}

function invert(codes: Record<string, number>): Map<number, string> {
  return new Map(Object.entries(codes).map(([name, code]) => [code, name]));
}
