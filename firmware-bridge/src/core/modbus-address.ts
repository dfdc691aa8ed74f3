/**
 * Mapping between the "Modicon" reference numbers of device manuals (00001 coils, 10001 discrete
 * inputs, 30001 input registers, 40001 holding registers; and the 6-digit forms 000001/100001/
 * 300001/400001) and the 0-based wire addresses this package uses in configs and profiles.
 */
import type { RegisterKind } from '../modbus/modbus-link.js';

export interface WireAddress {
  kind: RegisterKind;
  /** 0-based address sent in the PDU. */
  address: number;
}

const PREFIX_KIND: Record<string, RegisterKind> = { '0': 'coil', '1': 'discrete', '3': 'input', '4': 'holding' };

/**
 * `40001` → holding 0, `30010` → input 9, `400001` → holding 0, `465536` → holding 65535.
 * Returns `undefined` for a reference that is not one of these forms.
 */
export function fromReference(reference: string | number): WireAddress | undefined {
  const text = String(reference);
  if (!/^[0134][0-9]{4,5}$/.test(text)) return undefined;
  const kind = PREFIX_KIND[text[0]!]!;
  const offset = Number(text.slice(1));
  if (offset < 1 || (text.length === 5 && offset > 9999) || offset > 65536) return undefined;
  return { kind, address: offset - 1 };
}

const KIND_PREFIX: Record<RegisterKind, string> = { coil: '0', discrete: '1', input: '3', holding: '4' };

/** Holding 0 → `40001`; addresses above 9998 use the 6-digit form (`410000`). */
export function toReference(kind: RegisterKind, address: number): string {
  const offset = address + 1;
  const width = offset > 9999 ? 5 : 4;
  return `${KIND_PREFIX[kind]}${String(offset).padStart(width, '0')}`;
}
