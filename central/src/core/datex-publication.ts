import { lotRecordId, recordVersion, tableVersion } from './datex-parking-table.js';
import {
  type DatexPayloadHead,
  type DatexPublisher,
  type DatexReference,
  el,
  isoTime,
  payloadXml,
  referenceXml,
  type XmlElement,
} from './datex-xml.js';
import type { AreaCounts, SiteStatus } from './lot-status.js';

export type { DatexPublisher } from './datex-xml.js';

/**
 * A DATEX II v3 `ParkingStatusPublication` in its JSON form: one `GroupOfParkingSitesStatus` per site (the
 * aggregate of its lots) and one `ParkingSiteStatus` per lot, each referring to its record in the
 * `ParkingTablePublication` (`parkingTableReference`, record ids and versions), with vacant/occupied spaces,
 * occupancy, status and origin time.
 */
export interface DatexParkingStatusPublication extends DatexPayloadHead {
  parkingStatusPublication: {
    lang: string;
    parkingTableReference: DatexReference & { targetClass: 'par:ParkingTable' };
    parkingRecordStatus: DatexParkingRecordStatus[];
  };
}

interface DatexRecordStatusBase {
  parkingRecordReference: DatexReference & { targetClass: 'par:ParkingRecord' };
  /** When the counts were measured; the publication time when there are none yet (then the status is unknown). */
  parkingStatusOriginTime: string;
  parkingOccupancy: {
    parkingNumberOfSpacesOverride: number;
    parkingNumberOfVacantSpaces: number;
    parkingNumberOfOccupiedSpaces: number;
    parkingOccupancy: number;
  };
}

/** A lot's status. A closed lot has no `parkingSiteStatus` (DATEX has no such value): its opening status says it. */
export interface DatexParkingSiteStatus extends DatexRecordStatusBase {
  type: 'ParkingSiteStatus';
  parkingSiteStatus?: 'spacesAvailable' | 'almostFull' | 'full' | 'unknown';
  parkingSiteOpeningStatus: 'open' | 'closed' | 'statusUnknown';
}

/** A site's status over all its lots. */
export interface DatexGroupOfParkingSitesStatus extends DatexRecordStatusBase {
  type: 'GroupOfParkingSitesStatus';
  groupOfParkingSitesStatus?: 'allParkingsFull' | 'enoughSpacesAvailable' | 'unknown';
}

export type DatexParkingRecordStatus = DatexParkingSiteStatus | DatexGroupOfParkingSitesStatus;

export interface DatexStatusOptions {
  publisher: DatexPublisher;
  /** The id of the parking table the records are in (see `datexParkingTable`). */
  tableId: string;
}

/** A site's status with the time its definition (and so its records' version) was stored. */
export interface VersionedSiteStatus {
  status: SiteStatus;
  updatedMs: number;
}

const LANG = 'en';

function statusBase(id: string, updatedMs: number, counts: AreaCounts, nowMs: number): DatexRecordStatusBase {
  return {
    parkingRecordReference: { id, version: recordVersion(updatedMs), targetClass: 'par:ParkingRecord' },
    parkingStatusOriginTime: isoTime(counts.originMs ?? nowMs),
    parkingOccupancy: {
      parkingNumberOfSpacesOverride: counts.capacity,
      parkingNumberOfVacantSpaces: counts.vacant,
      parkingNumberOfOccupiedSpaces: counts.occupied,
      parkingOccupancy: counts.occupancyPct,
    },
  };
}

function lotStatus(id: string, updatedMs: number, counts: AreaCounts, nowMs: number): DatexParkingSiteStatus {
  const { status } = counts;
  return {
    type: 'ParkingSiteStatus',
    ...statusBase(id, updatedMs, counts, nowMs),
    ...(status === 'closed' ? {} : { parkingSiteStatus: status }),
    parkingSiteOpeningStatus: status === 'closed' ? 'closed' : status === 'unknown' ? 'statusUnknown' : 'open',
  };
}

const GROUP_STATUS: Partial<Record<AreaCounts['status'], DatexGroupOfParkingSitesStatus['groupOfParkingSitesStatus']>> =
  { full: 'allParkingsFull', spacesAvailable: 'enoughSpacesAvailable', unknown: 'unknown' };

function siteStatus(site: VersionedSiteStatus, nowMs: number): DatexGroupOfParkingSitesStatus {
  const groupStatus = GROUP_STATUS[site.status.status];
  return {
    type: 'GroupOfParkingSitesStatus',
    ...statusBase(site.status.siteId, site.updatedMs, site.status, nowMs),
    ...(groupStatus === undefined ? {} : { groupOfParkingSitesStatus: groupStatus }),
  };
}

export function datexParkingStatus(
  sites: readonly VersionedSiteStatus[],
  nowMs: number,
  options: DatexStatusOptions,
): DatexParkingStatusPublication {
  const records: DatexParkingRecordStatus[] = [];
  for (const site of sites) {
    records.push(siteStatus(site, nowMs));
    for (const lot of site.status.lots) {
      records.push(lotStatus(lotRecordId(site.status.siteId, lot.lotId), site.updatedMs, lot, nowMs));
    }
  }
  const versions = sites.map((s) => ({ siteId: s.status.siteId, updatedMs: s.updatedMs }));
  return {
    modelBaseVersion: '3',
    publicationTime: isoTime(nowMs),
    publicationCreator: options.publisher,
    parkingStatusPublication: {
      lang: LANG,
      parkingTableReference: { id: options.tableId, version: tableVersion(versions), targetClass: 'par:ParkingTable' },
      parkingRecordStatus: records,
    },
  };
}

function recordStatusXml(r: DatexParkingRecordStatus): XmlElement {
  const o = r.parkingOccupancy;
  const specific =
    r.type === 'ParkingSiteStatus'
      ? [
          r.parkingSiteStatus === undefined ? undefined : el('par:parkingSiteStatus', {}, r.parkingSiteStatus),
          el('par:parkingSiteOpeningStatus', {}, r.parkingSiteOpeningStatus),
        ]
      : [
          r.groupOfParkingSitesStatus === undefined
            ? undefined
            : el('par:groupOfParkingSitesStatus', {}, r.groupOfParkingSitesStatus),
        ];
  return el('par:parkingRecordStatus', { 'xsi:type': `par:${r.type}` }, [
    referenceXml('par:parkingRecordReference', r.parkingRecordReference),
    el('par:parkingStatusOriginTime', {}, r.parkingStatusOriginTime),
    el('par:parkingOccupancy', {}, [
      el('par:parkingNumberOfSpacesOverride', {}, o.parkingNumberOfSpacesOverride),
      el('par:parkingNumberOfVacantSpaces', {}, o.parkingNumberOfVacantSpaces),
      el('par:parkingNumberOfOccupiedSpaces', {}, o.parkingNumberOfOccupiedSpaces),
      el('par:parkingOccupancy', {}, o.parkingOccupancy),
    ]),
    ...specific,
  ]);
}

/** The same publication as DATEX II v3 XML (`d2:payload` of type `par:ParkingStatusPublication`). */
export function datexParkingStatusXml(publication: DatexParkingStatusPublication): string {
  const p = publication.parkingStatusPublication;
  return payloadXml('par:ParkingStatusPublication', publication, p.lang, [
    referenceXml('par:parkingTableReference', p.parkingTableReference),
    ...p.parkingRecordStatus.map(recordStatusXml),
  ]);
}
