import { errors } from '../errors.js';
import type { SumoSource } from './attribute-reader.js';
import type { SumoRouteFile } from './sumo-routes.js';

/**
 * Checks the references between the route files of one run (SUMO lets vTypes and routes live in any of the route or
 * additional files it loads): every route, routeDistribution and vType a vehicle or distribution names must be
 * defined in one of them (or be SUMO's `DEFAULT_VEHTYPE`). Throws `CB_SUMO_ROUTES_INVALID` at the first bad one.
 */
export function checkSumoReferences(files: readonly SumoRouteFile[]): void {
  const routeIds = new Set(
    files.flatMap((f) => [...f.routes.map((r) => r.id), ...f.routeDistributions.map((d) => d.id)]),
  );
  const typeIds = new Set([
    'DEFAULT_VEHTYPE',
    ...files.flatMap((f) => [...f.vTypes.map((t) => t.id), ...f.vTypeDistributions.map((d) => d.id)]),
  ]);
  for (const file of files) {
    const fail = (source: SumoSource, attribute: string, message: string) =>
      errors.CB_SUMO_ROUTES_INVALID(`${file.fileName}:${source.line}: ${source.path}.${attribute}: ${message}`, {
        path: `${source.path}.${attribute}`,
      });
    for (const distribution of file.routeDistributions) {
      for (const member of distribution.members) {
        if (!routeIds.has(member.routeId))
          throw fail(distribution.source, 'route', `unknown route "${member.routeId}"`);
      }
      if (distribution.members.length === 0) throw fail(distribution.source, 'route', 'an empty routeDistribution');
    }
    for (const distribution of file.vTypeDistributions) {
      for (const id of distribution.typeIds) {
        if (!typeIds.has(id)) throw fail(distribution.source, 'vTypes', `unknown vType "${id}"`);
      }
    }
    for (const item of file.demand) {
      if (item.routeId !== undefined && !routeIds.has(item.routeId)) {
        throw fail(item.source, 'route', `unknown route or routeDistribution "${item.routeId}"`);
      }
      if (!typeIds.has(item.typeId)) throw fail(item.source, 'type', `unknown vType "${item.typeId}"`);
    }
  }
}
