import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runAdminCommand } from '../../src/cli/admin-commands.js';
import { loadApiKeys } from '../../src/io/api-keys.js';
import { matchesAnyHash } from '../../src/io/credentials.js';
import { SqliteStore } from '../../src/store/store-sqlite.js';
import { sampleSite, siteDefinitionFor } from '../helpers/sample-site.js';

const dir = mkdtempSync(join(tmpdir(), 'citybay-cli-'));
const dbPath = join(dir, 'central.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runAdminCommand([...args, '--sqlite', dbPath], {
    env: {},
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('citybay-central admin CLI', () => {
  it('migrates, adds a site from YAML, adds an edge and prints its secret once', async () => {
    expect((await cli('migrate')).out).toContain('applied 1, 2, 3, 4, 5');
    const siteFile = join(dir, 'site.yaml');
    writeFileSync(siteFile, stringify(siteDefinitionFor(sampleSite())));
    expect(await cli('site', 'add', siteFile)).toMatchObject({ code: 0, out: expect.stringContaining('2 lots saved') });
    expect((await cli('site', 'list')).out).toContain('hospital-north');
    const added = await cli('edge', 'add', 'hospital-north', 'edge-07');
    expect(added.code).toBe(0);
    const secret = /secret: +(cbk_[A-Za-z0-9_-]{43})$/m.exec(added.out)?.[1];
    expect(secret).toBeDefined();
    const store = new SqliteStore({ path: dbPath });
    const edge = await store.getEdge('edge-07');
    await store.close();
    expect(edge?.secretHashes).toHaveLength(1);
    expect(matchesAnyHash(secret!, edge!.secretHashes)).toBe(true);
    expect(JSON.stringify(edge)).not.toContain(secret!);
    expect((await cli('edge', 'add', 'hospital-north', 'edge-07')).err).toContain('CB_EDGE_EXISTS');
  });

  it('rotates an edge secret in two steps', async () => {
    const rotated = await cli('edge', 'rotate', 'edge-07');
    expect(rotated.out).toContain('stays valid until --finish');
    expect((await cli('edge', 'list', 'hospital-north')).out).toMatch(/edge-07\t.*secrets 2/);
    await cli('edge', 'rotate', 'edge-07', '--finish');
    expect((await cli('edge', 'list', 'hospital-north')).out).toMatch(/edge-07\t.*secrets 1/);
    expect((await cli('edge', 'rotate', 'edge-99')).err).toContain('CB_EDGE_UNKNOWN');
  });

  it('names the file and field of a bad site definition', async () => {
    const bad = join(dir, 'bad.yaml');
    const definition = siteDefinitionFor(sampleSite());
    writeFileSync(bad, stringify({ ...definition, lots: [{ ...definition.lots[0], capacity: { standard: -3 } }] }));
    const res = await cli('site', 'add', bad);
    expect(res.code).toBe(2);
    expect(res.err).toContain('CB_SITE_INVALID');
    expect(res.err).toContain(`${bad}: lots[0].capacity.standard`);
  });

  it('adds API keys to a keys file as hashes', async () => {
    const keysFile = join(dir, 'keys.yaml');
    const res = await cli('key', 'add', keysFile, 'st-marys-pas', 'hospital', '--site', 'hospital-north');
    const key = res.out.split('\n').at(-1)!;
    expect(key).toMatch(/^cbk_/);
    expect(readFileSync(keysFile, 'utf8')).not.toContain(key);
    expect(loadApiKeys(keysFile).verify(key, 'hospital')).toEqual({
      id: 'st-marys-pas',
      role: 'hospital',
      sites: ['hospital-north'],
    });
    expect(loadApiKeys(keysFile).verify(key, 'operator')).toBeUndefined();
    expect((await cli('key', 'add', keysFile, 'x', 'janitor')).err).toContain('CB_CLI_USAGE');
  });

  it('explains unknown commands', async () => {
    const res = await cli('launch');
    expect(res.code).toBe(2);
    expect(res.err).toContain('unknown command');
  });
});
