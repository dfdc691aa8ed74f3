import { ERROR_TABLE as centralTable } from '@citybay/central';
import { CENTRAL_PEER_CODES, CentralPeer, TEST_SECRET } from '@citybay/edge/testing';
import { encodeSyncRequest, ERROR_TABLE as protoTable } from '@citybay/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The edge's tests run against a stand-in for central (`CentralPeer`); the edge may not import central, so this is
// where the stand-in is held to central's error table: a code central does not have would teach the sync client
// to handle an answer that never comes. Central's sync route answers from its own table and passes proto's wire
// codes on (a payload that does not decode).
const CENTRAL_ANSWERS: Record<string, { statusCode: number }> = { ...centralTable, ...protoTable };

describe("the edge's stand-in for central", () => {
  const peer = new CentralPeer('site-1', 'edge-1', TEST_SECRET);
  const basic = `Basic ${Buffer.from(`edge-1:${TEST_SECRET}`).toString('base64')}`;
  const protobuf = { authorization: basic, 'content-type': 'application/x-protobuf' };

  beforeAll(() => peer.up());
  afterAll(() => peer.down());

  it("lists only codes of central's table (or proto's, which central's sync route passes on)", () => {
    expect(CENTRAL_PEER_CODES.size).toBeGreaterThan(0);
    expect([...CENTRAL_PEER_CODES].filter((code) => !(code in CENTRAL_ANSWERS))).toEqual([]);
  });

  it.each([
    ['an unknown route', 'GET', '/v1/other', {}, undefined, 'CB_HTTP_NOT_FOUND'],
    [
      'no credentials',
      'POST',
      '/v1/sync',
      { 'content-type': 'application/x-protobuf' },
      undefined,
      'CB_SYNC_UNAUTHORIZED',
    ],
    [
      'JSON instead of protobuf',
      'POST',
      '/v1/sync',
      { authorization: basic, 'content-type': 'application/json' },
      '{}',
      'CB_HTTP_UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'bytes that are no SyncRequest',
      'POST',
      '/v1/sync',
      protobuf,
      new Uint8Array([0xff, 0xff, 0xff]),
      'CB_WIRE_INVALID',
    ],
    [
      'another site',
      'POST',
      '/v1/sync',
      protobuf,
      encodeSyncRequest({ siteId: 'site-2', edgeId: 'edge-1', summaries: [] }),
      'CB_SYNC_FORBIDDEN',
    ],
  ] as const)('refuses %s with central’s code and status', async (_, method, path, headers, body, code) => {
    const response = await fetch(`${peer.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const answer = (await response.json()) as { code: string };
    expect(answer.code).toBe(code);
    expect(CENTRAL_PEER_CODES.has(code)).toBe(true);
    expect(response.status).toBe(CENTRAL_ANSWERS[code]?.statusCode);
  });

  it('refuses to be scripted with a code central does not answer with', () => {
    expect(() => peer.script({ statusCode: 400, code: 'CB_SYNC_UNKNOWN_ZONE', message: 'no such code' })).toThrow(
      /not a code central answers/,
    );
    expect(() => peer.script({ statusCode: 503, code: 'CB_HTTP_SHUTTING_DOWN', message: 'bye' })).not.toThrow();
  });
});
