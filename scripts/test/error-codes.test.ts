import { readFileSync } from 'node:fs';
import { ERROR_TABLE as centralTable, errors as centralErrors } from '@citybay/central';
import { CitybayError, type ErrorFactory, type ErrorSpec } from '@citybay/common';
import { ERROR_TABLE as edgeTable, errors as edgeErrors } from '@citybay/edge';
import { ERROR_TABLE as bridgeTable, errors as bridgeErrors } from '@citybay/firmware-bridge';
import { ERROR_TABLE as protoTable, errors as protoErrors } from '@citybay/proto';
import { ERROR_TABLE as simTable, errors as simErrors } from '@citybay/sim';
import { describe, expect, it } from 'vitest';
import { ERROR_TABLE as scriptsTable, errors as scriptsErrors } from '../src/errors.js';

// Every published error code of every package, with its HTTP status: written out by hand, so adding, renaming or
// renumbering a code is a visible change here (removing one, or giving it another meaning, breaks operators'
// alerting and clients). There is no snapshot to re-approve. See docs/errors.md.
const EXPECTED: Record<string, Record<string, number>> = {
  proto: {
    CB_WIRE_INVALID: 400,
    CB_WIRE_TOO_LARGE: 413,
  },
  'firmware-bridge': {
    CB_PROFILE_INVALID: 400,
    CB_MODBUS_TIMEOUT: 504,
    CB_MODBUS_EXCEPTION: 502,
    CB_MODBUS_CRC: 502,
    CB_BUS_CLOSED: 503,
    CB_MODBUS_QUARANTINED: 503,
    CB_MODBUS_BAD_REPLY: 502,
    CB_GPIO_UNAVAILABLE: 503,
    CB_SIGN_REJECTED: 422,
    CB_SIGN_NO_ACK: 504,
  },
  edge: {
    CB_CONFIG_INVALID: 400,
    CB_OUTBOX_UNAVAILABLE: 503,
    CB_OUTBOX_SEQ: 500,
    CB_OUTBOX_SEQ_LIMIT: 409,
    CB_SYNC_REJECTED: 502,
    CB_SYNC_UNREACHABLE: 503,
    CB_SYNC_BAD_RESPONSE: 502,
    CB_LOCAL_BAD_REQUEST: 400,
    CB_LOCAL_LOT_NOT_GATE_COUNTED: 404,
    CB_LOCAL_NOT_FOUND: 404,
    CB_LOCAL_INTERNAL: 500,
  },
  sim: {
    CB_SCENARIO_INVALID: 400,
    CB_LOTS_INVALID: 400,
    CB_NETWORK_INVALID: 400,
    CB_DEMAND_INVALID: 400,
    CB_SIM_UNROUTABLE: 422,
    CB_APPOINTMENT_INVALID: 400,
    CB_SUMO_ROUTES_INVALID: 400,
    CB_SUMO_ADDITIONAL_INVALID: 400,
    CB_SUMO_OUTPUT_INVALID: 400,
    CB_ALLOCATION_INVALID: 400,
    CB_QUEUE_CONFIG_INVALID: 400,
    CB_SWEEP_UNKNOWN: 404,
    CB_SWEEP_FAILED: 422,
  },
  central: {
    CB_CENTRAL_CONFIG_INVALID: 400,
    CB_SITE_INVALID: 400,
    CB_SITE_UNKNOWN: 404,
    CB_LOT_UNKNOWN: 404,
    CB_EDGE_UNKNOWN: 404,
    CB_EDGE_EXISTS: 409,
    CB_SYNC_UNAUTHORIZED: 401,
    CB_SYNC_FORBIDDEN: 403,
    CB_SYNC_UNKNOWN_AREA: 400,
    CB_SYNC_SEQ_JUMP: 409,
    CB_HTTP_BAD_REQUEST: 400,
    CB_HTTP_UNAUTHORIZED: 401,
    CB_HTTP_FORBIDDEN: 403,
    CB_HTTP_NOT_FOUND: 404,
    CB_HTTP_TOO_LARGE: 413,
    CB_HTTP_UNSUPPORTED_MEDIA_TYPE: 415,
    CB_HTTP_RATE_LIMITED: 429,
    CB_HTTP_SHUTTING_DOWN: 503,
    CB_HTTP_INTERNAL: 500,
    CB_STORE_UNAVAILABLE: 503,
    CB_STORE_MIGRATION: 500,
    CB_APPOINTMENTS_CONFLICT: 409,
    CB_APPOINTMENTS_UNAVAILABLE: 503,
    CB_APPOINTMENTS_PAST: 422,
    CB_APPOINTMENTS_TOO_FAR: 422,
    CB_APPOINTMENTS_UNPLANNABLE: 422,
    CB_SCENARIO_JOB_UNKNOWN: 404,
    CB_SCENARIO_JOB_NOT_READY: 409,
    CB_SCENARIO_JOB_FAILED: 422,
    CB_KEYS_INVALID: 400,
    CB_CLI_USAGE: 400,
  },
  scripts: {
    CB_START_PORT_TAKEN: 500,
    CB_START_DEPENDENCY_MISSING: 500,
    CB_START_CHILD_FAILED: 500,
    CB_DISTRICT_INVALID: 400,
    CB_TWIN_INVALID: 400,
    CB_PROVISION_MISSING: 500,
  },
};
const EXPECTED_COUNT = 73;

const TABLES: Record<string, { table: Record<string, ErrorSpec>; errors: Record<string, ErrorFactory> }> = {
  proto: { table: protoTable, errors: protoErrors },
  'firmware-bridge': { table: bridgeTable, errors: bridgeErrors },
  edge: { table: edgeTable, errors: edgeErrors },
  sim: { table: simTable, errors: simErrors },
  central: { table: centralTable, errors: centralErrors },
  scripts: { table: scriptsTable, errors: scriptsErrors },
};
const published = Object.entries(TABLES).flatMap(([pkg, { table }]) =>
  Object.entries(table).map(([code, spec]) => ({ pkg, code, ...spec })),
);

describe('error codes across all packages', () => {
  it('are exactly the expected ones, with their statuses', () => {
    expect(published).toHaveLength(EXPECTED_COUNT);
    const actual = Object.fromEntries(
      Object.entries(TABLES).map(([pkg, { table }]) => [
        pkg,
        Object.fromEntries(Object.entries(table).map(([code, spec]) => [code, spec.statusCode])),
      ]),
    );
    expect(actual).toEqual(EXPECTED);
  });

  it('are unique across packages: one code, one meaning', () => {
    const owners = new Map<string, string[]>();
    for (const { pkg, code } of published) owners.set(code, [...(owners.get(code) ?? []), pkg]);
    expect([...owners].filter(([, pkgs]) => pkgs.length > 1)).toEqual([]);
  });

  it.each(Object.keys(TABLES))('%s: each factory makes errors with its key as code and the table’s status', (pkg) => {
    const { table, errors } = TABLES[pkg]!;
    expect(Object.keys(errors).sort()).toEqual(Object.keys(table).sort());
    for (const [code, spec] of Object.entries(table)) {
      expect(code).toMatch(/^CB_[A-Z0-9]+_[A-Z0-9_]+$/);
      const err = errors[code]!('a message', { path: 'a.field' });
      expect(err).toBeInstanceOf(CitybayError);
      expect(err).toMatchObject({ code, name: code, statusCode: spec.statusCode, path: 'a.field' });
      expect(spec.statusCode).toBeGreaterThanOrEqual(400);
      expect(spec.statusCode).toBeLessThan(600);
    }
  });

  it('are each documented: in their table, and in docs/errors.md with package and status', () => {
    const page = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
    const rows = [...page.matchAll(/^\| `(CB_[A-Z0-9_]+)` \| ([a-z-]+) \| (\d{3}) \| (.+) \|$/gm)].map((m) => ({
      code: m[1]!,
      pkg: m[2]!,
      statusCode: Number(m[3]),
    }));
    for (const { pkg, code, statusCode, description } of published) {
      expect(description.length, code).toBeGreaterThan(15);
      expect(rows, code).toContainEqual({ code, pkg, statusCode });
    }
    expect(rows).toHaveLength(published.length);
  });
});
