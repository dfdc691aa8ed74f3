// Run by the root `npm run build` after tsc: tsc writes files without the executable bit, and npm links a
// workspace's bin only once, so a CLI whose dist/ was deleted and built again would stop running. Sets the bit on
// every `bin` target of every workspace.
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { workspaces } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
for (const workspace of workspaces) {
  const { bin = {} } = JSON.parse(readFileSync(join(root, workspace, 'package.json'), 'utf8'));
  for (const target of Object.values(bin)) {
    const path = join(root, workspace, target);
    if (existsSync(path)) chmodSync(path, 0o755);
  }
}
