import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type RunningCentral, startCentral } from '../../src/main.js';
import { SqliteStore } from '../../src/store/store-sqlite.js';

const dir = mkdtempSync(join(tmpdir(), 'citybay-tls-'));
const file = (name: string) => join(dir, name);
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

/** A throwaway CA and a server certificate for 127.0.0.1/localhost signed by it. */
function makeCertificates(): void {
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '1',
    '-subj',
    '/CN=citybay test CA',
  );
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
    '-subj',
    '/CN=localhost',
  );
  writeFileSync(file('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '1',
    '-extfile',
    'san.ext',
  );
  // A second, unrelated CA: a client trusting only it must refuse the server.
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'other.key',
    '-out',
    'other.pem',
    '-days',
    '1',
    '-subj',
    '/CN=someone else',
  );
}

function get(url: string, ca: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('TLS', () => {
  let central: RunningCentral;
  beforeAll(async () => {
    makeCertificates();
    const config = loadConfig({}, { port: 0, tlsCertPath: file('server.pem'), tlsKeyPath: file('server.key') });
    central = await startCentral({
      config,
      logger: pino({ level: 'silent' }),
      store: new SqliteStore({ path: ':memory:' }),
    });
  });
  afterAll(async () => {
    await central?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves HTTPS that a client trusting the CA accepts', async () => {
    expect(central.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const res = await get(`${central.url}/healthz`, readFileSync(file('ca.pem')));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ status: 'ok' });
  });

  it('is refused by a client that does not trust the CA', async () => {
    await expect(get(`${central.url}/healthz`, readFileSync(file('other.pem')))).rejects.toMatchObject({
      code: expect.stringMatching(
        /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/,
      ),
    });
  });

  it('refuses a half TLS configuration', () => {
    expect(() => loadConfig({ CITYBAY_TLS_CERT: file('server.pem') })).toThrow(/tlsCertPath and tlsKeyPath/);
  });
});
