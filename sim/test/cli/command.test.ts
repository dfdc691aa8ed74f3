import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCommand } from '../../src/cli/command.js';
import { errors } from '../../src/errors.js';

const spec = {
  usage: 'usage: test <file> --out <dir>',
  options: { out: { type: 'string' } },
  required: ['out'],
} as const;

describe('runCommand', () => {
  const printed: string[] = [];
  afterEach(() => {
    printed.length = 0;
    vi.restoreAllMocks();
  });
  const capture = () => vi.spyOn(console, 'error').mockImplementation((line: string) => void printed.push(line));

  it('passes the positional and the required flag to the body and returns its exit code', async () => {
    const seen: string[] = [];
    const code = await runCommand(['a.yaml', '--out', 'dir'], spec, (file, values) => {
      seen.push(file, values.out);
      return 0;
    });
    expect(code).toBe(0);
    expect(seen).toEqual(['a.yaml', 'dir']);
  });

  it.each([
    [['a.yaml'], 2],
    [['--out', 'dir'], 2],
    [['a.yaml', '--out', 'dir', '--bogus'], 2],
    [['--help'], 0],
  ])('prints the usage for %j and exits %i without running', async (argv, expected) => {
    capture();
    const body = vi.fn(() => 0);
    expect(await runCommand(argv, spec, body)).toBe(expected);
    expect(body).not.toHaveBeenCalled();
    expect(printed.join('\n')).toContain('usage: test');
  });

  it('prints a CitybayError as code and message and exits 1', async () => {
    capture();
    const code = await runCommand(['a.yaml', '--out', 'd'], spec, () => {
      throw errors.CB_SCENARIO_INVALID('a.yaml: seed: expected an integer', { path: 'seed' });
    });
    expect(code).toBe(1);
    expect(printed).toEqual(['CB_SCENARIO_INVALID: a.yaml: seed: expected an integer']);
  });
});
