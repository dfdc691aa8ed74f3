import { type ParseArgsConfig, parseArgs } from 'node:util';
import { isCitybayError } from '@citybay/common';

type OptionSpecs = NonNullable<ParseArgsConfig['options']>;
type WithHelp<O extends OptionSpecs> = O & { help: { type: 'boolean'; short: 'h' } };
type Values<O extends OptionSpecs> = ReturnType<
  typeof parseArgs<{ args: string[]; allowPositionals: true; strict: true; options: WithHelp<O> }>
>['values'];

export interface CommandSpec<O extends OptionSpecs, R extends keyof O & string> {
  usage: string;
  options: O;
  /** Flags without which the command prints its usage and exits 2 (the first positional is always required). */
  required: readonly R[];
  /** `optional`: the command runs without a positional too (it is then ''). Default `required`. */
  positional?: 'required' | 'optional';
}

/**
 * What every `citybay-sim` command shares: strict flag parsing, usage on `--help` (exit 0) or on a missing
 * argument (exit 2), and errors printed as `CODE: message` (exit 1) instead of a stack trace.
 */
export async function runCommand<const O extends OptionSpecs, const R extends keyof O & string = never>(
  argv: string[],
  spec: CommandSpec<O, R>,
  body: (positional: string, values: Values<O> & { [K in R]: string }) => Promise<number> | number,
): Promise<number> {
  let parsed: { positionals: string[]; values: Values<O> };
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { ...spec.options, help: { type: 'boolean', short: 'h' } } as WithHelp<O>,
    });
  } catch (err) {
    console.error(`${(err as Error).message}\n${spec.usage}`);
    return 2;
  }
  const { positionals, values } = parsed;
  const isHelp = (values as { help?: boolean }).help === true;
  const positional = positionals[0] ?? (spec.positional === 'optional' ? '' : undefined);
  const isMissing = spec.required.some((name) => (values as Record<string, unknown>)[name] === undefined);
  if (isHelp || positional === undefined || isMissing) {
    console.error(spec.usage);
    return isHelp ? 0 : 2;
  }
  try {
    return await body(positional, values as Values<O> & { [K in R]: string });
  } catch (err) {
    console.error(isCitybayError(err) ? `${err.code}: ${err.message}` : (err as Error).message);
    return 1;
  }
}
