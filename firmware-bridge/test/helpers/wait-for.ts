/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 5000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Fails clearly in CI when a Debian tool the test needs is missing; elsewhere the test is skipped. */
export function requireTool(hasTool: boolean, tool: string): boolean {
  if (!hasTool && process.env.CI)
    throw new Error(`${tool} is required in CI (Debian package "${tool}"); install it in .ci/run`);
  return hasTool;
}
