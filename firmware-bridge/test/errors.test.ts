import { describe, expect, it } from 'vitest';
import { ERROR_TABLE } from '../src/errors.js';

// Pins the published codes: removing or renumbering one is a breaking change for operators' alerting.
describe('error table', () => {
  it('publishes exactly these codes and statuses', () => {
    expect(
      Object.fromEntries(Object.entries(ERROR_TABLE).map(([code, spec]) => [code, spec.statusCode])),
    ).toMatchSnapshot();
  });
});
