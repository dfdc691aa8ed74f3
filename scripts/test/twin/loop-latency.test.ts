import { describe, expect, it } from 'vitest';
import { faceKeyOf, LoopLatency } from '../../src/twin/loop-latency.js';

const face = (...values: Array<number | 'FULL'>) =>
  faceKeyOf(values.map((value) => ({ value, colour: value === 'FULL' ? 'red' : 'green' })));

describe('LoopLatency: due face -> sign', () => {
  it('leaves out a bay change no face shows: the refresh write that ends the earlier measure ends nothing', () => {
    const latency = new LoopLatency();
    latency.signWritten('G-west', ['H'], 0, face('FULL', 40));
    // H is FULL: a car leaving (below the hysteresis) changes a bay but not the face; the sign's refresh 30 s later.
    latency.bayChanged('H', 1_000);
    latency.faceDue('G-west', face('FULL', 40), 1_000);
    latency.signWritten('G-west', ['H'], 31_000, face('FULL', 40));
    const { dueFaceToSign, sensorToSign } = latency.summary();
    expect(sensorToSign).toMatchObject({ count: 1, medianMs: 30_000 });
    expect(dueFaceToSign).toMatchObject({ count: 0, superseded: 0, pending: 0 });
  });

  it('ends at the first write showing the due face, not at a write still showing the old one', () => {
    const latency = new LoopLatency();
    latency.signWritten('G-west', ['H'], 0, face(7, 40));
    latency.bayChanged('H', 1_000);
    latency.faceDue('G-west', face(6, 40), 1_000);
    // A refresh of the old face first (the edge had not seen the bay yet), then the new face.
    latency.signWritten('G-west', ['H'], 1_200, face(7, 40));
    latency.signWritten('G-west', ['H'], 1_900, face(6, 40));
    latency.signWritten('G-west', ['H'], 5_000, face(6, 40));
    const { dueFaceToSign, sensorToSign } = latency.summary();
    expect(sensorToSign).toMatchObject({ count: 1, medianMs: 200 });
    expect(dueFaceToSign).toMatchObject({ count: 1, medianMs: 900, superseded: 0, pending: 0 });
  });

  it('counts a face replaced before any write showed it as superseded, and one already shown as nothing due', () => {
    const latency = new LoopLatency();
    latency.signWritten('G-west', [], 0, face(7));
    latency.faceDue('G-west', face(6), 100);
    latency.faceDue('G-west', face(6), 200);
    latency.faceDue('G-west', face(5), 300);
    latency.signWritten('G-west', [], 800, face(5));
    expect(latency.summary().dueFaceToSign).toMatchObject({ count: 1, medianMs: 500, superseded: 1 });
    // Back and forth faster than the edge plans: the sign already shows what is due, so nothing waits.
    latency.faceDue('G-west', face(4), 1_000);
    latency.faceDue('G-west', face(5), 1_100);
    latency.signWritten('G-west', [], 5_000, face(5));
    expect(latency.summary().dueFaceToSign).toMatchObject({ count: 1, superseded: 2, pending: 0 });
    // A face no write ever shows stays pending.
    latency.faceDue('G-east', face('FULL'), 6_000);
    expect(latency.summary().dueFaceToSign.pending).toBe(1);
  });

  it('keys a face by what a driver reads: value and colour per line', () => {
    expect(faceKeyOf([{ value: 'FULL', colour: 'red' }])).not.toBe(faceKeyOf([{ value: 'FULL', colour: 'amber' }]));
    expect(
      faceKeyOf([
        { value: { text: 'P+R' }, colour: 'green' },
        { value: 12, colour: 'green' },
      ]),
    ).toBe('"P+R"/green|12/green');
    expect(faceKeyOf(undefined)).toBe('');
  });
});
