/**
 * The kinds of bay the whole system knows, by the lower-case names configuration files, APIs and pages spell them:
 * the one list. The wire's `BayKind` enum, the site file and lots file schemas, central's site definitions, the
 * allocator's options and the dashboard are built from it or tied to it by a test (scripts/test/bay-kinds.test.ts).
 */
export const BAY_KINDS = ['standard', 'accessible', 'family', 'ev', 'staff'] as const;
export type BayKindName = (typeof BAY_KINDS)[number];

export function isBayKind(value: unknown): value is BayKindName {
  return typeof value === 'string' && (BAY_KINDS as readonly string[]).includes(value);
}
