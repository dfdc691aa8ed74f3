/**
 * The live feed's deltas: what changed from one dashboard snapshot to the next, as a list of operations on JSON
 * paths. A snapshot is mostly the same second after second (lots, devices, directives), and the twin's queue series
 * only grows, so sending the changes instead of the whole snapshot cuts the feed to a fraction; gzip on the stream
 * does the rest. The browser applies them with `dashboard/json-delta.js` (the same three operations).
 */

/** `s`: set the value at the path; `d`: delete the key; `a`: append the items to the array at the path. */
export type DeltaOp =
  ['s', Array<string | number>, unknown] | ['d', Array<string | number>] | ['a', Array<string | number>, unknown[]];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function isEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!isEqual(a[i], b[i])) return false;
    return true;
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((k) => Object.hasOwn(b, k) && isEqual(a[k], b[k]));
  }
  return false;
}

function diffInto(prev: unknown, next: unknown, path: Array<string | number>, ops: DeltaOp[]): void {
  if (isEqual(prev, next)) return;
  if (isObject(prev) && isObject(next)) {
    for (const key of Object.keys(prev)) if (!Object.hasOwn(next, key)) ops.push(['d', [...path, key]]);
    for (const [key, value] of Object.entries(next)) {
      if (Object.hasOwn(prev, key)) diffInto(prev[key], value, [...path, key], ops);
      else ops.push(['s', [...path, key], value]);
    }
    return;
  }
  if (Array.isArray(prev) && Array.isArray(next) && next.length >= prev.length && prev.length > 0) {
    // The same items with some changed, or a series that grew: per item, then the new tail.
    for (let i = 0; i < prev.length; i++) diffInto(prev[i], next[i], [...path, i], ops);
    if (next.length > prev.length) ops.push(['a', path, next.slice(prev.length)]);
    return;
  }
  ops.push(['s', path, next]);
}

/** The operations that turn `prev` into `next` (both plain JSON values). */
export function jsonDelta(prev: unknown, next: unknown): DeltaOp[] {
  const ops: DeltaOp[] = [];
  diffInto(prev, next, [], ops);
  return ops;
}

/** `value` with the operations applied (a new value; `value` is not changed). For tests: browsers use json-delta.js. */
export function applyJsonDelta(value: unknown, ops: readonly DeltaOp[]): unknown {
  let root = structuredClone(value);
  for (const op of ops) {
    const path = op[1];
    if (path.length === 0) {
      if (op[0] === 's') root = structuredClone(op[2]);
      else if (op[0] === 'a') (root as unknown[]).push(...structuredClone(op[2]));
      continue;
    }
    let parent = root as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
    const last = path[path.length - 1]!;
    // Defined, not assigned: a key such as `__proto__` must become a property, not change the prototype.
    if (op[0] === 's')
      Object.defineProperty(parent, last, {
        value: structuredClone(op[2]),
        writable: true,
        enumerable: true,
        configurable: true,
      });
    else if (op[0] === 'd') delete parent[last];
    else (parent[last] as unknown[]).push(...structuredClone(op[2]));
  }
  return root;
}
