import type { LazyTreeTo, Router } from './shortest-paths.js';

/**
 * The paths the link model drives: from an edge down its destination's shortest-path tree, as `LinkGraph` walks it
 * (ties broken as there). Trees are built lazily and kept per destination, so many cars to one place cost one tree.
 */
export class ModelPaths {
  private readonly trees = new Map<number, LazyTreeTo>();

  constructor(private readonly router: Router) {}

  /** Edge indices from `start` to `target` (both included), or undefined when the target cannot be reached. */
  indices(start: number, target: number): number[] | undefined {
    let tree = this.trees.get(target);
    if (tree === undefined) {
      tree = this.router.lazyTreeTo(target);
      this.trees.set(target, tree);
    }
    if (!Number.isFinite(tree.costS(start))) return undefined;
    const path: number[] = [];
    for (let e = start; e !== -1; e = tree.nextEdge(e)) path.push(e);
    return path;
  }
}
