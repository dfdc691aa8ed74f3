import type { SignMessage } from '@citybay/firmware-bridge';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { FieldSignReader } from '../../src/twin/field-sign-reader.js';
import { faceKeyOf, LoopLatency } from '../../src/twin/loop-latency.js';
import type { TwinEmulators } from '../../src/twin/twin-emulators.js';

const PUBLIC = ['standard', 'family'];
const sign = (signId: string, unitId: number, lotIds: string[]) => ({
  siteId: 'hospital',
  signId,
  location: signId,
  emulator: 'hospital-signs',
  unitId,
  labels: lotIds,
  areas: lotIds.map((lotId) => ({ lotId, kinds: PUBLIC })),
});
const message = (...values: Array<number | 'FULL'>): SignMessage => ({
  lines: values.map((value) => ({ label: '', arrow: 'ahead', value, colour: value === 'FULL' ? 'red' : 'green' })),
});

/** One sign emulator with two units: the writes the edges made, and what each unit shows now. */
function fakeEmulators() {
  const shown: Array<{ unitId: number; atMs: number; message: SignMessage | null }> = [];
  const now = new Map<number, SignMessage>();
  const emulator = { shown, signMessage: (unitId: number) => now.get(unitId) ?? null };
  const emulators = { of: () => emulator } as unknown as TwinEmulators;
  const write = (unitId: number, atMs: number, face: SignMessage) => {
    shown.push({ unitId, atMs, message: face });
    now.set(unitId, face);
  };
  return { emulators, write };
}

describe('FieldSignReader', () => {
  it("passes each sign's own writes to the loop latency once, and sends drivers where the scenario's signs do", () => {
    const { emulators, write } = fakeEmulators();
    const latency = new LoopLatency();
    const reader = new FieldSignReader(
      [sign('G-west', 1, ['H', 'P2']), sign('H-entrance', 2, ['H'])],
      emulators,
      latency,
      pino({ level: 'silent' }),
    );
    const shownTo: Array<[string, string | undefined]> = [];
    const show = (signId: string, lotId: string | undefined) => shownTo.push([signId, lotId]);
    write(1, 0, message(7, 40));
    write(2, 0, message(7));
    reader.readAll(new Set(['G-west']), show);
    latency.faceDue('G-west', faceKeyOf(message('FULL', 40).lines), 1_000);
    // H-entrance shows the face G-west must show; a refresh of G-west's old face; then G-west's new face.
    write(2, 1_100, message('FULL', 40));
    write(1, 1_200, message(7, 40));
    reader.readAll(new Set(['G-west']), show);
    write(1, 1_700, message('FULL', 40));
    reader.readAll(new Set(['G-west']), show);
    reader.readAll(new Set(['G-west']), show);
    expect(latency.summary().dueFaceToSign).toMatchObject({ count: 1, medianMs: 700 });
    expect(shownTo).toEqual([
      ['G-west', 'H'],
      ['G-west', 'H'],
      ['G-west', 'P2'],
      ['G-west', 'P2'],
    ]);
    expect(Object.fromEntries(reader.sentTo)).toEqual({ 'G-west': 'P2' });
    expect(reader.faces().map((f) => [f.signId, faceKeyOf(f.message?.lines)])).toEqual([
      ['G-west', 'FULL/red|40/green'],
      ['H-entrance', 'FULL/red|40/green'],
    ]);
  });
});
