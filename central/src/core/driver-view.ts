import type { AllocatableKind, Appointment, Assignment } from '@citybay/sim';
import type { LotStatus } from './lot-status.js';
import type { SiteDefinition } from './site-definition.js';

/**
 * What one driver's page shows: their outcome, lot, entrance, bay kind, arrival window, the last turns and the lot's
 * live free count. Only this appointment's plan and public lot data: no appointment id, patient or other car.
 */
export interface DriverView {
  siteName: string;
  outcome: Assignment['outcome'] | 'pending';
  /** What to do, in one sentence. */
  headline: string;
  lot?: {
    name: string;
    lastTurns: string[];
    /** Free bays now (free less active reservations), and of the car's kind; null while unknown. */
    free: number | null;
    freeOfKind: number | null;
    status: string;
  };
  zoneId?: string;
  kind?: string;
  /** When to reach the lot gate (or the drop-off kerb), site-local `HH:MM`, with the instants. */
  arrivalWindow?: { from: string; to: string; fromMs: number; toMs: number };
  /** The hospital entrance to walk to, and how long from the lot (or the shuttle stop). */
  entrance?: { name: string; walkMin: number | null };
  shuttle?: { rideMin: number; everyMin: number };
  /** The allocator suggests another appointment time (site-local `HH:MM`); the hospital confirms it. */
  suggestedStart?: string;
  /** Minutes the arrival was moved (negative earlier). */
  arrivalShiftMin: number;
  routeText?: string;
  /** The day's version: changes whenever the plan does. */
  version: number;
  /** How often the page asks again (s). */
  refreshS: number;
}

// Keyed by the allocator's kinds, so a kind added there without a name here fails to compile.
const KIND_NAMES: Record<AllocatableKind, string> = {
  standard: 'a standard bay',
  accessible: 'an accessible bay',
  family: 'a family bay',
  ev: 'an EV charging bay',
};

/** `HH:MM` at the site (its fixed offset from UTC). */
export function siteClock(ms: number, utcOffsetMin: number): string {
  const local = new Date(ms + utcOffsetMin * 60_000);
  return `${String(local.getUTCHours()).padStart(2, '0')}:${String(local.getUTCMinutes()).padStart(2, '0')}`;
}

export function driverView(
  site: SiteDefinition,
  appointment: Appointment | undefined,
  assignment: Assignment | undefined,
  lots: readonly LotStatus[],
  version: number,
  refreshS: number,
): DriverView {
  const offset = site.utcOffsetMin ?? 0;
  const base = { siteName: site.name, arrivalShiftMin: assignment?.arrivalShiftMin ?? 0, version, refreshS };
  if (appointment === undefined || assignment === undefined) {
    return { ...base, outcome: 'pending', headline: 'Your parking is being planned; this page updates by itself.' };
  }
  // Days stored before outcomes were named say only whether a bay is held.
  const outcome = assignment.outcome ?? (assignment.placed ? 'bay' : 'wait-list');
  const window = assignment.arrivalWindow;
  const arrivalWindow = {
    from: siteClock(window.fromMs, offset),
    to: siteClock(window.toMs, offset),
    fromMs: window.fromMs,
    toMs: window.toMs,
  };
  const entranceDef = site.entrances.find((e) => e.id === appointment.entranceId);
  const lotDef = site.lots.find((l) => l.id === assignment.lotId);
  const walkS = lotDef?.walkTimeSByEntrance?.[appointment.entranceId];
  const entrance = {
    name: entranceDef?.name ?? appointment.entranceId,
    walkMin: walkS === undefined ? null : Math.max(1, Math.round(walkS / 60)),
  };
  const view: DriverView = { ...base, outcome, headline: '', entrance };
  if (assignment.reschedule !== undefined)
    view.suggestedStart = siteClock(assignment.reschedule.suggestedStartMs, offset);
  if (outcome === 'released') {
    view.headline = 'No bay is held for this appointment any more.';
    return view;
  }
  view.arrivalWindow = arrivalWindow;
  if (outcome === 'drop-off') {
    view.headline = `No bay is free for you: please be dropped off at the ${entrance.name} between ${arrivalWindow.from} and ${arrivalWindow.to}.`;
    return view;
  }
  if (outcome === 'wait-list' || lotDef === undefined) {
    view.headline =
      'No bay is free for you yet: you are on the wait-list, and this page shows your bay as soon as one frees.';
    return view;
  }
  const status = lots.find((l) => l.lotId === lotDef.id);
  const hasCounts = status !== undefined && status.status !== 'unknown';
  view.lot = {
    name: lotDef.name,
    lastTurns: lotDef.lastTurns ?? [],
    free: hasCounts ? status.vacant : null,
    freeOfKind: hasCounts && assignment.kind !== undefined ? (status.kinds[assignment.kind]?.free ?? null) : null,
    status: status?.status ?? 'unknown',
  };
  if (assignment.zoneId) view.zoneId = assignment.zoneId;
  if (assignment.kind !== undefined) view.kind = assignment.kind;
  if (assignment.route?.text !== undefined) view.routeText = assignment.route.text;
  const what = assignment.kind === undefined ? 'a bay' : KIND_NAMES[assignment.kind];
  if (outcome === 'park-and-ride' && assignment.shuttle !== undefined) {
    view.shuttle = {
      rideMin: Math.round(assignment.shuttle.rideS / 60),
      everyMin: Math.round(assignment.shuttle.headwayS / 60),
    };
    view.headline = `Park at ${lotDef.name} (${what}) between ${arrivalWindow.from} and ${arrivalWindow.to}, then take the shuttle to the hospital.`;
  } else {
    view.headline = `Park at ${lotDef.name} (${what}) between ${arrivalWindow.from} and ${arrivalWindow.to}.`;
  }
  return view;
}
