/**
 * Fuzz of serial bytes from the field: replies into the Modbus RTU master (the real serial link and bus
 * scheduler over a socat pty pair, a fake slave answering each request with fuzzed bytes) and replies
 * into the MULTI text sign driver (its frame decoder alone, then the driver over a pty). Garbage,
 * truncated frames, wrong CRCs, wrong unit ids, oversized length fields, exception and foreign replies:
 * every request settles, with the data of a valid reply or one of the package's own error codes, never
 * a TypeError or a crash; the next good exchange still works; no call computes over 100 ms; the heap
 * and the decoder's buffer stay bounded.
 */
import { existsSync, mkdtempSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReadStream, WriteStream } from 'node:tty';
import { isCitybayError } from '@citybay/common';
import { FUZZ_RUNS, FUZZ_TIMEOUT_MS, MAX_CALL_CPU_MS, watchFuzz } from '@citybay/common/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc16 } from '../src/core/crc16.js';
import { RtuRequestSplitter } from '../src/core/rtu-frame.js';
import { encodeSignFrame, MAX_SIGN_PAYLOAD, SIGN_COMMAND, SignFrameDecoder } from '../src/core/sign-frame.js';
import { createPtyPair, type PtyPair } from '../src/emulators/pty-pair.js';
import { createBusScheduler } from '../src/modbus/bus-scheduler.js';
import type { BusScheduler } from '../src/modbus/bus-scheduler-types.js';
import type { ModbusLink } from '../src/modbus/modbus-link.js';
import { createSerialLink } from '../src/modbus/modbus-link-serial.js';
import { createMultiTextSign, type MultiTextSign } from '../src/signs/multi-text-sign.js';
import { requireTool } from './helpers/require-tool.js';

requireTool(existsSync('/usr/bin/socat'), 'socat');

const withCrc = (bytes: number[]): Uint8Array => {
  const crc = crc16(Uint8Array.from(bytes));
  return Uint8Array.from([...bytes, crc & 0xff, crc >>> 8]);
};

/**
 * What the fake slave answers to one read — 64 discrete inputs (FC 2) or 4 input registers (FC 4), both
 * 8 data bytes — of unit 1, and what must come of it.
 */
type Reply = { fc: 2 | 4; bytes: Uint8Array; expect: 'data' | 'exception' | 'error'; data?: boolean[] | number[] };

const decoded = (fc: 2 | 4, data: Uint8Array): boolean[] | number[] =>
  fc === 2
    ? Array.from({ length: 64 }, (_, i) => ((data[i >> 3]! >> (i & 7)) & 1) === 1)
    : Array.from({ length: 4 }, (_, i) => (data[2 * i]! << 8) | data[2 * i + 1]!);

const BASE = fc.uint8Array({ minLength: 8, maxLength: 8 });
const repliesTo = (f: 2 | 4): fc.Arbitrary<Reply> =>
  fc.oneof(
    BASE.map((data) => ({
      fc: f,
      bytes: withCrc([1, f, 8, ...data]),
      expect: 'data' as const,
      data: decoded(f, data),
    })),
    fc
      .integer({ min: 1, max: 11 })
      .map((code) => ({ fc: f, bytes: withCrc([1, 0x80 | f, code]), expect: 'exception' as const })),
    fc.uint8Array({ maxLength: 40 }).map((bytes) => ({ fc: f, bytes, expect: 'error' as const })),
    fc.tuple(BASE, fc.integer({ min: 0, max: 12 })).map(([data, cut]) => ({
      fc: f,
      bytes: withCrc([1, f, 8, ...data]).subarray(0, cut),
      expect: 'error' as const,
    })),
    fc.tuple(BASE, fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 255 })).map(([data, at, xor]) => {
      const bytes = withCrc([1, f, 8, ...data]);
      bytes[at] = bytes[at]! ^ xor;
      return { fc: f, bytes, expect: 'error' as const };
    }),
    fc.tuple(BASE, fc.integer({ min: 2, max: 247 })).map(([data, unit]) => ({
      fc: f,
      bytes: withCrc([unit, f, 8, ...data]),
      expect: 'error' as const,
    })),
    // A byte count that lies, with a CRC that holds: as long a frame as asked for, or any length.
    fc
      .tuple(
        fc.integer({ min: 0, max: 255 }).filter((n) => n !== 8),
        BASE,
      )
      .map(([count, data]) => ({
        fc: f,
        bytes: withCrc([1, f, count, ...data]),
        expect: 'error' as const,
      })),
    fc.tuple(fc.integer({ min: 9, max: 255 }), fc.uint8Array({ maxLength: 255 })).map(([count, data]) => ({
      fc: f,
      bytes: withCrc([1, f, count, ...data]),
      expect: 'error' as const,
    })),
    fc
      .tuple(
        fc.integer({ min: 1, max: 0x7f }).filter((x) => x !== f),
        BASE,
      )
      .map(([other, data]) => ({
        fc: f,
        bytes: withCrc([1, other, 8, ...data]),
        expect: 'error' as const,
      })),
    fc.tuple(BASE, fc.uint8Array({ minLength: 1, maxLength: 20 })).map(([data, tail]) => ({
      fc: f,
      bytes: Uint8Array.from([...withCrc([1, f, 8, ...data]), ...tail]),
      expect: 'data' as const,
      data: decoded(f, data),
    })),
  );
const replyArbitrary = fc.oneof(repliesTo(2), repliesTo(4));

/** The data of a valid reply of unit 1 to a read of `f` at the start of `bytes`, if there is one. */
function frameData(bytes: Uint8Array, f: 2 | 4): string | undefined {
  if (bytes.length < 13 || bytes[0] !== 1 || bytes[1] !== f || bytes[2] !== 8) return undefined;
  const crc = crc16(bytes.subarray(0, 11));
  if (bytes[11] !== (crc & 0xff) || bytes[12] !== crc >>> 8) return undefined;
  return JSON.stringify(decoded(f, bytes.subarray(3, 11)));
}

/** Whether `bytes` start with a CRC-checked exception reply of unit 1. */
function isExceptionFrame(bytes: Uint8Array): boolean {
  if (bytes.length < 5 || bytes[0] !== 1 || (bytes[1]! & 0x80) === 0) return false;
  const crc = crc16(bytes.subarray(0, 3));
  return bytes[3] === (crc & 0xff) && bytes[4] === crc >>> 8;
}

const MODBUS_CODES = new Set(['CB_MODBUS_TIMEOUT', 'CB_MODBUS_CRC', 'CB_MODBUS_BAD_REPLY', 'CB_MODBUS_EXCEPTION']);

/** A fake slave on one end of a pty: answers each request frame with whatever `next` says. */
function fakeSlave(path: string) {
  const fd = openSync(path, 'r+');
  const input = new ReadStream(fd);
  const output = new WriteStream(fd);
  input.setRawMode(true);
  const splitter = new RtuRequestSplitter();
  let next: Uint8Array = new Uint8Array(0);
  input.on('data', (chunk: Buffer) => {
    for (const result of splitter.push(chunk)) if (result.kind === 'frame' && next.length > 0) output.write(next);
  });
  input.on('error', () => {});
  output.on('error', () => {});
  return {
    answer(bytes: Uint8Array) {
      next = bytes;
    },
    close() {
      input.destroy();
      output.destroy();
    },
  };
}

describe('serial bytes fuzz: Modbus RTU master', () => {
  let pair: PtyPair;
  let slave: ReturnType<typeof fakeSlave>;
  let link: ModbusLink;
  let scheduler: BusScheduler;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-rtu-fuzz-'));
    pair = await createPtyPair(join(dir, 'master'), join(dir, 'slave'));
    slave = fakeSlave(pair.pathB);
    link = createSerialLink({ path: pair.pathA, baudRate: 115200, timeoutMs: 1000 });
    await link.open();
    // No retries and no quarantine: every fuzzed reply meets the master.
    scheduler = createBusScheduler({ link, retries: 0, quarantine: { afterFailures: Number.MAX_SAFE_INTEGER } });
  });
  afterAll(async () => {
    await scheduler?.close();
    slave?.close();
    await pair?.close();
  });

  it(
    `${FUZZ_RUNS} fuzzed replies: data of a valid one, else a CB_MODBUS code; the next good exchange works`,
    async () => {
      const watch = watchFuzz();
      const outcomes = new Map<string, number>();
      const valid = { sent: 0, answered: 0 };
      let late = 0;
      // Valid frames sent in the last cases: one that arrives after its request timed out is answered to the
      // next request (RTU has no transaction id, on a real line too); the master must never make data up.
      const recent: Uint8Array[] = [];
      await fc.assert(
        fc.asyncProperty(replyArbitrary, async (reply) => {
          slave.answer(reply.bytes);
          recent.push(reply.bytes);
          if (recent.length > 4) recent.shift();
          // A reply that can complete gets time to arrive on a loaded machine; one that cannot, a short wait.
          const timeoutMs = reply.expect === 'error' ? 15 : 2000;
          const read =
            reply.fc === 2
              ? () => scheduler.readBits(1, 'discrete', 0, 64, { timeoutMs })
              : () => scheduler.readWords(1, 'input', 0, 4, { timeoutMs });
          const result = await watch.call(() =>
            read().then(
              (data: boolean[] | number[]) => ({ data }),
              (err: unknown) => ({ err }),
            ),
          );
          if (reply.expect !== 'error') valid.sent += 1;
          if ('data' in result) {
            valid.answered += 1;
            outcomes.set('data', (outcomes.get('data') ?? 0) + 1);
            // Only a frame with this unit, function, byte count and CRC gives data, and then exactly its data.
            const seen = recent.map((bytes) => frameData(bytes, reply.fc));
            expect(seen, `data from ${Buffer.from(reply.bytes).toString('hex')}`).toContain(
              JSON.stringify(result.data),
            );
            // An earlier case's frame that arrived late, answered instead of this one's: counted, and must stay rare.
            if (reply.expect === 'data' && JSON.stringify(result.data) !== JSON.stringify(reply.data)) late += 1;
            return;
          }
          const code = isCitybayError(result.err) ? result.err.code : String(result.err);
          outcomes.set(code, (outcomes.get(code) ?? 0) + 1);
          expect(MODBUS_CODES.has(code), `${code} from ${Buffer.from(reply.bytes).toString('hex')}`).toBe(true);
          // An exception comes only from an exception reply. A valid reply may still fail: bytes of the case
          // before can arrive after the master flushed its input (as noise on a real line would).
          if (code === 'CB_MODBUS_EXCEPTION') {
            expect(recent.some(isExceptionFrame), Buffer.from(reply.bytes).toString('hex')).toBe(true);
            if (reply.expect !== 'exception') late += 1;
          }
          if (code === 'CB_MODBUS_EXCEPTION') valid.answered += 1;
        }),
        { numRuns: FUZZ_RUNS, seed: 485 },
      );
      slave.answer(withCrc([1, 0x02, 8, 1, 0, 0, 0, 0, 0, 0, 0x80]));
      const bits = await scheduler.readBits(1, 'discrete', 0, 64, { timeoutMs: 2000 });
      expect([bits[0], bits[1], bits[63]]).toEqual([true, false, true]);
      const report = watch.finish();
      // Nearly every valid data or exception reply is taken as such.
      expect(valid.answered / valid.sent, JSON.stringify([...outcomes])).toBeGreaterThan(0.9);
      expect(late / valid.sent, `${late} requests answered with an earlier case's frame`).toBeLessThan(0.02);
      expect(report.maxCallCpuMs).toBeLessThan(MAX_CALL_CPU_MS);
      expect(report.heapGrowthBytes).toBeLessThan(16 * 1024 * 1024);
    },
    FUZZ_TIMEOUT_MS,
  );
});

const signReplyArbitrary = (seq: number): fc.Arbitrary<{ bytes: Uint8Array; isAck: boolean }> =>
  fc.oneof(
    fc.constant({
      bytes: encodeSignFrame({ seq, command: SIGN_COMMAND.ack, payload: new Uint8Array(0) }),
      isAck: true,
    }),
    fc.uint8Array({ maxLength: 60 }).map((bytes) => ({ bytes, isAck: false })),
    // Cut short: an ACK frame without payload is 8 bytes.
    fc.integer({ min: 0, max: 7 }).map((cut) => ({
      bytes: encodeSignFrame({ seq, command: SIGN_COMMAND.ack, payload: new Uint8Array(0) }).subarray(0, cut),
      isAck: false,
    })),
    fc.tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 255 })).map(([at, xor]) => {
      const bytes = encodeSignFrame({ seq, command: SIGN_COMMAND.ack, payload: Uint8Array.of(1, 2, 3) });
      bytes[at] = bytes[at]! ^ xor;
      return { bytes, isAck: false };
    }),
    fc.integer({ min: 0, max: 255 }).map((other) => ({
      bytes: encodeSignFrame({
        seq: other === seq ? (seq + 1) & 0xff : other,
        command: SIGN_COMMAND.ack,
        payload: new Uint8Array(0),
      }),
      isAck: false,
    })),
    fc.integer({ min: MAX_SIGN_PAYLOAD + 1, max: 0xffff }).map((length) => ({
      bytes: Uint8Array.of(0x02, seq, SIGN_COMMAND.ack, length >>> 8, length & 0xff, 1, 2, 3),
      isAck: false,
    })),
    fc
      .tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 0xffff }), fc.string({ maxLength: 40 }))
      .map(([code, position, reason]) => ({
        bytes: encodeSignFrame({
          seq,
          command: SIGN_COMMAND.nak,
          payload: Uint8Array.from([code, position >>> 8, position & 0xff, ...new TextEncoder().encode(reason)]),
        }),
        isAck: false,
      })),
  );

describe('serial bytes fuzz: MULTI text sign replies', () => {
  it(`${FUZZ_RUNS} streams into the frame decoder: only CRC-checked frames come out, the buffer stays bounded`, () => {
    const decoder = new SignFrameDecoder();
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.uint8Array({ maxLength: 200 }),
            signReplyArbitrary(7).map((r) => r.bytes),
          ),
          { maxLength: 8 },
        ),
        (chunks) => {
          for (const chunk of chunks) {
            for (const event of decoder.push(chunk)) {
              if (event.kind === 'frame') {
                // A decoded frame re-encodes to bytes with a valid CRC and ETX.
                const again = encodeSignFrame(event.frame);
                expect(new SignFrameDecoder().push(again)).toEqual([{ kind: 'frame', frame: event.frame }]);
              }
            }
            expect(decoder.pendingBytes).toBeLessThanOrEqual(MAX_SIGN_PAYLOAD + 8 + chunk.length);
          }
        },
      ),
      { numRuns: FUZZ_RUNS, seed: 486 },
    );
  });

  describe('the driver over a pty', () => {
    let pair: PtyPair;
    let sign: MultiTextSign;
    let output: WriteStream;
    let input: ReadStream;
    let answer: (seq: number) => Uint8Array = () => new Uint8Array(0);

    beforeAll(async () => {
      const dir = mkdtempSync(join(tmpdir(), 'cb-sign-fuzz-'));
      pair = await createPtyPair(join(dir, 'driver'), join(dir, 'sign'));
      const fd = openSync(pair.pathB, 'r+');
      input = new ReadStream(fd);
      output = new WriteStream(fd);
      input.setRawMode(true);
      const decoder = new SignFrameDecoder();
      input.on('data', (chunk: Buffer) => {
        for (const event of decoder.push(chunk)) if (event.kind === 'frame') output.write(answer(event.frame.seq));
      });
      sign = createMultiTextSign({
        id: 'fuzz',
        path: pair.pathA,
        sign: { lines: 2, charsPerLine: 16 },
        ackTimeoutMs: 10,
        retries: 0,
      });
    });
    afterAll(async () => {
      await sign?.close();
      input?.destroy();
      output?.destroy();
      await pair?.close();
    });

    it(
      `${FUZZ_RUNS} fuzzed replies to a write: it resolves on the ACK or fails with CB_SIGN_REJECTED / CB_SIGN_NO_ACK`,
      async () => {
        const watch = watchFuzz();
        await fc.assert(
          fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
            // What was sent is read back from the bytes: on a loaded machine the driver's frame of the case before
            // can reach the sign late and be answered with this case's reply (for its own, older seq).
            let lastSeq = -1;
            const ackedSeqs = new Set<number>();
            answer = (seq) => {
              const [reply] = fc.sample(signReplyArbitrary(seq), { numRuns: 1, seed });
              lastSeq = seq;
              for (const event of new SignFrameDecoder().push(reply!.bytes)) {
                if (event.kind === 'frame' && event.frame.command === SIGN_COMMAND.ack) ackedSeqs.add(event.frame.seq);
              }
              return reply!.bytes;
            };
            const error = await watch.call(() =>
              sign.showMulti('P1 < 23').then(
                () => undefined,
                (err: unknown) => err,
              ),
            );
            if (error === undefined) {
              // Resolved: the sign sent a well-formed ACK for the driver's newest frame.
              expect(ackedSeqs.has(lastSeq), `ACKs for ${[...ackedSeqs].join(',')}, last frame ${lastSeq}`).toBe(true);
              return;
            }
            expect(
              isCitybayError(error, 'CB_SIGN_REJECTED') || isCitybayError(error, 'CB_SIGN_NO_ACK'),
              String(error),
            ).toBe(true);
          }),
          { numRuns: FUZZ_RUNS, seed: 487 },
        );
        // The same driver takes a good acknowledgement again (its 10 ms wait may miss one on a loaded machine).
        answer = (seq) => encodeSignFrame({ seq, command: SIGN_COMMAND.ack, payload: new Uint8Array(0) });
        let isShown = false;
        for (let attempt = 0; attempt < 50 && !isShown; attempt++) {
          isShown = await sign.showMulti('P1 < 24').then(
            () => true,
            () => false,
          );
        }
        expect(isShown).toBe(true);
        const report = watch.finish();
        expect(report.maxCallCpuMs).toBeLessThan(MAX_CALL_CPU_MS);
        expect(report.heapGrowthBytes).toBeLessThan(16 * 1024 * 1024);
      },
      FUZZ_TIMEOUT_MS,
    );
  });
});
