import type { BayCapacity, LotDefinition, SiteDefinition } from './site-definition.js';
import {
  type DatexPayloadHead,
  type DatexPublisher,
  type DatexReference,
  el,
  isoTime,
  multilingual,
  payloadXml,
  referenceXml,
  versionHash,
  type XmlElement,
} from './datex-xml.js';

/** A site as the parking table publishes it: its definition and when that was last stored. */
export interface VersionedSite {
  definition: SiteDefinition;
  updatedMs: number;
}

/** Bays of one kind in a lot, as a `par:GroupOfParkingSpaces` (statistics only: no per-group status). */
export interface DatexGroupOfParkingSpaces {
  groupIndex: number;
  /** The citybay bay kind (`accessible`, …). */
  parkingSpaceOrGroupIdentifier: string;
  parkingNumberOfSpaces: number;
  /** Who the bays are only for; absent for standard bays, open to everyone. */
  onlyAssignedParking?: { applicableForUser?: string; fuelType?: string };
}

interface DatexRecordBase {
  id: string;
  version: string;
  parkingName: string;
  parkingRecordVersionTime: string;
  parkingNumberOfSpaces: number;
  /** WGS 84, as `loc:PointLocation` / `pointByCoordinates`. */
  parkingLocation: { latitude: number; longitude: number };
}

/** A lot: `par:UrbanParkingSite` (off-street), with its bays by kind. */
export interface DatexUrbanParkingSite extends DatexRecordBase {
  type: 'UrbanParkingSite';
  groupOfParkingSpaces: DatexGroupOfParkingSpaces[];
  urbanParkingSiteType: 'offStreetParking';
}

/** A site: `par:GroupOfParkingSites` aggregating its lots. */
export interface DatexGroupOfParkingSites extends DatexRecordBase {
  type: 'GroupOfParkingSites';
  groupOfParkingSitesType: 'aggregationOfInformation';
  parkingSiteByReference: Array<DatexReference & { targetClass: 'par:ParkingRecord' }>;
}

export type DatexParkingRecord = DatexUrbanParkingSite | DatexGroupOfParkingSites;

/** A DATEX II v3 `ParkingTablePublication` in its JSON form: the static records status publications refer to. */
export interface DatexParkingTablePublication extends DatexPayloadHead {
  parkingTablePublication: {
    lang: string;
    parkingTable: Array<{
      id: string;
      version: string;
      parkingTableName: string;
      parkingTableVersionTime: string;
      parkingRecord: DatexParkingRecord[];
    }>;
  };
}

/** What the table is called and who publishes it. */
export interface DatexTableOptions {
  publisher: DatexPublisher;
  /** Table id: one table per feed (all sites, or one site). */
  tableId: string;
}

const LANG = 'en';

/** The id of a lot's record; a site's record has the site id. */
export const lotRecordId = (siteId: string, lotId: string): string => `${siteId}/${lotId}`;

/** A record's version: the time its site's definition was stored, so a new definition is a new version. */
export const recordVersion = (updatedMs: number): string => String(updatedMs);

/** The version of a table over these sites: changes when a site is added, removed or stored again. */
export function tableVersion(sites: ReadonlyArray<{ siteId: string; updatedMs: number }>): string {
  return versionHash(sites.map((s) => `${s.siteId}@${s.updatedMs}`).join('\n'));
}

/** DATEX II's bay assignments for citybay's bay kinds (standard bays are open to everyone). */
const ASSIGNMENT_BY_KIND: Record<keyof BayCapacity, DatexGroupOfParkingSpaces['onlyAssignedParking']> = {
  standard: undefined,
  accessible: { applicableForUser: 'disabled' },
  family: { applicableForUser: 'families' },
  ev: { fuelType: 'battery' },
  staff: { applicableForUser: 'staff' },
};

function lotPosition(lot: LotDefinition): { latitude: number; longitude: number } {
  if (lot.geometry.type === 'Point') {
    const [longitude, latitude] = lot.geometry.coordinates;
    return { latitude, longitude };
  }
  // A polygon's outline: the mean of its outer ring's corners (the ring repeats its first corner at the end).
  const ring = lot.geometry.coordinates[0]!.slice(0, -1);
  const mean = (i: 0 | 1) => ring.reduce((sum, p) => sum + p[i], 0) / ring.length;
  return { latitude: mean(1), longitude: mean(0) };
}

function lotRecord(site: VersionedSite, lot: LotDefinition): DatexUrbanParkingSite {
  const kinds = (Object.keys(ASSIGNMENT_BY_KIND) as Array<keyof BayCapacity>).filter((k) => (lot.capacity[k] ?? 0) > 0);
  return {
    type: 'UrbanParkingSite',
    id: lotRecordId(site.definition.id, lot.id),
    version: recordVersion(site.updatedMs),
    parkingName: lot.name,
    parkingRecordVersionTime: isoTime(site.updatedMs),
    parkingNumberOfSpaces: Object.values(lot.capacity).reduce((n: number, c) => n + (c ?? 0), 0),
    parkingLocation: lotPosition(lot),
    groupOfParkingSpaces: kinds.map((kind, i) => ({
      groupIndex: i + 1,
      parkingSpaceOrGroupIdentifier: kind,
      parkingNumberOfSpaces: lot.capacity[kind] ?? 0,
      ...(ASSIGNMENT_BY_KIND[kind] ? { onlyAssignedParking: ASSIGNMENT_BY_KIND[kind] } : {}),
    })),
    urbanParkingSiteType: 'offStreetParking',
  };
}

function siteRecord(site: VersionedSite, lots: DatexUrbanParkingSite[]): DatexGroupOfParkingSites {
  const [longitude, latitude] = site.definition.location;
  return {
    type: 'GroupOfParkingSites',
    id: site.definition.id,
    version: recordVersion(site.updatedMs),
    parkingName: site.definition.name,
    parkingRecordVersionTime: isoTime(site.updatedMs),
    parkingNumberOfSpaces: lots.reduce((n, lot) => n + lot.parkingNumberOfSpaces, 0),
    parkingLocation: { latitude, longitude },
    groupOfParkingSitesType: 'aggregationOfInformation',
    parkingSiteByReference: lots.map((lot) => ({ id: lot.id, version: lot.version, targetClass: 'par:ParkingRecord' })),
  };
}

/** The parking table of `sites`: per site a group record aggregating its lots, and a record per lot. */
export function datexParkingTable(
  sites: readonly VersionedSite[],
  nowMs: number,
  options: DatexTableOptions,
): DatexParkingTablePublication {
  const records: DatexParkingRecord[] = [];
  for (const site of sites) {
    const lots = site.definition.lots.map((lot) => lotRecord(site, lot));
    records.push(siteRecord(site, lots), ...lots);
  }
  const versions = sites.map((s) => ({ siteId: s.definition.id, updatedMs: s.updatedMs }));
  return {
    modelBaseVersion: '3',
    publicationTime: isoTime(nowMs),
    publicationCreator: options.publisher,
    parkingTablePublication: {
      lang: LANG,
      parkingTable: [
        {
          id: options.tableId,
          version: tableVersion(versions),
          parkingTableName: `citybay parking (${options.tableId})`,
          parkingTableVersionTime: isoTime(Math.max(0, ...versions.map((v) => v.updatedMs))),
          parkingRecord: records,
        },
      ],
    },
  };
}

function recordXml(record: DatexParkingRecord): XmlElement {
  const { latitude, longitude } = record.parkingLocation;
  const common = [
    multilingual('par:parkingName', record.parkingName, LANG),
    el('par:parkingRecordVersionTime', {}, record.parkingRecordVersionTime),
    el('par:parkingNumberOfSpaces', {}, record.parkingNumberOfSpaces),
    el('par:parkingLocation', { 'xsi:type': 'loc:PointLocation' }, [
      el('loc:pointByCoordinates', {}, [
        el('loc:pointCoordinates', {}, [el('loc:latitude', {}, latitude), el('loc:longitude', {}, longitude)]),
      ]),
    ]),
  ];
  const attrs = { 'xsi:type': `par:${record.type}`, id: record.id, version: record.version };
  if (record.type === 'GroupOfParkingSites') {
    return el('par:parkingRecord', attrs, [
      ...common,
      el('par:groupOfParkingSitesType', {}, record.groupOfParkingSitesType),
      ...record.parkingSiteByReference.map((ref) => referenceXml('par:parkingSiteByReference', ref)),
    ]);
  }
  return el('par:parkingRecord', attrs, [
    ...common,
    ...record.groupOfParkingSpaces.map((group) =>
      el('par:groupOfParkingSpaces', { groupIndex: group.groupIndex }, [
        el('par:parkingSpaceBasics', { 'xsi:type': 'par:GroupOfParkingSpaces' }, [
          multilingual('par:parkingSpaceOrGroupIdentifier', group.parkingSpaceOrGroupIdentifier, LANG),
          group.onlyAssignedParking &&
            el('par:onlyAssignedParking', {}, [
              group.onlyAssignedParking.applicableForUser === undefined
                ? undefined
                : el('par:applicableForUser', {}, group.onlyAssignedParking.applicableForUser),
              group.onlyAssignedParking.fuelType === undefined
                ? undefined
                : el('par:vehicleCharacteristics', {}, [el('com:fuelType', {}, group.onlyAssignedParking.fuelType)]),
            ]),
          el('par:parkingNumberOfSpaces', {}, group.parkingNumberOfSpaces),
          el('par:parkingTypeOfGroup', {}, 'statisticsOnly'),
        ]),
      ]),
    ),
    el('par:urbanParkingSiteType', {}, record.urbanParkingSiteType),
  ]);
}

/** The same table as DATEX II v3 XML (`d2:payload` of type `par:ParkingTablePublication`). */
export function datexParkingTableXml(publication: DatexParkingTablePublication): string {
  const p = publication.parkingTablePublication;
  return payloadXml(
    'par:ParkingTablePublication',
    publication,
    p.lang,
    p.parkingTable.map((table) =>
      el('par:parkingTable', { id: table.id, version: table.version }, [
        multilingual('par:parkingTableName', table.parkingTableName, p.lang),
        el('par:parkingTableVersionTime', {}, table.parkingTableVersionTime),
        ...table.parkingRecord.map(recordXml),
      ]),
    ),
  );
}
