import { AreaStatus, BayKind, Colour, type Directives, LineMode } from '@citybay/proto';
import { describe, expect, it } from 'vitest';
import { activeDirectives, NO_DIRECTIVES } from '../../src/core/active-directives.js';
import { type GuidanceMemory, planSignMessages } from '../../src/core/sign-planner.js';
import { buildSiteLayout } from '../../src/core/site-layout.js';
import { SiteState } from '../../src/core/site-state.js';
import { counterReading, reading, smallSite } from '../support/site-fixtures.js';

const guidance = { fullAtFree: 0, reopenAtFree: 3, maxUnknownPct: 25 };

function setup() {
  const file = smallSite();
  const state = new SiteState({ layout: buildSiteLayout(file), debounceMs: 0, deviceStaleMs: 5000 });
  const memory: GuidanceMemory = new Set();
  const plan = (directives: Directives = NO_DIRECTIVES, nowMs = 1000) =>
    planSignMessages({
      state,
      directives: activeDirectives(directives, nowMs),
      signs: file.signs!,
      guidance,
      memory,
      closedByDefault: new Set(),
    })[0]!;
  return { state, plan };
}

describe('planSignMessages', () => {
  it('shows public free counts per line, and falls back (never a count) when the data is unknown', () => {
    const { state, plan } = setup();
    expect(plan().message.lines.map((l) => l.value)).toEqual([{ text: '--' }, { text: '--' }, { text: '--' }]);
    expect(plan().isFallback).toBe(true);
    state.applyReading(
      reading('ctrl-1', 64, 1000, (i) => i < 2),
      1000,
    );
    state.applyReading(
      reading('ctrl-2', 64, 1000, (i) => i === 0),
      1000,
    );
    state.applyReading(counterReading('gate-1', 1000, 10, 0), 1000);
    const planned = plan();
    // P1 public (standard + family) bays: 8 in A, 6 in B; accessible bays BX1/BX2 are not counted.
    expect(planned.message.lines.map((l) => l.value)).toEqual([11, 6, 100]);
    expect(planned.message.lines[0]).toMatchObject({ label: 'P1', arrow: 'left', colour: 'green' });
    expect(planned.face.lines?.[0]).toMatchObject({
      mode: LineMode.LINE_MODE_COUNT,
      count: 11,
      colour: Colour.COLOUR_GREEN,
    });
    expect(planned.isFallback).toBe(false);
  });

  it('shows FULL with hysteresis: FULL at 0 free, a count again only from 3 free', () => {
    const { state, plan } = setup();
    state.applyReading(
      reading('ctrl-2', 64, 1000, () => true),
      1000,
    );
    const occupyAllBut = (free: number) =>
      state.applyReading(
        reading('ctrl-1', 64, 1000, (i) => i >= free),
        1000,
      );
    occupyAllBut(1);
    expect(plan().message.lines[1]!.value).toBe(1);
    occupyAllBut(0);
    expect(plan().message.lines[1]!.value).toBe('FULL');
    occupyAllBut(2);
    expect(plan().message.lines[1]!.value).toBe('FULL');
    occupyAllBut(3);
    expect(plan().message.lines[1]!.value).toBe(3);
    occupyAllBut(1);
    expect(plan().message.lines[1]!.value).toBe(1);
  });

  it('withholds reserved bays from the public while the reservation is valid', () => {
    const { state, plan } = setup();
    state.applyReading(
      reading('ctrl-1', 64, 1000, () => false),
      1000,
    );
    const directives: Directives = {
      siteId: 'hospital-north',
      version: 2,
      reservations: [
        {
          reservationId: 'r1',
          lotId: 'P1',
          zoneId: 'A',
          kind: BayKind.BAY_KIND_STANDARD,
          validFromMs: 500,
          validUntilMs: 2000,
        },
        {
          reservationId: 'r2',
          lotId: 'P1',
          zoneId: 'A',
          kind: BayKind.BAY_KIND_STANDARD,
          bayId: 'A01',
          validFromMs: 500,
          validUntilMs: 2000,
        },
        { reservationId: 'r3', lotId: 'P1', kind: BayKind.BAY_KIND_ACCESSIBLE, validFromMs: 500, validUntilMs: 2000 },
      ],
    };
    expect(plan(directives, 1000).message.lines[1]!.value).toBe(6);
    expect(plan(directives, 2000).message.lines[1]!.value).toBe(8);
  });

  it('applies CLOSED/FULL overrides for their validity and sign overrides until they expire', () => {
    const { state, plan } = setup();
    state.applyReading(
      reading('ctrl-1', 64, 1000, () => false),
      1000,
    );
    state.applyReading(
      reading('ctrl-2', 64, 1000, () => false),
      1000,
    );
    const directives: Directives = {
      siteId: 'hospital-north',
      version: 3,
      lotOverrides: [
        { lotId: 'P1', status: AreaStatus.AREA_STATUS_CLOSED, validFromMs: 0, validUntilMs: 5000, reason: 'works' },
        { lotId: 'P1', zoneId: 'A', status: AreaStatus.AREA_STATUS_FULL, validFromMs: 0, validUntilMs: 0 },
      ],
    };
    expect(
      plan(directives, 1000)
        .message.lines.map((l) => l.value)
        .slice(0, 2),
    ).toEqual(['CLOSED', 'FULL']);
    expect(plan(directives, 6000).message.lines[0]!.value).toBe(14);
    const message: Directives = {
      siteId: 'hospital-north',
      version: 4,
      signOverrides: [
        {
          signId: 'vms-1',
          expiresMs: 3000,
          lines: [{ label: '', mode: LineMode.LINE_MODE_TEXT, text: 'EVENT: USE P2' }],
        },
      ],
    };
    expect(plan(message, 2000).message.lines).toEqual([
      { label: '', arrow: 'none', colour: 'amber', value: { text: 'EVENT: USE P2' } },
    ]);
    expect(plan(message, 3000).message.lines[0]!.value).toBe(14);
  });

  it("falls back when more than maxUnknownPct of a line's bays are unknown", () => {
    const { state, plan } = setup();
    state.applyReading(
      reading('ctrl-1', 64, 1000, () => false),
      1000,
    );
    state.applyReading(
      reading('ctrl-2', 64, 1000, () => false),
      1000,
    );
    state.applyReading(
      reading('ctrl-1', 64, 6500, () => false),
      6500,
    );
    state.tick(6500);
    const planned = plan(NO_DIRECTIVES, 6500);
    expect(planned.message.lines[0]!.value).toEqual({ text: '--' });
    expect(planned.message.lines[1]!.value).toBe(8);
    expect(planned.face.isFallback).toBe(true);
  });
});
