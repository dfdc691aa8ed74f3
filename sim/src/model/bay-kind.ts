/** The kinds of bay the whole system counts and allocates (the same five as the wire contract). */
export const BAY_KINDS = ['standard', 'accessible', 'family', 'ev', 'staff'] as const;
export type BayKind = (typeof BAY_KINDS)[number];

export function isBayKind(value: unknown): value is BayKind {
  return typeof value === 'string' && (BAY_KINDS as readonly string[]).includes(value);
}
