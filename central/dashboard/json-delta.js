// Applies the live feed's deltas (central/src/http/dashboard-delta.ts) to the snapshot in hand, in place:
// ['s', path, value] sets, ['d', path] deletes, ['a', path, items] appends to an array.

export function applyDelta(root, ops) {
  for (const [op, path, value] of ops) {
    if (path.length === 0) {
      if (op === 's') root = value;
      else if (op === 'a') root.push(...value);
      continue;
    }
    let parent = root;
    for (const key of path.slice(0, -1)) parent = parent[key];
    const last = path[path.length - 1];
    // Defined, not assigned: a key such as `__proto__` must become a property, not change the prototype.
    if (op === 's')
      Object.defineProperty(parent, last, { value, writable: true, enumerable: true, configurable: true });
    else if (op === 'd') delete parent[last];
    else parent[last].push(...value);
  }
  return root;
}
