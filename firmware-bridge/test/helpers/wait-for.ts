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

/**
 * Fails (never skips) when a Debian tool the tests need is missing, naming it and how to get it. `npm test`
 * provisions the machine first (scripts/src/provision), so this fires only when a test file runs on its own.
 */
export function requireTool(hasTool: boolean, tool: string, debianPackage = tool): void {
  if (!hasTool) {
    throw new Error(
      `${tool} is missing (Debian package ${debianPackage}): run \`npm test\` (as root it installs it) or ` +
        `\`sudo apt-get install ${debianPackage}\``,
    );
  }
}
