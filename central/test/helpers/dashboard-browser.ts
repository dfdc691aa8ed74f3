import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeSyncRequest } from '@citybay/proto';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { sampleSite } from './sample-site.js';
import { makeTestApp, OPERATOR_KEY, T0, type TestApp } from './test-app.js';

// What the dashboard's Chromium tests share: the window sizes, a twin report, a central with one site synced and
// the twin reported, and a browser whose console errors fail the test.

export const SIZES = [
  { name: 'desktop', viewport: { width: 1280, height: 900 }, isMobile: false },
  { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true },
] as const;

export type WindowSize = (typeof SIZES)[number];

/** A twin's report of 09:00 in a 06:00–13:00 morning, with one sign and a queue series to chart. */
export const twinReport = {
  scenario: 'hospital-district',
  policy: 'combined',
  mode: 'closed-loop',
  speed: 30,
  utcOffsetMin: 480,
  simTimeS: 9 * 3600,
  fromS: 6 * 3600,
  toS: 13 * 3600,
  isRunning: true,
  approachQueueM: 120,
  queueSeries: Array.from({ length: 180 }, (_, i) => ({ simS: 6 * 3600 + i * 60, queueM: (i * 7) % 130 })),
  simOccupancy: { P1: { standard: 300 } },
  signs: [
    {
      siteId: 'hospital-north',
      signId: 'G1',
      location: 'Ring Road westbound, before the hospital junction',
      message: { lines: [{ label: 'P1', arrow: 'left', value: 12, colour: 'green' }] },
    },
  ],
  appointments: {
    status: 'done',
    posted: 3,
    assigned: 1,
    byOutcome: { bay: 1, 'drop-off': 1, 'wait-list': 1 },
    items: [
      { id: 'a1', startMs: 0, simStartS: 27_000, kind: 'standard', outcome: 'bay', lotId: 'P1' },
      { id: 'a2', startMs: 0, simStartS: 27_300, kind: 'standard', outcome: 'drop-off' },
      { id: 'a3', startMs: 0, simStartS: 27_600, kind: 'family', outcome: 'wait-list' },
    ],
  },
  loop: {
    preAssignedByCentral: 212,
    preAssignedWithoutReservation: 9,
    reservationsSeen: 1200,
    sensorToSignMedianMs: 850,
    signLagMedianMs: 760,
    directiveRoundTripMedianMs: 1150,
    signsSendTo: { G1: 'P1' },
  },
};

/** A listening central with the sample site synced once and `report` posted as the twin's state. */
export async function startCentral(report: object = twinReport): Promise<{ t: TestApp; url: string }> {
  const t = await makeTestApp();
  const sync = await t.app.inject({
    method: 'POST',
    url: '/v1/sync',
    headers: { 'content-type': 'application/x-protobuf', authorization: t.auth },
    payload: Buffer.from(encodeSyncRequest(sampleSite().syncRequest(1, 10, 10, T0))),
  });
  expect(sync.statusCode).toBe(200);
  const twin = await t.app.inject({
    method: 'POST',
    url: '/v1/dashboard/twin',
    headers: { authorization: `Bearer ${OPERATOR_KEY}` },
    payload: report,
  });
  expect(twin.statusCode).toBe(204);
  const url = await t.app.listen({ host: '127.0.0.1', port: 0 });
  return { t, url };
}

/** Runs `body` on a fresh page; console errors other than the `expected` ones fail the test. */
export async function withBrowser(
  size: WindowSize,
  expected: RegExp,
  body: (page: Page) => Promise<void>,
): Promise<void> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'citybay-dashboard-chromium-'));
  const browser: BrowserContext = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    viewport: size.viewport,
    isMobile: size.isMobile,
  });
  try {
    const page = await browser.newPage();
    const failures: string[] = [];
    page.on('pageerror', (err) => failures.push(err.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !expected.test(m.text())) failures.push(m.text());
    });
    await body(page);
    expect(failures).toEqual([]);
  } finally {
    await browser.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

/** The page's laid-out width: more than the window means it scrolls sideways. */
export const pageWidth = (page: Page) => page.locator('html').evaluate((html) => html.scrollWidth);
