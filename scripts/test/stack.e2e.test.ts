import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { REPO_ROOT } from '../src/stack/package-commands.js';
import { ManagedChild } from '../src/stack/managed-child.js';
import { isPortFree } from '../src/stack/ports.js';
import { type ClockFileContent, simulatedMs } from '@citybay/common';
import { PublicCounts } from '@citybay/guidance';
import { type BayKind, bayKindName } from '@citybay/proto';

// The whole district as `npm start` runs it (real processes, real Modbus, real protobuf sync), on a short window:
// 07:00–07:50 of the simulated day at 80× (under 40 s), then the twin holds its last state.
const SPEED = 80;
// `CITYBAY_UPDATE_SCREENSHOTS=1` refreshes the README's screenshots in docs/; otherwise they go to the temp dir.
const SHOTS_DIR = process.env.CITYBAY_UPDATE_SCREENSHOTS === '1' ? join(REPO_ROOT, 'docs') : undefined;

interface ZoneRow {
  lotId: string;
  zoneId: string;
  kinds: Record<string, { free: number; occupied: number; unknown: number }>;
}
interface SignFace {
  signId: string;
  lines: Array<{ label: string; text: string }>;
}
interface TwinSign {
  signId: string;
  message: { lines: Array<{ label: string; value: number | string | { text: string } }> } | null;
}
interface DashboardState {
  sites: Array<{
    id: string;
    zones: ZoneRow[];
    signs: SignFace[];
    directives: { version: number; reservationCount: number; heldNowByLot: Record<string, Record<string, number>> };
    edges: Array<{ edgeId: string; directivesVersionApplied: number }>;
  }>;
  twin: null | {
    isRunning: boolean;
    simTimeS: number;
    simOccupancy: Record<string, Record<string, number>>;
    signs: TwinSign[];
    mode?: string;
    appointments: { status: string; posted: number; assigned: number; byOutcome?: Record<string, number> };
    loop?: { preAssignedByCentral: number; reservationsSeen: number; signsSendTo: Record<string, string | null> };
  };
}

/** Polls `probe` until it answers a value (every 200 ms, like the page's own refresh), failing after `deadlineMs`. */
function pollUntil<T>(what: string, deadlineMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  return vi.waitFor(
    async () => {
      const value = await probe();
      if (value === undefined) throw new Error(`${what}: not within ${deadlineMs} ms`);
      return value;
    },
    { timeout: deadlineMs, interval: 200 },
  );
}

interface Stack {
  centralUrl: string;
  dashboardUrl: string;
  keys: { hospital: string; engineer: string; operator: string };
}

describe('npm start: the district on emulated devices', () => {
  let start: ManagedChild;
  let stack: Stack;
  let dataDir: string;
  const state = async (): Promise<DashboardState> =>
    (await (await fetch(`${stack.centralUrl}/v1/dashboard/state`)).json()) as DashboardState;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'citybay-e2e-'));
    // What `npm start` runs, from the TypeScript sources: the orchestrator as its own process.
    start = new ManagedChild({
      name: 'start',
      command: process.execPath,
      args: [
        '--conditions=@citybay/source',
        '--import',
        'tsx',
        join(REPO_ROOT, 'scripts/src/start.ts'),
        ...[
          '--port',
          '0',
          '--data',
          dataDir,
          '--fresh',
          '--speed',
          String(SPEED),
          '--from',
          '07:00',
          '--to',
          '07:50',
          '--fault-every',
          '0',
        ],
      ],
      cwd: REPO_ROOT,
      keepLines: 2000,
    });
    const banner = await start.waitForLine((line) => line.includes('Dashboard:'), 150_000, 'the dashboard URL');
    const dashboardUrl = /(http:\/\/\S+\/dashboard\/)/.exec(banner)![1]!;
    const key = (role: string) => readFileSync(join(dataDir, 'credentials', `${role}.key`), 'utf8').trim();
    stack = {
      dashboardUrl,
      centralUrl: dashboardUrl.replace(/\/dashboard\/$/, ''),
      keys: { hospital: key('hospital'), engineer: key('engineer'), operator: key('operator') },
    };
  }, 160_000);

  afterAll(async () => {
    if (start !== undefined && !start.hasExited) await start.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('serves a dashboard whose counts change live, and a what-if page that runs a comparison (chromium)', async () => {
    const userDataDir = mkdtempSync(join(tmpdir(), 'citybay-chromium-'));
    const browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
        '--disable-quic',
      ],
      viewport: { width: 1280, height: 1400 },
    });
    try {
      const page = await browser.newPage();
      await page.goto(stack.dashboardUrl);
      const hospitalFree = page.locator('[data-lot="H"] [data-role="free"]');
      await hospitalFree.waitFor({ timeout: 30_000 });
      const first = await hospitalFree.textContent();
      // The twin parks and frees cars in the emulated sensors; the page must follow without a reload.
      await pollUntil('the hospital lot count changes on the page', 30_000, async () =>
        (await hospitalFree.textContent()) !== first ? true : undefined,
      );
      await page.locator('.sign .line').first().waitFor({ timeout: 15_000 });
      await page.locator('#queue-chart svg path').first().waitFor({ timeout: 15_000 });
      // Half an hour into the simulated peak the queue chart and the lots have something to show.
      await pollUntil('the page shows simulated 07:30', 60_000, async () =>
        ((await page.locator('#sim-clock').textContent()) ?? '') >= '07:30' ? true : undefined,
      );
      const dashboardShot = join(SHOTS_DIR ?? dataDir, 'dashboard.png');
      await page.screenshot({ path: dashboardShot, fullPage: true });
      expect(statSync(dashboardShot).size).toBeGreaterThan(50_000);

      // Readable on a phone: one column, nothing wider than the screen.
      await page.setViewportSize({ width: 390, height: 844 });
      await pollUntil('the phone layout', 5_000, async () => {
        const lots = await page.locator('#lots').boundingBox();
        const card = await page.locator('[data-lot="H"]').boundingBox();
        return lots !== null && card !== null && lots.x + lots.width <= 390 && card.width > 300 ? true : undefined;
      });
      await page.screenshot({ path: join(SHOTS_DIR ?? dataDir, 'dashboard-phone.png') });
      await page.setViewportSize({ width: 1280, height: 1400 });

      await page.goto(`${stack.dashboardUrl}whatif.html#key=${stack.keys.engineer}`);
      await page.locator('#policies input[type=checkbox]').first().waitFor({ timeout: 15_000 });
      await page.locator('#run').click();
      await page.locator('#kpi-table tr').nth(2).waitFor({ timeout: 90_000 });
      await page.locator('#queue-chart svg path').first().waitFor({ timeout: 5_000 });
      await page.screenshot({ path: join(SHOTS_DIR ?? dataDir, 'whatif.png'), fullPage: true });
    } finally {
      await browser.close();
      rmSync(userDataDir, { recursive: true, force: true });
    }
  }, 150_000);

  it('a bay the twin changes reaches central and the right signs within seconds', async () => {
    // Once the twin holds its last state the emulated bays stop moving: central must then agree exactly.
    await pollUntil('twin holding', 60_000, async () => ((await state()).twin?.isRunning === false ? true : undefined));
    const heldAtMs = Date.now();
    const occupiedOf = (zones: ZoneRow[], lotId: string) =>
      zones
        .filter((z) => z.lotId === lotId && z.zoneId !== '')
        .reduce((sum, z) => sum + Object.values(z.kinds).reduce((a, k) => a + k.occupied, 0), 0);
    await pollUntil("central's zone API agrees with the twin on lot H", 20_000, async () => {
      const s = await state();
      const simulated = Object.values(s.twin?.simOccupancy.H ?? {}).reduce((a, b) => a + b, 0);
      const { zones } = (await (await fetch(`${stack.centralUrl}/v1/sites/hospital/zones`)).json()) as {
        zones: ZoneRow[];
      };
      return occupiedOf(zones, 'H') === simulated && simulated > 0 ? true : undefined;
    });
    expect(Date.now() - heldAtMs).toBeLessThan(20_000);

    // G-west shows lot H's free standard and family bays less those held now for appointments (FULL at 2 or
    // fewer, a count again from 6: the edge's hysteresis); the emulated sign's registers and the face the edge
    // reports to central must both show it. What is held is the guidance policy's own count (a reservation holds a
    // free bay where it can be honoured), over the reservations in force on the twin's calendar.
    const twinClock = JSON.parse(readFileSync(join(dataDir, 'twin-clock.json'), 'utf8')) as ClockFileContent;
    const publicFree = async (s: DashboardState, lotId: string) => {
      const hospital = s.sites.find((site) => site.id === 'hospital')!;
      const calendarMs = simulatedMs(twinClock, Date.now());
      const directives = (await (await fetch(`${stack.centralUrl}/v1/sites/hospital/directives`)).json()) as {
        reservations?: Array<{
          lotId: string;
          zoneId?: string;
          kind: number;
          validFromMs: number;
          validUntilMs: number;
        }>;
      };
      const counts = new PublicCounts({
        zones: hospital.zones
          .filter((z) => z.zoneId !== '')
          .map((z) => ({ lotId: z.lotId, zoneId: z.zoneId, byKind: z.kinds })),
        reservations: (directives.reservations ?? [])
          .filter((r) => Number(r.validFromMs) <= calendarMs && calendarMs < Number(r.validUntilMs))
          .map((r) => ({
            lotId: r.lotId,
            kind: bayKindName(r.kind as BayKind) ?? 'standard',
            ...(r.zoneId ? { zoneId: r.zoneId } : {}),
          })),
      });
      return counts.area({ lotId, kinds: ['standard', 'family'] }).publicFree;
    };
    const fits = (shown: string | undefined, offered: number) =>
      offered > 6
        ? shown === String(offered)
        : offered <= 2
          ? shown === 'FULL'
          : shown === 'FULL' || shown === String(offered);
    await pollUntil('sign G-west shows lot H', 15_000, async () => {
      const s = await state();
      const emulated = s.twin?.signs
        .find((sign) => sign.signId === 'G-west')
        ?.message?.lines.find((l) => l.label === 'H');
      const emulatedText =
        typeof emulated?.value === 'object'
          ? emulated.value.text
          : emulated?.value === undefined
            ? undefined
            : String(emulated.value);
      const reported = s.sites.find((site) => site.id === 'hospital')!.signs.find((sign) => sign.signId === 'G-west');
      const reportedText = reported?.lines.find((l) => l.label === 'H')?.text;
      const offered = await publicFree(s, 'H');
      return fits(emulatedText, offered) && fits(reportedText, offered) ? true : undefined;
    });
  }, 120_000);

  it('closes the loop: drivers hold the reservations the edge received, and go where the signs the edge wrote send them', async () => {
    // Pre-assigned drivers of the live window set off holding the reservation their edge had received.
    const twinState = await pollUntil('drivers on reservations the edge received', 60_000, async () => {
      const twin = (await state()).twin;
      return twin?.mode === 'closed-loop' && (twin.loop?.preAssignedByCentral ?? 0) > 0 ? twin : undefined;
    });
    expect(twinState.loop!.reservationsSeen).toBeGreaterThan(0);
    // The hospital booked its cars before the window: each got an explicit outcome from central, the dashboard
    // counts them, and the twin's drivers play them (a lot only for those central placed).
    const booked = twinState.appointments;
    expect(booked.status).toBe('done');
    expect(booked.posted).toBeGreaterThan(0);
    expect(Object.values(booked.byOutcome ?? {}).reduce((sum, n) => sum + n, 0)).toBe(booked.posted);
    expect(booked.byOutcome?.['unanswered']).toBeUndefined();
    expect(booked.assigned).toBe((booked.byOutcome?.['bay'] ?? 0) + (booked.byOutcome?.['park-and-ride'] ?? 0));
    // The reservations are held on the twin's simulated day, so some are held "now" on the dashboard.
    const hospital = (await state()).sites.find((site) => site.id === 'hospital')!;
    expect(Object.keys(hospital.directives.heldNowByLot).length).toBeGreaterThan(0);
    // An operator's message on G-west (lines H then P2, as printed on the sign), written by the edge to the emulated
    // sign: the twin's drivers follow it.
    const before = twinState.loop!.signsSendTo['G-west'];
    const target = before === 'P2' ? 'H' : 'P2';
    const put = await fetch(`${stack.centralUrl}/v1/sites/hospital/sign-overrides`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.keys.operator}` },
      body: JSON.stringify({
        signId: 'G-west',
        lines: ['H', 'P2'].map((label) =>
          label === target
            ? { label, arrow: 'ahead', mode: 'count', count: 42, colour: 'green' }
            : { label, arrow: 'ahead', mode: 'full', colour: 'red' },
        ),
        expiresMs: Date.now() + 10 * 60_000,
        reason: 'e2e: closed loop',
      }),
    });
    expect(put.status, await put.text()).toBeLessThan(300);
    await pollUntil(`the twin's drivers sent to ${target} by G-west`, 20_000, async () =>
      (await state()).twin?.loop?.signsSendTo['G-west'] === target ? true : undefined,
    );
    const removed = await fetch(`${stack.centralUrl}/v1/sites/hospital/sign-overrides/G-west`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${stack.keys.operator}` },
    });
    expect(removed.status).toBeLessThan(300);
  }, 90_000);

  it('an appointment posted to the hospital API gets a bay and changes the directives', async () => {
    const before = await state();
    const versionBefore = new Map(before.sites.map((s) => [s.id, s.directives.version]));
    // Central plans on the twin's calendar (its clock file): two simulated hours after the twin's now.
    const twinClockNow = JSON.parse(readFileSync(join(dataDir, 'twin-clock.json'), 'utf8')) as ClockFileContent;
    const startMs = simulatedMs(twinClockNow, Date.now()) + 2 * 3600_000;
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        {
          resource: {
            resourceType: 'Appointment',
            id: 'e2e-appointment-1',
            status: 'booked',
            start: new Date(startMs).toISOString(),
            end: new Date(startMs + 30 * 60_000).toISOString(),
            participant: [{ status: 'accepted', actor: { reference: 'Patient/e2e' } }],
            extension: [
              { url: 'https://citybay.dev/fhir/StructureDefinition/parking-required-kind', valueCode: 'accessible' },
              { url: 'https://citybay.dev/fhir/StructureDefinition/hospital-entrance', valueString: 'main' },
            ],
          },
        },
      ],
    };
    const response = await fetch(`${stack.centralUrl}/v1/appointments?siteId=hospital`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.keys.hospital}` },
      body: JSON.stringify(bundle),
    });
    const text = await response.text();
    expect(response.status, text).toBeLessThan(300);
    expect(text).toContain('e2e-appointment-1');
    const lotId = /"lotId"\s*:\s*"([^"]+)"/.exec(text)?.[1];
    expect(lotId, text).toBeDefined();
    // Central's directives API: a new version with a reservation for this appointment in the assigned lot.
    const versionBeforeHospital = versionBefore.get('hospital') ?? 0;
    const newVersion = await pollUntil('a reservation for the appointment in the directives', 20_000, async () => {
      const directives = (await (await fetch(`${stack.centralUrl}/v1/sites/hospital/directives`)).json()) as {
        version: number | string;
        reservations?: Array<{ reservationId: string; lotId: string }>;
      };
      const mine = directives.reservations?.find((r) => r.reservationId.startsWith('appt-e2e-appointment-1-'));
      return Number(directives.version) > versionBeforeHospital && mine?.lotId === lotId
        ? Number(directives.version)
        : undefined;
    });
    // …which the hospital site's edge applies (it reports the version it runs with in its next sync).
    await pollUntil('the hospital edge applies the new directives', 20_000, async () => {
      const s = await state();
      const edge = s.sites.find((site) => site.id === 'hospital')!.edges.find((e) => e.edgeId === 'edge-hospital');
      return (edge?.directivesVersionApplied ?? 0) >= newVersion ? true : undefined;
    });
  }, 60_000);

  it('stops every process on Ctrl-C and exits 0', async () => {
    start.process.kill('SIGINT');
    expect(await start.whenExited()).toBe(0);
    expect(start.recentLines.some((line) => line.includes('stopped cleanly'))).toBe(true);
    await expect(fetch(`${stack.centralUrl}/healthz`)).rejects.toThrow();
    // The emulators (hosted by the twin) are gone too: their ports refuse connections.
    const layout = JSON.parse(readFileSync(join(dataDir, 'twin.json'), 'utf8')) as {
      emulators: Array<{ port?: number }>;
    };
    for (const { port } of layout.emulators) {
      if (port !== undefined) expect(await isPortFree(port)).toBe(true);
    }
  }, 60_000);
});
