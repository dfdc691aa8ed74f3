import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeSyncRequest } from '@citybay/proto';
import { chromium } from 'playwright-core';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siteDefinitionFor, sampleSite } from '../helpers/sample-site.js';
import { HOSPITAL_KEY, makeTestApp, T0, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
const site = sampleSite();
const hospital = { authorization: `Bearer ${HOSPITAL_KEY}` };
const DAY = '2026-11-19';
const at = (hhmm: string) => `${DAY}T${hhmm}:00Z`;
const plain = (id: string, start: string, durationMin = 30) => ({
  id,
  start: at(start),
  durationMin,
  participantRef: `Patient/secret-${id}`,
});

beforeAll(async () => {
  t = await makeTestApp({ driverPageRefreshS: 1 });
  // The first lot gets its last turns, for the page to show.
  const definition = siteDefinitionFor(site);
  definition.lots[0] = {
    ...definition.lots[0]!,
    lastTurns: ['Turn left into Hospital Road', 'The gate is on the right'],
  };
  await t.store.putSite(definition, T0);
  const sync = await t.app.inject({
    method: 'POST',
    url: '/v1/sync',
    headers: { 'content-type': 'application/x-protobuf', authorization: t.auth },
    payload: Buffer.from(encodeSyncRequest(site.syncRequest(1, 10, 10, T0))),
  });
  expect(sync.statusCode).toBe(200);
});
afterAll(() => t.close());

const post = (appointments: object[]) =>
  t.app.inject({
    method: 'POST',
    url: '/v1/appointments?siteId=hospital-north',
    headers: hospital,
    payload: { appointments },
  });
const tokenOf = (url: string): string => url.split('/d/')[1] ?? '';

describe("drivers' links", () => {
  it('come with every answer to a hospital system, a short unguessable token each, kept as the plan changes', async () => {
    const res = await post([plain('A1', '09:00'), plain('A2', '09:00')]);
    expect(res.statusCode, res.body).toBe(200);
    const [a1, a2] = res.json().appointments;
    expect(a1).toMatchObject({ outcome: 'bay', placed: true, driverLink: { url: expect.any(String) } });
    expect(a1.driverLink.url).toMatch(/^http:\/\/localhost(:\d+)?\/d\/[A-Za-z0-9_-]{22}$/);
    expect(a1.driverLink.qrUrl).toBe(`${a1.driverLink.url}/qr.svg`);
    expect(tokenOf(a1.driverLink.url)).not.toBe(tokenOf(a2.driverLink.url));
    const again = (await post([plain('A1', '09:30')])).json().appointments[0];
    expect(again.driverLink.url).toBe(a1.driverLink.url);
    const day = await t.app.inject({
      method: 'GET',
      url: `/v1/sites/hospital-north/appointments?date=${DAY}`,
      headers: hospital,
    });
    expect(
      day
        .json()
        .appointments.map((a: { driverLink: { url: string } }) => a.driverLink.url)
        .sort(),
    ).toEqual([a1.driverLink.url, a2.driverLink.url].sort());
  });

  it("show one appointment's plan and the lot's live count, and nothing of anyone else", async () => {
    const [a3] = (await post([plain('A3', '10:00', 45)])).json().appointments;
    const res = await t.app.inject({ method: 'GET', url: `/v1/driver/${tokenOf(a3.driverLink.url)}` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const view = res.json();
    expect(view).toMatchObject({
      siteName: 'Children’s Hospital North',
      outcome: 'bay',
      kind: 'standard',
      entrance: { name: 'Main entrance' },
      arrivalWindow: { fromMs: a3.arrivalWindow.fromMs, toMs: a3.arrivalWindow.toMs },
      refreshS: 1,
    });
    expect(view.arrivalWindow.from).toBe(new Date(a3.arrivalWindow.fromMs).toISOString().slice(11, 16));
    expect(view.lot.name).toBe(a3.lotName);
    expect(typeof view.lot.free).toBe('number');
    // No appointment id, patient reference or other car in what a link opens.
    expect(res.body).not.toContain('A3');
    expect(res.body).not.toContain('Patient/');
    expect(res.body).not.toContain('A1');
  });

  it('answer 404 for a token never made and 400 for one that is no token, without touching the store', async () => {
    const unknown = await t.app.inject({ method: 'GET', url: `/v1/driver/${'A'.repeat(22)}` });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'CB_HTTP_NOT_FOUND', path: 'token' });
    expect((await t.app.inject({ method: 'GET', url: `/d/${'B'.repeat(22)}` })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/d/${'C'.repeat(22)}/qr.svg` })).statusCode).toBe(404);
    const bad = await t.app.inject({ method: 'GET', url: '/v1/driver/short' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('CB_HTTP_BAD_REQUEST');
  });

  it('give the link as a QR code (SVG) that encodes the link itself', async () => {
    const [a4] = (await post([plain('A4', '11:00')])).json().appointments;
    const res = await t.app.inject({ method: 'GET', url: `/d/${tokenOf(a4.driverLink.url)}/qr.svg` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('image/svg+xml');
    expect(res.body).toBe(
      await QRCode.toString(a4.driverLink.url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }),
    );
    expect(res.body).toMatch(/^<svg [^>]*viewBox/);
  });
});

describe('the driver routes in the OpenAPI document', () => {
  it('each have an operationId and a response schema for every status they answer', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json();
    for (const [path, id] of [
      ['/v1/driver/{token}', 'getDriverPlan'],
      ['/d/{token}', 'getDriverPage'],
      ['/d/{token}/qr.svg', 'getDriverQrCode'],
    ] as const) {
      const operation = doc.paths[path].get;
      expect(operation.operationId).toBe(id);
      expect(Object.keys(operation.responses).sort()).toEqual(['200', '400', '404', '429', '500', '503']);
    }
  });
});

describe("a driver's page in Chromium at phone size (390 px)", () => {
  it('shows lot, entrance, bay kind, window, last turns and free bays, and follows a change of plan', async () => {
    const [a5] = (await post([plain('A5', '12:00', 60)])).json().appointments;
    const url = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const link = `${url}/d/${tokenOf(a5.driverLink.url)}`;
    const userDataDir = mkdtempSync(join(tmpdir(), 'citybay-driver-chromium-'));
    const browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
      viewport: { width: 390, height: 844 },
      isMobile: true,
    });
    try {
      const page = await browser.newPage();
      const failures: string[] = [];
      page.on('pageerror', (err) => failures.push(err.message));
      page.on('console', (m) => {
        if (m.type() === 'error') failures.push(m.text());
      });
      await page.goto(link);
      const headline = page.locator('#headline');
      await headline.filter({ hasText: a5.lotName }).waitFor({ timeout: 20_000 });
      const window = (ms: number) => new Date(ms).toISOString().slice(11, 16);
      expect(await headline.textContent()).toContain(window(a5.arrivalWindow.fromMs));
      expect(await page.locator('#lot-name').textContent()).toBe(a5.lotName);
      const facts = await page.locator('#facts').textContent();
      expect(facts).toContain('Main entrance');
      expect(facts).toContain('Standard');
      expect(await page.locator('#free').textContent()).toMatch(/^\d+$/);
      if (a5.lotId === 'P1')
        expect(await page.locator('#turns li').allTextContents()).toEqual([
          'Turn left into Hospital Road',
          'The gate is on the right',
        ]);
      // Nothing wider than the phone.
      expect(await page.locator('html').evaluate((html) => html.scrollWidth)).toBeLessThanOrEqual(390);

      // The hospital moves the appointment: the page shows the new window without a reload.
      const [moved] = (await post([plain('A5', '13:00', 60)])).json().appointments;
      expect(moved.arrivalWindow.fromMs).not.toBe(a5.arrivalWindow.fromMs);
      await page.locator('#changed:not([hidden])').waitFor({ timeout: 20_000 });
      await headline.filter({ hasText: window(moved.arrivalWindow.fromMs) }).waitFor({ timeout: 20_000 });
      expect(failures).toEqual([]);
    } finally {
      await browser.close();
      rmSync(userDataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
