import { isCitybayError } from '@citybay/common';
import { describe, expect, it } from 'vitest';
import { SampleSite } from '../src/testing/index.js';
import { decodeSyncRequest, decodeSyncResponse, encodeSyncRequest, encodeSyncResponse } from '../src/wire-codec.js';
import { isValidSeq, SEQ_LIMIT } from '../src/wire-validation.js';
import type { SyncRequest } from '../src/wire-types.js';
import { AreaStatus, BayKind, messages } from '../src/wire-types.js';

// Buffers (what protobufjs decodes bytes into on Node) and Uint8Arrays compare by content.
const plain = (value: unknown): unknown =>
  JSON.parse(
    JSON.stringify(value, (_key, v) => (v instanceof Uint8Array ? Array.from(v) : v?.type === 'Buffer' ? v.data : v)),
  );

const sampleRequest = (): SyncRequest => new SampleSite({ bayCount: 500, seed: 7 }).syncRequest(41, 5);

function expectWireError(fn: () => unknown, code: string, path?: string): void {
  try {
    fn();
  } catch (err) {
    expect(isCitybayError(err, code), `expected ${code}, got ${String(err)}`).toBe(true);
    if (path !== undefined) expect((err as { path?: string }).path).toBe(path);
    return;
  }
  throw new Error(`expected ${code}, nothing was thrown`);
}

describe('SyncRequest codec', () => {
  it('round-trips a realistic batch field for field', () => {
    const request = sampleRequest();
    const decoded = decodeSyncRequest(encodeSyncRequest(request));
    expect(decoded.siteId).toBe('hospital-north');
    expect(decoded.summaries).toHaveLength(5);
    expect(decoded.summaries?.[0]?.seq).toBe(41);
    expect(typeof decoded.summaries?.[0]?.windowStartMs).toBe('number');
    // Normalise the original the same way the decoder does (defaults dropped) and compare everything.
    const normalised = messages.SyncRequest.toObject(messages.SyncRequest.fromObject(request), {
      longs: Number,
      enums: Number,
      bytes: Uint8Array,
      arrays: true,
      defaults: true,
    });
    // The decoder gives change-only summaries, which leave them out on the wire, the request's ids.
    for (const summary of normalised.summaries ?? [])
      Object.assign(summary, { siteId: 'hospital-north', edgeId: 'edge-01' });
    expect(plain(decoded)).toEqual(plain(normalised));
  });

  it('names the bad field of an invalid request and refuses to encode it', () => {
    const request = sampleRequest();
    request.summaries![0]!.zones![1]!.lotId = '';
    expectWireError(() => encodeSyncRequest(request), 'CB_WIRE_INVALID', 'summaries[0].zones[1].lotId');
  });

  it.each([
    ['summaries[1].seq', (r: SyncRequest) => (r.summaries![1]!.seq = 41)],
    ['summaries[0].siteId', (r: SyncRequest) => (r.summaries![0]!.siteId = 'other-site')],
    ['summaries[0].windowEndMs', (r: SyncRequest) => (r.summaries![0]!.windowEndMs = 1)],
    ['summaries[0].bays.snapshot', (r: SyncRequest) => (r.summaries![0]!.bays!.snapshot = new Uint8Array(3))],
    ['summaries[1].bays.changes[0]', (r: SyncRequest) => (r.summaries![1]!.bays!.changes = [(600 << 2) | 1])],
    [
      'summaries[0].zones[0].kinds[0].kind',
      (r: SyncRequest) => (r.summaries![0]!.zones![0]!.kinds![0]!.kind = 99 as BayKind),
    ],
    ['edgeId', (r: SyncRequest) => (r.edgeId = 'bad id with spaces')],
    ['summaries[2].zoneChanges', (r: SyncRequest) => r.summaries![2]!.zoneChanges!.push(1)],
    ['summaries[2].zoneChanges[1]', (r: SyncRequest) => (r.summaries![2]!.zoneChanges![1] = 42)],
    ['summaries[2].zones', (r: SyncRequest) => (r.summaries![2]!.zones = [{ lotId: 'P1' }])],
    ['summaries[0].zoneChanges', (r: SyncRequest) => (r.summaries![0]!.zoneChanges = [0, 1, 2, 3, 4])],
  ])('rejects a decoded request with a bad %s', (path, spoil) => {
    const request = sampleRequest();
    spoil(request);
    // Encode without our validation, as a buggy or hostile client would.
    const bytes = messages.SyncRequest.encode(request).finish();
    expectWireError(() => decodeSyncRequest(bytes), 'CB_WIRE_INVALID', path);
  });

  it('refuses an oversized payload before decoding it', () => {
    expectWireError(() => decodeSyncRequest(new Uint8Array(2048), { maxBytes: 1024 }), 'CB_WIRE_TOO_LARGE');
  });

  it('turns every truncation of a valid payload into CB_WIRE_INVALID, never a half-filled request', () => {
    const bytes = encodeSyncRequest(sampleRequest());
    let rejected = 0;
    for (let length = 0; length < bytes.length; length += 7) {
      try {
        const decoded = decodeSyncRequest(bytes.subarray(0, length));
        // A cut exactly between summaries is a valid shorter batch; it must then be complete and valid.
        expect(decoded.summaries!.length).toBeLessThan(5);
      } catch (err) {
        expect(isCitybayError(err, 'CB_WIRE_INVALID'), String(err)).toBe(true);
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(0);
  });

  it('survives random bytes and bit flips with only CB_WIRE_INVALID errors', () => {
    const valid = encodeSyncRequest(sampleRequest());
    let seed = 12345;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    for (let i = 0; i < 3000; i++) {
      let bytes: Uint8Array;
      if (i % 2 === 0) {
        bytes = Uint8Array.from({ length: Math.floor(rand() * 300) }, () => Math.floor(rand() * 256));
      } else {
        bytes = valid.slice();
        for (let f = 0; f < 1 + Math.floor(rand() * 4); f++) {
          bytes[Math.floor(rand() * bytes.length)]! ^= 1 << Math.floor(rand() * 8);
        }
      }
      try {
        decodeSyncRequest(bytes);
      } catch (err) {
        if (!isCitybayError(err, 'CB_WIRE_INVALID')) throw err;
      }
    }
  });
});

describe('SyncResponse codec', () => {
  it('round-trips directives', () => {
    const response = {
      ackedSeq: 45,
      missingSeqs: [12],
      directives: {
        siteId: 'hospital-north',
        version: 9,
        issuedMs: 1_795_000_000_000,
        reservations: [
          {
            reservationId: 'appt-1',
            lotId: 'P2',
            zoneId: 'B',
            kind: BayKind.BAY_KIND_ACCESSIBLE,
            validFromMs: 1_795_000_000_000,
            validUntilMs: 1_795_000_900_000,
          },
        ],
        lotOverrides: [
          { lotId: 'P3', status: AreaStatus.AREA_STATUS_OPEN, validFromMs: 1, reason: 'school lot opened' },
        ],
        signOverrides: [
          { signId: 'vms-north', expiresMs: 1_795_000_600_000, lines: [{ label: 'EVENT', mode: 4, text: 'USE P3' }] },
        ],
        configVersion: 'site-v12',
      },
    };
    const decoded = decodeSyncResponse(encodeSyncResponse(response));
    expect(decoded.ackedSeq).toBe(45);
    expect(decoded.missingSeqs).toEqual([12]);
    expect(decoded.directives?.reservations?.[0]?.kind).toBe(BayKind.BAY_KIND_ACCESSIBLE);
    expect(decoded.directives?.signOverrides?.[0]?.lines?.[0]?.text).toBe('USE P3');
  });

  it('rejects a sign override that never expires', () => {
    const response = { ackedSeq: 1, directives: { siteId: 's1', signOverrides: [{ signId: 'vms' }] } };
    expectWireError(() => encodeSyncResponse(response), 'CB_WIRE_INVALID', 'directives.signOverrides[0].expiresMs');
  });
});

describe('seq bounds of the contract', () => {
  const withSeq = (seq: number): Uint8Array => {
    const request = sampleRequest();
    request.summaries = request.summaries!.slice(0, 1);
    request.summaries[0]!.seq = seq;
    // Encoded without validation, as a hostile or broken sender would.
    return messages.SyncRequest.encode(request).finish();
  };

  it('accepts seq 2^48 - 1 and refuses 2^48, 2^53 - 1 and 2^64 - 1 naming the field', () => {
    expect(decodeSyncRequest(withSeq(SEQ_LIMIT - 1)).summaries![0]!.seq).toBe(SEQ_LIMIT - 1);
    for (const seq of [SEQ_LIMIT, Number.MAX_SAFE_INTEGER, 2 ** 64 - 1]) {
      expectWireError(() => decodeSyncRequest(withSeq(seq)), 'CB_WIRE_INVALID', 'summaries[0].seq');
    }
    expect(isValidSeq(SEQ_LIMIT - 1) && !isValidSeq(SEQ_LIMIT) && !isValidSeq(0) && !isValidSeq(1.5)).toBe(true);
  });

  it('refuses an acknowledgement or a missing seq at or past 2^48', () => {
    expect(decodeSyncResponse(encodeSyncResponse({ ackedSeq: SEQ_LIMIT - 1 })).ackedSeq).toBe(SEQ_LIMIT - 1);
    const huge = messages.SyncResponse.encode({ ackedSeq: Number.MAX_SAFE_INTEGER }).finish();
    expectWireError(() => decodeSyncResponse(huge), 'CB_WIRE_INVALID', 'ackedSeq');
    expectWireError(
      () => encodeSyncResponse({ ackedSeq: 5, missingSeqs: [3, SEQ_LIMIT] }),
      'CB_WIRE_INVALID',
      'missingSeqs[1]',
    );
  });

  it('carries mergedFromSeq and checks it: at most seq, above the summary before', () => {
    const request = sampleRequest();
    request.summaries![0]!.mergedFromSeq = 30;
    expect(decodeSyncRequest(encodeSyncRequest(request)).summaries![0]!.mergedFromSeq).toBe(30);
    request.summaries![0]!.mergedFromSeq = 42;
    expectWireError(() => encodeSyncRequest(request), 'CB_WIRE_INVALID', 'summaries[0].mergedFromSeq');
    request.summaries![0]!.mergedFromSeq = 0;
    request.summaries![1]!.mergedFromSeq = 41;
    expectWireError(() => encodeSyncRequest(request), 'CB_WIRE_INVALID', 'summaries[1].mergedFromSeq');
  });
});
