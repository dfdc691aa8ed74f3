import { type AppointmentEntry, readAppointmentDocument } from '@citybay/sim';
import type { SubmissionView } from '../core/appointment-answers.js';
import { type PlanIssue, siteIssuesOf } from '../core/appointment-checks.js';
import { allocatorLotsOf } from '../core/appointment-day.js';
import { locationEntrancesOf, type SiteDefinition } from '../core/site-definition.js';
import type { CentralContext } from './context.js';
import { AppointmentRequestError } from './fhir-media.js';

const byEntry = (a: PlanIssue, b: PlanIssue): number => (a.entry ?? -1) - (b.entry ?? -1);

/**
 * Reads a submitted document against the site, plans what it may and answers with a view of it all. A FHIR
 * batch is taken entry by entry (bad or refused entries are answered on their own, the others planned); every
 * other document is one transaction: any error throws an {@link AppointmentRequestError} listing every bad
 * entry, and nothing is stored.
 */
export async function submitAppointments(
  ctx: CentralContext,
  site: SiteDefinition,
  document: unknown,
  isFhir: boolean,
): Promise<SubmissionView> {
  const read = readAppointmentDocument(document, isFhir ? 'fhir' : undefined, {
    locationEntrances: locationEntrancesOf(site),
    utcOffsetMin: site.utcOffsetMin ?? 0,
  });
  const entrances = new Set(allocatorLotsOf(site).flatMap((lot) => Object.keys(lot.walkTimeSByEntrance)));
  const issues: PlanIssue[] = [
    ...read.issues.map((i) => (i.severity === 'error' ? { ...i, code: 'CB_APPOINTMENT_INVALID' } : i)),
    ...siteIssuesOf(read.entries, entrances),
  ];
  const isBatch = read.container === 'batch';
  const failing = issues.filter((i) => i.severity === 'error');
  if (failing.length > 0 && (!isBatch || failing.some((i) => i.entry === undefined))) {
    throw new AppointmentRequestError(failing.sort(byEntry));
  }
  const failedEntries = new Set(failing.map((i) => i.entry));
  const toPlan = read.entries.filter((e) => e.appointment !== undefined && !failedEntries.has(e.index));
  const result = await ctx.planner.planSubmission(
    site,
    toPlan.map((e) => e.appointment!),
    { isAtomic: !isBatch },
  );
  const entryById = new Map<string, AppointmentEntry>(toPlan.map((e) => [e.appointment!.id, e]));
  const refusals: PlanIssue[] = result.refused.map((r) => {
    const entry = entryById.get(r.appointmentId)!;
    const path = entry.fields!.start;
    return {
      severity: 'error',
      type: 'business-rule',
      code: r.code,
      path,
      entry: entry.index,
      message: `${path} (id "${r.appointmentId}"): ${r.message}`,
    };
  });
  if (refusals.length > 0 && !isBatch) throw new AppointmentRequestError(refusals.sort(byEntry));
  return {
    siteId: site.id,
    document,
    read,
    issues: [...issues, ...refusals].sort(byEntry),
    answers: result.answers,
    createdIds: result.createdIds,
  };
}
