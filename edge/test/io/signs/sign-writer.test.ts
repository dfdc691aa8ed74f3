import { ManualClock } from '@citybay/common';
import { createVirtualSign, type SignMessage } from '@citybay/firmware-bridge';
import { describe, expect, it } from 'vitest';
import { SignWriter } from '../../../src/io/signs/sign-writer.js';
import { logger } from '../../support/silent-logger.js';

const message = (free: number): SignMessage => ({
  lines: [{ label: 'P1', arrow: 'left', value: free, colour: 'green' }],
});

function setup() {
  const clock = new ManualClock(1_000);
  const sign = createVirtualSign({ id: 'vms-1', lines: 2, clock });
  const results: string[] = [];
  const writer = new SignWriter({
    sign,
    refreshMs: 30_000,
    logger,
    nowMs: () => clock.nowMs(),
    onWrite: (result, _ms, reason) => results.push(`${result}:${reason}`),
  });
  return { clock, sign, writer, results };
}

describe('SignWriter', () => {
  it('writes only when the content changes, and refreshes it before the blank-out timeout', async () => {
    const { clock, sign, writer, results } = setup();
    writer.update(message(5));
    await writer.idle();
    writer.update(message(5));
    clock.advance(29_999);
    writer.update(message(5));
    await writer.idle();
    expect(sign.shown).toHaveLength(1);
    clock.advance(1);
    writer.update(message(5));
    await writer.idle();
    writer.update(message(4));
    await writer.idle();
    expect(sign.shown.map((s) => s.message?.lines[0]?.value)).toEqual([5, 5, 4]);
    expect(results).toEqual(['ok:change', 'ok:refresh', 'ok:change']);
  });

  it('writes only the newest of the messages that arrive during a write', async () => {
    const { sign, writer } = setup();
    writer.update(message(9));
    writer.update(message(8));
    writer.update(message(7));
    writer.update(message(6));
    await writer.idle();
    expect(sign.shown.map((s) => s.message?.lines[0]?.value)).toEqual([9, 6]);
    expect(writer.current).toEqual(message(6));
  });

  it('retries the same content at the next update after a failed write', async () => {
    const { sign, writer, results } = setup();
    const show = sign.show.bind(sign);
    let failures = 1;
    sign.show = async (m) => {
      if (failures-- > 0) throw new Error('no ACK');
      await show(m);
    };
    writer.update(message(3));
    await writer.idle();
    expect(sign.shown).toHaveLength(0);
    writer.update(message(3));
    await writer.idle();
    writer.update(message(3));
    await writer.idle();
    expect(sign.shown.map((s) => s.message?.lines[0]?.value)).toEqual([3]);
    expect(results).toEqual(['error:change', 'ok:change']);
  });
});
