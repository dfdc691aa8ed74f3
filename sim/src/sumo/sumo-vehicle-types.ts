import type { SumoRouteFile, SumoVType, SumoVTypeDistribution } from './sumo-routes.js';
import { attr } from './xml-text.js';

/** What a SUMO vehicle keeps of its file for export-sumo: its type and the attributes citybay does not drive. */
export interface SumoVehicleAttributes {
  /** The vType or vTypeDistribution id the vehicle names (`DEFAULT_VEHTYPE`, SUMO's own, when it names none). */
  typeId: string;
  /** `SUMO_VEHICLE_ATTRIBUTES` as given, in that order (none: SUMO's defaults). */
  attributes: Record<string, string>;
  /**
   * Set when the car is one of a flow export-sumo writes back as that flow (see `sumoTrips`): its id, `begin` and `end`
   * (s, citybay time; no end when `number` alone bounds it) and `period`/`vehsPerHour`/`number` as given.
   */
  flow?: { id: string; beginS: number; endS?: number; rates: Record<string, string> };
}

/** vTypes and vTypeDistributions as the route files define them. */
export interface SumoTypeDefinitions {
  vTypes: SumoVType[];
  vTypeDistributions: SumoVTypeDistribution[];
}

/**
 * The definitions `typeIds` need, in file order: the vTypes and distributions named, every member of a distribution
 * named, and the whole distribution of a vType written inside one (SUMO defines it only there). Ids no file defines
 * (SUMO's own `DEFAULT_VEHTYPE`, …) need none. A later file's definition of an id wins, as in `sumoTrips`.
 */
export function usedTypeDefinitions(files: readonly SumoRouteFile[], typeIds: Iterable<string>): SumoTypeDefinitions {
  const vTypeById = new Map<string, SumoVType>();
  const distributionById = new Map<string, SumoVTypeDistribution>();
  for (const file of files) {
    for (const vType of file.vTypes) vTypeById.set(vType.id, vType);
    for (const distribution of file.vTypeDistributions) distributionById.set(distribution.id, distribution);
  }
  const usedDistributions = new Set<string>();
  const usedTypes = new Set<string>();
  for (const id of new Set(typeIds)) {
    if (distributionById.has(id)) usedDistributions.add(id);
    const vType = vTypeById.get(id);
    if (vType === undefined) continue;
    usedTypes.add(id);
    if (vType.distributionId !== undefined) usedDistributions.add(vType.distributionId);
  }
  for (const id of usedDistributions) for (const member of distributionById.get(id)!.typeIds) usedTypes.add(member);
  return {
    vTypes: [...vTypeById.values()].filter((vType) => usedTypes.has(vType.id)),
    vTypeDistributions: [...distributionById.values()].filter((d) => usedDistributions.has(d.id)),
  };
}

/** ` name="value"` for each attribute, in the order given. */
export function attributesText(attributes: Record<string, string>): string {
  return Object.entries(attributes)
    .map(([name, value]) => ` ${name}="${attr(value)}"`)
    .join('');
}

/**
 * The definitions as XML lines of a routes file: top-level vTypes first (a distribution may name them), then each
 * distribution with the vTypes written inside it, every element with the attributes and params its file gave.
 */
export function typeDefinitionLines(types: SumoTypeDefinitions): string[] {
  const lines: string[] = [];
  const vTypeLines = (vType: SumoVType, indent: string) => {
    const open = `${indent}<vType${attributesText(vType.attributes)}`;
    if (vType.params.length === 0) {
      lines.push(`${open}/>`);
      return;
    }
    lines.push(`${open}>`);
    for (const param of vType.params) lines.push(`${indent}  <param${attributesText(param)}/>`);
    lines.push(`${indent}</vType>`);
  };
  for (const vType of types.vTypes) if (vType.distributionId === undefined) vTypeLines(vType, '  ');
  for (const distribution of types.vTypeDistributions) {
    const inside = types.vTypes.filter((vType) => vType.distributionId === distribution.id);
    const open = `  <vTypeDistribution${attributesText(distribution.attributes)}`;
    if (inside.length === 0) {
      lines.push(`${open}/>`);
      continue;
    }
    lines.push(`${open}>`);
    for (const vType of inside) vTypeLines(vType, '    ');
    lines.push('  </vTypeDistribution>');
  }
  return lines;
}
