// Wire size and speed of one SiteSummary: protobuf against the same content as JSON and gzip'd JSON.
// Run: npm run bench -w @citybay/proto
import { gzipSync } from 'node:zlib';
import {
  Arrow,
  BayKind,
  Colour,
  DeviceStatus,
  decodeBayChanges,
  LineMode,
  messages,
  resolveZoneChanges,
  type SiteSummary,
  unpackBayStates,
  type ZoneCounts,
} from '@citybay/proto';
import { SampleSite } from '@citybay/proto/testing';

const iso = (ms: number | null | undefined) => new Date(ms ?? 0).toISOString();
const name = (e: Record<string, number | string>, value: number | null | undefined, prefix: string) =>
  String(e[value ?? 0] ?? '')
    .replace(prefix, '')
    .toLowerCase();
const STATE_NAMES = ['unknown', 'free', 'occupied'];

/** The same content as a JSON API would naturally carry it: bays by id, names for enums, ISO times. */
function naturalJson(summary: SiteSummary, site: SampleSite, snapshotZones: ZoneCounts[]): unknown {
  const bayId = (i: number) => `${site.bayLot[i]}-${site.bayZone[i]}-${String(i + 1).padStart(4, '0')}`;
  const bays = summary.bays;
  return {
    siteId: summary.siteId,
    edgeId: summary.edgeId,
    seq: summary.seq,
    windowStart: iso(summary.windowStartMs),
    windowEnd: iso(summary.windowEndMs),
    snapshot: summary.isSnapshot ?? false,
    zones: summary.zones?.map((z) => ({
      lot: z.lotId,
      zone: z.zoneId,
      counts: Object.fromEntries(
        (z.kinds ?? []).map((k) => [
          name(BayKind, k.kind, 'BAY_KIND_'),
          { free: k.free ?? 0, occupied: k.occupied ?? 0, unknown: k.unknown ?? 0 },
        ]),
      ),
    })),
    zoneChanges: summary.isSnapshot
      ? undefined
      : resolveZoneChanges(summary.zoneChanges ?? [], snapshotZones).map((c) => ({
          lot: c.lotId,
          zone: c.zoneId,
          kind: name(BayKind, c.kind, 'BAY_KIND_'),
          free: c.free,
          occupied: c.occupied,
          unknown: c.unknown,
        })),
    bays: summary.isSnapshot
      ? Object.fromEntries(
          [...unpackBayStates(bays?.snapshot ?? new Uint8Array(), bays?.bayCount ?? 0)].map((s, i) => [
            bayId(i),
            STATE_NAMES[s],
          ]),
        )
      : undefined,
    bayChanges: summary.isSnapshot
      ? undefined
      : decodeBayChanges(bays?.changes ?? []).map((c) => ({ bay: bayId(c.index), state: STATE_NAMES[c.state] })),
    gates: summary.gates?.map((g) => ({ lot: g.lotId, gate: g.gateId, entries: g.entriesTotal, exits: g.exitsTotal })),
    devices: summary.devices?.map((d) => ({
      id: d.deviceId,
      status: name(DeviceStatus, d.status, 'DEVICE_STATUS_'),
      ok: d.okCount,
      timeouts: d.timeoutCount,
      crcErrors: d.crcErrorCount,
      exceptions: d.exceptionCount,
      lastGood: iso(d.lastGoodMs),
    })),
    signs: summary.signs?.map((s) => ({
      id: s.signId,
      lines: s.lines?.map((l) => ({
        label: l.label,
        arrow: name(Arrow, l.arrow, 'ARROW_'),
        mode: name(LineMode, l.mode, 'LINE_MODE_'),
        count: l.count,
        colour: name(Colour, l.colour, 'COLOUR_'),
      })),
    })),
    softwareVersion: summary.softwareVersion,
    configVersion: summary.configVersion,
  };
}

function ratePerSecond(fn: () => void, budgetMs = 400): number {
  for (let i = 0; i < 50; i++) fn();
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < budgetMs) {
    for (let i = 0; i < 20; i++) fn();
    count += 20;
  }
  return count / ((performance.now() - start) / 1000);
}

const Message = messages.SiteSummary;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const rows: string[][] = [];
const header = [
  'bays',
  'summary',
  'protobuf B',
  'JSON B',
  'gzip JSON B',
  'proto3-JSON B',
  'pb/JSON',
  'pb enc/s',
  'pb dec/s',
  'JSON enc/s',
  'JSON dec/s',
];

for (const bayCount of [50, 500, 5000]) {
  const site = new SampleSite({ bayCount, seed: 11 });
  const cases: [string, SiteSummary][] = [
    ['snapshot', site.snapshot(1, 1_795_000_000_000)],
    ['10 changed', site.changeOnly(2, 1_795_000_005_000, 10)],
  ];
  for (const [label, summary] of cases) {
    const pb = Message.encode(summary).finish();
    const snapshotZones = cases[0]![1].zones ?? [];
    const jsonText = JSON.stringify(naturalJson(summary, site, snapshotZones));
    const json = Buffer.from(jsonText);
    const proto3Json = Buffer.from(
      JSON.stringify(Message.toObject(Message.decode(pb), { longs: String, enums: String, bytes: String })),
    );
    const natural = naturalJson(summary, site, snapshotZones);
    rows.push([
      String(bayCount),
      label,
      fmt(pb.length),
      fmt(json.length),
      fmt(gzipSync(json).length),
      fmt(proto3Json.length),
      `${((pb.length / json.length) * 100).toFixed(1)}%`,
      fmt(ratePerSecond(() => Message.encode(summary).finish())),
      fmt(ratePerSecond(() => Message.decode(pb))),
      fmt(ratePerSecond(() => JSON.stringify(natural))),
      fmt(ratePerSecond(() => JSON.parse(jsonText))),
    ]);
  }
}

const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
console.log(
  'SiteSummary wire size and speed (JSON = the same content as a JSON API carries it: bay ids, enum names, ISO times;',
);
console.log("proto3-JSON = protobuf's canonical JSON mapping of the same message, for reference)\n");
console.log(line(header));
for (const row of rows) console.log(line(row));
const target = rows.find((r) => r[0] === '500' && r[1] === '10 changed')!;
console.log(
  `\nTarget (500 bays, 10 changed): protobuf ${target[2]} B (≤ 200 B) = ${target[6]} of JSON (≤ 10%) — ${
    Number(target[2]!.replace(/,/g, '')) <= 200 && Number.parseFloat(target[6]!) <= 10 ? 'MET' : 'NOT MET'
  }`,
);
