/**
 * What the tests need from the machine beyond npm packages: independent peers and standard validators from Debian,
 * and a PostgreSQL server. The one list `npm test` provisions from (`citybay-provision`); the README, CONTRIBUTING
 * and `.ci/run` refer to it instead of repeating it.
 */

/** How to tell whether a tool is there. */
export type ToolProbe =
  | { kind: 'command'; command: string }
  | { kind: 'file'; path: string }
  | { kind: 'python-module'; python: string; module: string };

export interface ToolRequirement {
  /** What the tests call it. */
  name: string;
  /** The Debian package that provides it. */
  debianPackage: string;
  /** Which tests use it, for the message when it is missing. */
  usedBy: string;
  probe: ToolProbe;
}

export const TOOL_REQUIREMENTS: readonly ToolRequirement[] = [
  {
    name: 'protoc',
    debianPackage: 'protobuf-compiler',
    usedBy: 'proto: the wire format checked against Google protoc',
    probe: { kind: 'command', command: 'protoc' },
  },
  {
    name: 'socat',
    debianPackage: 'socat',
    usedBy: 'firmware-bridge, scripts: Modbus RTU and MULTI signs over pseudo-terminal pairs',
    probe: { kind: 'command', command: 'socat' },
  },
  {
    name: 'mbpoll',
    debianPackage: 'mbpoll',
    usedBy: 'firmware-bridge: the emulators read by an independent Modbus master',
    probe: { kind: 'command', command: 'mbpoll' },
  },
  {
    name: 'pymodbus',
    debianPackage: 'python3-pymodbus',
    usedBy: 'firmware-bridge: the Modbus links against an independent slave',
    probe: { kind: 'python-module', python: '/usr/bin/python3', module: 'pymodbus' },
  },
  {
    name: 'chromium',
    debianPackage: 'chromium',
    usedBy: 'central, scripts: the dashboard in a real browser (playwright-core)',
    probe: { kind: 'file', path: '/usr/bin/chromium' },
  },
  {
    name: 'sumo',
    debianPackage: 'sumo',
    usedBy: 'sim: exports and results compared with Eclipse SUMO (sumo, netconvert)',
    probe: { kind: 'command', command: 'sumo' },
  },
  {
    name: 'sumo-tools',
    debianPackage: 'sumo-tools',
    usedBy: "sim: SUMO's Python tools (randomTrips) under /usr/share/sumo/tools",
    probe: { kind: 'file', path: '/usr/share/sumo/tools' },
  },
  {
    name: 'promtool',
    debianPackage: 'prometheus',
    usedBy: "central, edge: /metrics checked by Prometheus' promtool",
    probe: { kind: 'command', command: 'promtool' },
  },
  {
    name: 'xmllint',
    debianPackage: 'libxml2-utils',
    usedBy: 'central: DATEX II publications validated against the official schema',
    probe: { kind: 'command', command: 'xmllint' },
  },
  {
    name: 'systemd-analyze',
    debianPackage: 'systemd',
    usedBy: 'edge: the systemd unit checked by systemd-analyze verify',
    probe: { kind: 'command', command: 'systemd-analyze' },
  },
];

/** The database the PostgreSQL tests use unless `CITYBAY_TEST_DATABASE_URL` points elsewhere. */
export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** The Debian package of the PostgreSQL server the provisioner installs when there is none. */
export const POSTGRES_DEBIAN_PACKAGE = 'postgresql';
