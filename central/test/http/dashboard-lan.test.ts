import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * Opened over plain http by a host name, as an operator on the LAN does (`http://central.lan:8080/dashboard/`):
 * Chromium resolves the name to this machine but does not treat the origin as localhost (which it would exempt).
 */
const HOST = 'citybay-central.lan';

let t: TestApp;
let browser: BrowserContext;
let userDataDir: string;
let origin: string;

beforeAll(async () => {
  t = await makeTestApp();
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  origin = `http://${HOST}:${(t.app.server.address() as AddressInfo).port}`;
  userDataDir = mkdtempSync(join(tmpdir(), 'citybay-lan-chromium-'));
  browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      `--host-resolver-rules=MAP ${HOST} 127.0.0.1`,
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  rmSync(userDataDir, { recursive: true, force: true });
  await t?.close();
});

/** Loads `path` and answers every script and style sheet the page asked for, with its URL and status. */
async function load(path: string): Promise<{ assets: Array<{ url: string; status: number }>; failed: string[] }> {
  const page = await browser.newPage();
  const assets: Array<{ url: string; status: number }> = [];
  const failed: string[] = [];
  page.on('requestfailed', (request) => failed.push(`${request.url()}: ${request.failure()?.errorText ?? ''}`));
  page.on('response', (response) => {
    const type = response.request().resourceType();
    if (type === 'script' || type === 'stylesheet') assets.push({ url: response.url(), status: response.status() });
  });
  await page.goto(origin + path, { waitUntil: 'load' });
  await page.close();
  return { assets, failed: failed.filter((f) => !f.includes('/v1/dashboard/events')) };
}

describe('browser pages over plain http on the LAN', () => {
  it('have no upgrade-insecure-requests in their CSP', async () => {
    for (const url of ['/dashboard/', '/docs/', '/docs/static/swagger-ui.css']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.headers['content-security-policy'], url).toMatch(/default-src 'self'/);
      expect(res.headers['content-security-policy'], url).not.toContain('upgrade-insecure-requests');
    }
  });

  it.each([
    ['the dashboard', '/dashboard/', ['dashboard.css', 'dashboard.js']],
    ['the API docs', '/docs/', ['swagger-ui.css', 'swagger-ui-bundle.js']],
  ])('loads %s with its style sheets and scripts over http', { timeout: 60_000 }, async (_name, path, names) => {
    const { assets, failed } = await load(path);
    expect(failed).toEqual([]);
    for (const name of names) {
      const asset = assets.find((a) => a.url.endsWith(name));
      expect(asset, name).toBeDefined();
      expect(asset!.url.startsWith(`${origin}/`)).toBe(true);
      expect(asset!.status).toBe(200);
    }
  });
});
