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
