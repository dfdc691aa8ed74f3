/**
 * Bounds every appointment input is held to, whatever its form (FHIR R4, plain JSON, CSV): checked where the
 * input is read, so nothing past them reaches the allocator (see sim/README.md, "Appointment files").
 */
export const APPOINTMENT_LIMITS = {
  /** Longest appointment (end − start, or `minutesDuration`/`durationMin`), minutes: bays are planned per day. */
  maxDurationMin: 1440,
  /** Earliest instant accepted: 1970-01-01T00:00:00Z (ms since the epoch). */
  earliestMs: 0,
  /** Latest instant accepted: 9999-12-31T23:59:59.999Z, the last a four-digit year (FHIR's) can name. */
  latestMs: Date.UTC(9999, 11, 31, 23, 59, 59, 999),
  /** Most appointments (Bundle entries, array items, CSV rows) in one document. */
  maxAppointments: 10_000,
  /** Longest id, entrance id or origin zone id, characters (FHIR's limit for a resource id). */
  maxIdLength: 64,
  /** Longest free text kept (service type, participant reference, time stamps), characters. */
  maxTextLength: 256,
  /** Most issues reported for one document; later ones are counted in one last issue. */
  maxIssues: 100,
} as const;
