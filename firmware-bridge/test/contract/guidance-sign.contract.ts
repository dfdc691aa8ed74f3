/**
 * The behaviour every GuidanceSign driver must have, run against each (Modbus-register sign on the
 * emulator, MULTI text sign on the virtual sign, the hardware-less virtual sign): show and read back, blank, refuse what does not
 * fit with CB_SIGN_REJECTED, report health.
 */
import { isCitybayError } from '@citybay/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GuidanceSign, SignMessage } from '../../src/signs/guidance-sign.js';

export interface SignUnderTest {
  sign: GuidanceSign;
  close(): Promise<void>;
}

export function guidanceSignContract(name: string, factory: () => Promise<SignUnderTest>): void {
  describe(`GuidanceSign contract: ${name}`, () => {
    let subject: SignUnderTest;

    beforeEach(async () => {
      subject = await factory();
    });

    afterEach(async () => {
      await subject.close();
    });

    it('shows counts, FULL and CLOSED with arrows and colours, and reads them back', async () => {
      const message: SignMessage = {
        lines: [
          { label: 'P1', arrow: 'left', value: 23, colour: 'green' },
          { label: 'P2', arrow: 'right', value: 'FULL', colour: 'red' },
        ],
      };
      await subject.sign.show(message);
      const readBack = await subject.sign.readBack();
      expect(readBack.message?.lines.map(({ arrow, value, colour }) => ({ arrow, value, colour }))).toEqual(
        message.lines.map(({ arrow, value, colour }) => ({ arrow, value, colour })),
      );
      expect(readBack.raw).not.toBe('');
      await subject.sign.show({ lines: [{ label: 'P1', arrow: 'none', value: 'CLOSED', colour: 'red' }] });
      expect((await subject.sign.readBack()).message?.lines[0]?.value).toBe('CLOSED');
    });

    it('blanks', async () => {
      await subject.sign.show({ lines: [{ label: 'P1', arrow: 'left', value: 1, colour: 'green' }] });
      await subject.sign.blank();
      expect((await subject.sign.readBack()).message).toBeNull();
    });

    it('refuses more lines than it has with CB_SIGN_REJECTED', async () => {
      const line = { label: 'P1', arrow: 'left' as const, value: 1, colour: 'green' as const };
      const lines = Array.from({ length: subject.sign.capabilities.lines + 1 }, () => line);
      const err = await subject.sign.show({ lines }).catch((e: unknown) => e);
      expect(isCitybayError(err, 'CB_SIGN_REJECTED')).toBe(true);
    });

    it('reports itself online after an exchange', async () => {
      await subject.sign.show({ lines: [{ label: 'P1', arrow: 'left', value: 1, colour: 'green' }] });
      const health = await subject.sign.health();
      expect(health.isOnline).toBe(true);
      expect(health.lastOkMs).not.toBeNull();
    });
  });
}
