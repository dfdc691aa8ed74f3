import type { DirectivesDoc } from '../core/directives-doc.js';

/**
 * Parsed directives by site, reused while the stored version is unchanged: the ingest paths send a site's
 * directives with every acknowledgement, and parsing the document each time would cost more than the batch.
 * One per store, shared by the ingest path and the directives repository.
 */
export class DirectivesCache {
  private readonly docs = new Map<string, DirectivesDoc>();

  /** The document of `siteId` at `version`, if that is the one held. */
  get(siteId: string, version: number): DirectivesDoc | undefined {
    const doc = this.docs.get(siteId);
    return doc && doc.version === version ? doc : undefined;
  }

  set(siteId: string, doc: DirectivesDoc): void {
    this.docs.set(siteId, doc);
  }
}
