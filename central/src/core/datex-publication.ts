import type { AreaCounts, SiteStatus } from './lot-status.js';

/**
 * A DATEX II v3 `ParkingStatusPublication` (namespace `prk`) in its JSON form: one `parkingRecordStatus`
 * per site (the aggregate) and per lot, with vacant/occupied spaces, occupancy, site status and origin time.
 */
export interface DatexParkingStatusPublication {
  modelBaseVersion: '3';
  publicationTime: string;
  publicationCreator: { country: string; nationalIdentifier: string };
  parkingStatusPublication: {
    lang: string;
    parkingTablePublicationReference: { id: string; version: string; targetClass: 'ParkingTablePublication' };
    parkingRecordStatus: DatexParkingSiteStatus[];
  };
}

export interface DatexParkingSiteStatus {
  type: 'ParkingSiteStatus';
  parkingRecordReference: { id: string; version: string; targetClass: 'ParkingRecord' };
  parkingStatusOriginTime: string | null;
  parkingOccupancy: {
    parkingNumberOfSpacesOverride: number;
    parkingNumberOfVacantSpaces: number;
    parkingNumberOfOccupiedSpaces: number;
    parkingOccupancy: number;
  };
  parkingSiteStatus: AreaCounts['status'];
  parkingSiteOpeningStatus: 'open' | 'closed' | 'unknown';
}

export interface DatexOptions {
  /** Country code of the publisher. Default `gb`. */
  country?: string;
  /** Publisher id. Default `citybay`. */
  nationalIdentifier?: string;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function record(id: string, counts: AreaCounts): DatexParkingSiteStatus {
  return {
    type: 'ParkingSiteStatus',
    parkingRecordReference: { id, version: '1', targetClass: 'ParkingRecord' },
    parkingStatusOriginTime: iso(counts.originMs),
    parkingOccupancy: {
      parkingNumberOfSpacesOverride: counts.capacity,
      parkingNumberOfVacantSpaces: counts.vacant,
      parkingNumberOfOccupiedSpaces: counts.occupied,
      parkingOccupancy: counts.occupancyPct,
    },
    parkingSiteStatus: counts.status,
    parkingSiteOpeningStatus: counts.status === 'closed' ? 'closed' : counts.status === 'unknown' ? 'unknown' : 'open',
  };
}

export function datexParkingStatus(
  sites: readonly SiteStatus[],
  nowMs: number,
  options: DatexOptions = {},
): DatexParkingStatusPublication {
  const records: DatexParkingSiteStatus[] = [];
  for (const site of sites) {
    records.push(record(site.siteId, site));
    for (const lot of site.lots) records.push(record(`${site.siteId}/${lot.lotId}`, lot));
  }
  return {
    modelBaseVersion: '3',
    publicationTime: new Date(nowMs).toISOString(),
    publicationCreator: {
      country: options.country ?? 'gb',
      nationalIdentifier: options.nationalIdentifier ?? 'citybay',
    },
    parkingStatusPublication: {
      lang: 'en',
      parkingTablePublicationReference: {
        id: 'citybay-parking-table',
        version: '1',
        targetClass: 'ParkingTablePublication',
      },
      parkingRecordStatus: records,
    },
  };
}

const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The same publication as DATEX II v3 XML (`d2:payload` of type `prk:ParkingStatusPublication`). */
export function datexParkingStatusXml(publication: DatexParkingStatusPublication): string {
  const p = publication.parkingStatusPublication;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<d2:payload xmlns:d2="http://datex2.eu/schema/3/d2Payload" xmlns:com="http://datex2.eu/schema/3/common"',
    '  xmlns:prk="http://datex2.eu/schema/3/parking" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
    `  xsi:type="prk:ParkingStatusPublication" modelBaseVersion="3" lang="${p.lang}">`,
    `  <com:publicationTime>${publication.publicationTime}</com:publicationTime>`,
    '  <com:publicationCreator>',
    `    <com:country>${escapeXml(publication.publicationCreator.country)}</com:country>`,
    `    <com:nationalIdentifier>${escapeXml(publication.publicationCreator.nationalIdentifier)}</com:nationalIdentifier>`,
    '  </com:publicationCreator>',
    `  <prk:parkingTablePublicationReference targetClass="prk:ParkingTablePublication" id="${p.parkingTablePublicationReference.id}" version="1"/>`,
  ];
  for (const r of p.parkingRecordStatus) {
    const o = r.parkingOccupancy;
    lines.push(
      '  <prk:parkingRecordStatus xsi:type="prk:ParkingSiteStatus">',
      `    <prk:parkingRecordReference targetClass="prk:ParkingRecord" id="${escapeXml(r.parkingRecordReference.id)}" version="1"/>`,
      ...(r.parkingStatusOriginTime
        ? [`    <prk:parkingStatusOriginTime>${r.parkingStatusOriginTime}</prk:parkingStatusOriginTime>`]
        : []),
      '    <prk:parkingOccupancy>',
      `      <prk:parkingNumberOfSpacesOverride>${o.parkingNumberOfSpacesOverride}</prk:parkingNumberOfSpacesOverride>`,
      `      <prk:parkingNumberOfVacantSpaces>${o.parkingNumberOfVacantSpaces}</prk:parkingNumberOfVacantSpaces>`,
      `      <prk:parkingNumberOfOccupiedSpaces>${o.parkingNumberOfOccupiedSpaces}</prk:parkingNumberOfOccupiedSpaces>`,
      `      <prk:parkingOccupancy>${o.parkingOccupancy}</prk:parkingOccupancy>`,
      '    </prk:parkingOccupancy>',
      `    <prk:parkingSiteStatus>${r.parkingSiteStatus}</prk:parkingSiteStatus>`,
      `    <prk:parkingSiteOpeningStatus>${r.parkingSiteOpeningStatus}</prk:parkingSiteOpeningStatus>`,
      '  </prk:parkingRecordStatus>',
    );
  }
  lines.push('</d2:payload>');
  return `${lines.join('\n')}\n`;
}
