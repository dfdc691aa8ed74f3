import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { encodeSyncRequest } from '@citybay/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatexParkingRecord, DatexParkingTablePublication } from '../../src/core/datex-parking-table.js';
import type { DatexParkingStatusPublication } from '../../src/core/datex-publication.js';
import { sampleSite, siteDefinitionFor } from '../helpers/sample-site.js';
import { makeTestApp, OPERATOR_KEY, T0, type TestApp } from '../helpers/test-app.js';

// The official DATEX II v3 schema set (kept verbatim in the repo) and libxml2's validator are the judges here.
const SCHEMA = fileURLToPath(new URL('../../../standards/datex2-v3/wrapper.xsd', import.meta.url));

/** xmllint's verdict on `xml` against the DATEX II v3 schemas: '' when valid, else its complaints. */
function schemaErrors(xml: string): string {
  const result = spawnSync('xmllint', ['--noout', '--schema', SCHEMA, '-'], { input: xml, encoding: 'utf8' });
  if (result.error) throw result.error;
  return result.status === 0 ? '' : result.stderr;
}

let t: TestApp;
let baseUrl: string;
const site = sampleSite();
const definition = siteDefinitionFor(site);

beforeAll(async () => {
  t = await makeTestApp({ datexCountry: 'nl', datexNationalIdentifier: 'NDW-citybay' });
  const synced = await t.app.inject({
    method: 'POST',
    url: '/v1/sync',
    headers: { 'content-type': 'application/x-protobuf', authorization: t.auth },
    payload: Buffer.from(encodeSyncRequest(site.syncRequest(1, 10, 10, T0))),
  });
  expect(synced.statusCode).toBe(200);
  const closed = await t.app.inject({
    method: 'PUT',
    url: '/v1/sites/hospital-north/lot-overrides',
    headers: { authorization: `Bearer ${OPERATOR_KEY}` },
    payload: { lotId: 'P1', status: 'closed', reason: 'resurfacing' },
  });
  expect(closed.statusCode).toBe(200);
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => t.close());

async function get(path: string, accept = 'application/json'): Promise<{ status: number; type: string; body: string }> {
  const res = await fetch(`${baseUrl}${path}`, { headers: { accept } });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
}

const FEEDS = [
  '/v1/datex/parking-status',
  '/v1/sites/hospital-north/datex/parking-status',
  '/v1/datex/parking-table',
  '/v1/sites/hospital-north/datex/parking-table',
];

describe('DATEX II v3 publications', () => {
  it.each(FEEDS)('%s in XML is valid against the official schema', async (path) => {
    const res = await get(path, 'application/xml');
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^application\/xml/);
    expect(schemaErrors(res.body)).toBe('');
    expect(res.body).toContain('<com:country>nl</com:country>');
    expect(res.body).toContain('<com:nationalIdentifier>NDW-citybay</com:nationalIdentifier>');
  });

  it('the schema check is real: what the feed used to send fails it', async () => {
    const xml = (await get(FEEDS[0]!, 'application/xml')).body;
    expect(schemaErrors(xml.replace('<par:parkingTableReference', '<par:parkingTablePublicationReference'))).toMatch(
      /parkingTablePublicationReference/,
    );
    expect(schemaErrors(xml.replaceAll('targetClass="par:ParkingRecord"', 'targetClass="ParkingRecord"'))).toMatch(
      /targetClass/,
    );
    expect(schemaErrors(xml.replace(/<par:parkingStatusOriginTime>[^<]*<\/par:parkingStatusOriginTime>/, ''))).not.toBe(
      '',
    );
  });

  it('the table lists each site and lot with capacities by kind and locations', async () => {
    const table = JSON.parse(
      (await get('/v1/sites/hospital-north/datex/parking-table')).body,
    ) as DatexParkingTablePublication;
    expect(table.publicationCreator).toEqual({ country: 'nl', nationalIdentifier: 'NDW-citybay' });
    const [parkingTable] = table.parkingTablePublication.parkingTable;
    expect(parkingTable).toMatchObject({
      id: 'citybay/hospital-north',
      parkingTableVersionTime: new Date(T0).toISOString(),
    });
    const records = parkingTable!.parkingRecord;
    const byId = new Map<string, DatexParkingRecord>(records.map((r) => [r.id, r]));
    expect([...byId.keys()]).toEqual(['hospital-north', ...definition.lots.map((lot) => `hospital-north/${lot.id}`)]);
    const capacityOf = (i: number) => Object.values(definition.lots[i]!.capacity).reduce((n, c) => n + (c ?? 0), 0);
    expect(byId.get('hospital-north')).toMatchObject({
      type: 'GroupOfParkingSites',
      parkingName: definition.name,
      parkingNumberOfSpaces: capacityOf(0) + capacityOf(1),
      parkingLocation: { longitude: -1.55, latitude: 53.8 },
      parkingSiteByReference: [
        { id: 'hospital-north/P1', version: String(T0), targetClass: 'par:ParkingRecord' },
        { id: 'hospital-north/P2', version: String(T0), targetClass: 'par:ParkingRecord' },
      ],
    });
    const p1 = byId.get('hospital-north/P1');
    expect(p1).toMatchObject({
      type: 'UrbanParkingSite',
      version: String(T0),
      parkingName: 'Car park P1',
      parkingNumberOfSpaces: capacityOf(0),
      parkingLocation: { longitude: -1.55, latitude: 53.8 },
      urbanParkingSiteType: 'offStreetParking',
    });
    const groups = p1!.type === 'UrbanParkingSite' ? p1!.groupOfParkingSpaces : [];
    const expectedKinds = Object.entries(definition.lots[0]!.capacity).filter(([, n]) => (n ?? 0) > 0);
    expect(groups.map((g) => [g.parkingSpaceOrGroupIdentifier, g.parkingNumberOfSpaces])).toEqual(expectedKinds);
    expect(groups.find((g) => g.parkingSpaceOrGroupIdentifier === 'accessible')?.onlyAssignedParking).toEqual({
      applicableForUser: 'disabled',
    });
    expect(groups.find((g) => g.parkingSpaceOrGroupIdentifier === 'ev')?.onlyAssignedParking).toEqual({
      fuelType: 'battery',
    });
  });

  it('every status record refers to a record of the table, and the status to the table, by id and version', async () => {
    for (const scope of ['', '/sites/hospital-north']) {
      const status = JSON.parse((await get(`/v1${scope}/datex/parking-status`)).body) as DatexParkingStatusPublication;
      const table = JSON.parse((await get(`/v1${scope}/datex/parking-table`)).body) as DatexParkingTablePublication;
      const [parkingTable] = table.parkingTablePublication.parkingTable;
      expect(status.parkingStatusPublication.parkingTableReference).toEqual({
        id: parkingTable!.id,
        version: parkingTable!.version,
        targetClass: 'par:ParkingTable',
      });
      const records = new Set(parkingTable!.parkingRecord.map((r) => `${r.id}@${r.version}`));
      const refs = status.parkingStatusPublication.parkingRecordStatus.map(
        (r) => `${r.parkingRecordReference.id}@${r.parkingRecordReference.version}`,
      );
      expect(refs.length).toBe(records.size);
      for (const ref of refs) expect(records).toContain(ref);
    }
  });

  it('publishes a closed lot as closed with 0 vacant, and a site without data as unknown', async () => {
    const status = JSON.parse((await get('/v1/datex/parking-status')).body) as DatexParkingStatusPublication;
    const byId = new Map(
      status.parkingStatusPublication.parkingRecordStatus.map((r) => [r.parkingRecordReference.id, r]),
    );
    expect(byId.get('hospital-north/P1')).toMatchObject({
      type: 'ParkingSiteStatus',
      parkingSiteOpeningStatus: 'closed',
      parkingOccupancy: { parkingNumberOfVacantSpaces: 0 },
    });
    expect(byId.get('hospital-north/P1')).not.toHaveProperty('parkingSiteStatus');
    expect(byId.get('hospital-north/P2')).toMatchObject({
      parkingSiteStatus: expect.stringMatching(/^(spacesAvailable|almostFull|full)$/),
      parkingSiteOpeningStatus: 'open',
    });
    expect(byId.get('hospital-north')?.type).toBe('GroupOfParkingSitesStatus');
    // other-site has never synced: unknown, as of the publication.
    expect(byId.get('other-site')).toMatchObject({
      groupOfParkingSitesStatus: 'unknown',
      parkingStatusOriginTime: status.publicationTime,
    });
    expect(byId.get('other-site/P1')).toMatchObject({
      parkingSiteStatus: 'unknown',
      parkingSiteOpeningStatus: 'statusUnknown',
    });
  });

  it('a site stored again gets new record and table versions, and its status follows', async () => {
    const before = JSON.parse((await get('/v1/datex/parking-table')).body) as DatexParkingTablePublication;
    await t.store.putSite({ ...definition, name: 'Children’s Hospital North (new name)' }, T0 + 5_000);
    const after = JSON.parse((await get('/v1/datex/parking-table')).body) as DatexParkingTablePublication;
    const [tableBefore] = before.parkingTablePublication.parkingTable;
    const [tableAfter] = after.parkingTablePublication.parkingTable;
    expect(tableAfter!.version).not.toBe(tableBefore!.version);
    expect(tableAfter!.parkingTableVersionTime).toBe(new Date(T0 + 5_000).toISOString());
    expect(tableAfter!.parkingRecord.find((r) => r.id === 'hospital-north/P2')?.version).toBe(String(T0 + 5_000));
    expect(tableAfter!.parkingRecord.find((r) => r.id === 'other-site/P2')?.version).toBe(String(T0));
    const status = JSON.parse((await get('/v1/datex/parking-status')).body) as DatexParkingStatusPublication;
    expect(status.parkingStatusPublication.parkingTableReference.version).toBe(tableAfter!.version);
  });

  it('answers an unknown site with 404 CB_SITE_UNKNOWN', async () => {
    for (const feed of ['parking-status', 'parking-table']) {
      const res = await get(`/v1/sites/nowhere/datex/${feed}`);
      expect(res.status).toBe(404);
      expect(JSON.parse(res.body)).toMatchObject({ code: 'CB_SITE_UNKNOWN' });
    }
  });
});

describe('DATEX II publisher settings', () => {
  it('default to country gb and identifier citybay, and refuse a country that is not two lower-case letters', async () => {
    const other = await makeTestApp();
    try {
      const xml = (await other.app.inject({ url: '/v1/datex/parking-table', headers: { accept: 'application/xml' } }))
        .body;
      expect(xml).toContain('<com:country>gb</com:country>');
      expect(xml).toContain('<com:nationalIdentifier>citybay</com:nationalIdentifier>');
      expect(schemaErrors(xml)).toBe('');
    } finally {
      await other.close();
    }
    await expect(makeTestApp({ datexCountry: 'GBR' })).rejects.toMatchObject({
      code: 'CB_CENTRAL_CONFIG_INVALID',
      path: 'datexCountry',
    });
  });
});
