import { CitybayError, defineErrors, isCitybayError, ManualClock, SeededRandom } from '@citybay/common';
import { describe, expect, it } from 'vitest';

describe('defineErrors', () => {
  const errors = defineErrors({
    CB_TEST_BROKEN: { statusCode: 400, description: 'for the test' },
  });

  it('makes errors that carry code, status, path and cause', () => {
    const cause = new Error('root');
    const err = errors.CB_TEST_BROKEN('x: bad', { path: 'a.b[0]', cause });
    expect(err).toBeInstanceOf(CitybayError);
    expect(err.code).toBe('CB_TEST_BROKEN');
    expect(err.statusCode).toBe(400);
    expect(err.path).toBe('a.b[0]');
    expect(err.cause).toBe(cause);
    expect(isCitybayError(err, 'CB_TEST_BROKEN')).toBe(true);
    expect(isCitybayError(err, 'CB_OTHER_THING')).toBe(false);
    expect(isCitybayError(new Error('plain'))).toBe(false);
  });

  it('refuses codes that do not follow CB_<AREA>_<PROBLEM>', () => {
    expect(() => defineErrors({ BAD: { statusCode: 500, description: '' } })).toThrow(/CB_<AREA>_<PROBLEM>/);
  });
});

describe('ManualClock and SeededRandom', () => {
  it('moves only when told', () => {
    const clock = new ManualClock(1000);
    clock.advance(500);
    expect(clock.nowMs()).toBe(1500);
  });

  it('repeats a sequence for the same seed', () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    for (const x of seqA) expect(x >= 0 && x < 1).toBe(true);
  });
});
