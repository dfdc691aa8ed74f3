import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { SampleSite } from '../src/testing/index.js';
import { decodeSyncRequest, encodeSyncRequest } from '../src/wire-codec.js';
import type { SyncRequest } from '../src/wire-types.js';
import { messages } from '../src/wire-types.js';

const plain = (value: unknown): unknown =>
  JSON.parse(
    JSON.stringify(value, (_key, v) => (v instanceof Uint8Array ? Array.from(v) : v?.type === 'Buffer' ? v.data : v)),
  );

// Google's protoc is the independent implementation: what we encode it must decode, and the other way round.
const protoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const protoFile = 'citybay/v1/sync.proto';

function protoc(args: string[], input: Uint8Array | string): Buffer {
  return execFileSync('protoc', [`-I${protoRoot}`, ...args, protoFile], { input, maxBuffer: 64 << 20 });
}

// The reflection types (parsed from the .proto by protobufjs' full build) give field order and kinds for
// writing protobuf text format by hand, independently of the generated code under test.
const root = protobuf.loadSync(join(protoRoot, protoFile));

function textFormat(type: protobuf.Type, message: Record<string, unknown>, indent = ''): string {
  let out = '';
  for (const field of type.fieldsArray) {
    const raw = message[field.name];
    if (raw === undefined || raw === null) continue;
    const values = field.repeated ? (raw as unknown[]) : [raw];
    const resolved = field.resolve().resolvedType;
    for (const value of values) {
      const name = field.options?.json_name ?? snake(field.name);
      if (resolved instanceof protobuf.Type) {
        out += `${indent}${name} {\n${textFormat(resolved, value as Record<string, unknown>, `${indent}  `)}${indent}}\n`;
      } else if (resolved instanceof protobuf.Enum) {
        out += `${indent}${name}: ${resolved.valuesById[value as number]}\n`;
      } else if (field.type === 'bytes') {
        out += `${indent}${name}: "${[...(value as Uint8Array)].map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('')}"\n`;
      } else if (field.type === 'string') {
        out += `${indent}${name}: ${JSON.stringify(value)}\n`;
      } else {
        out += `${indent}${name}: ${String(value)}\n`;
      }
    }
  }
  return out;
}
const snake = (camel: string) => camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function realisticRequest(): SyncRequest {
  const request = new SampleSite({ bayCount: 120, seed: 3 }).syncRequest(1000, 3, 6);
  // The first summary stands for eleven the outbox compacted (seqs 990..1000).
  Object.assign(request.summaries![0]!, { mergedFromSeq: 990, compactedCount: 11 });
  return request;
}

describe('interop with protoc', () => {
  it('protoc --decode reads every field the project encodes', () => {
    const request = realisticRequest();
    const text = protoc(['--decode=citybay.v1.SyncRequest'], encodeSyncRequest(request)).toString('utf8');
    // Unknown fields would show up as bare numbers: protoc must know every field we wrote.
    expect(text).not.toMatch(/^\s*\d+:/m);
    const expected = textFormat(root.lookupType('citybay.v1.SyncRequest'), request as Record<string, unknown>);
    // protoc prints the same fields in the same order; only default values (which we skip too) are omitted.
    expect(normaliseText(text)).toBe(normaliseText(expected));
  });

  it('the project decodes what protoc --encode writes', () => {
    const request = realisticRequest();
    const text = textFormat(root.lookupType('citybay.v1.SyncRequest'), request as Record<string, unknown>);
    const decoded = decodeSyncRequest(new Uint8Array(protoc(['--encode=citybay.v1.SyncRequest'], text)));
    expect(decoded.summaries).toHaveLength(3);
    expect(decoded.summaries?.[0]?.bays?.bayCount).toBe(120);
    // Field for field, with defaults filled in on both sides the way the decoder fills them.
    const { SyncRequest: message } = messages;
    const options = { longs: Number, enums: Number, bytes: Uint8Array, defaults: true, arrays: true } as const;
    const expected = message.toObject(message.fromObject(request), options);
    for (const summary of expected.summaries ?? [])
      Object.assign(summary, { siteId: request.siteId, edgeId: request.edgeId });
    expect(plain(decoded)).toEqual(plain(expected));
  });

  it('a seq protoc encodes at 2^48 (past the contract bound) is refused naming the field', () => {
    const request = realisticRequest();
    request.summaries = request.summaries!.slice(0, 1);
    request.summaries[0]!.seq = 2 ** 48;
    const text = textFormat(root.lookupType('citybay.v1.SyncRequest'), request as Record<string, unknown>);
    const bytes = new Uint8Array(protoc(['--encode=citybay.v1.SyncRequest'], text));
    expect(() => decodeSyncRequest(bytes)).toThrow(/summaries\[0\]\.seq: 281474976710656 must be a whole number/);
  });
});

// protoc drops zero-valued scalars and prints bytes with its own escapes; compare line sets of non-default values.
function normaliseText(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(
      (line) =>
        line !== '' &&
        !/: (0|false|""|\w+_UNSPECIFIED|BAY_STATE_UNKNOWN|ARROW_NONE|LINE_MODE_BLANK|COLOUR_DEFAULT)$/.test(line),
    )
    .map((line) =>
      line.replace(/^(\w+): "(.*)"$/, (_m, name: string, body: string) => `${name}: ${decodeEscapes(body)}`),
    )
    .join('\n');
}

function decodeEscapes(body: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < body.length;) {
    if (body[i] === '\\') {
      const next = body[i + 1]!;
      if (/[0-7]/.test(next)) {
        const oct = /^[0-7]{1,3}/.exec(body.slice(i + 1))![0];
        bytes.push(Number.parseInt(oct, 8));
        i += 1 + oct.length;
        continue;
      }
      const map: Record<string, number> = { n: 10, r: 13, t: 9, '"': 34, "'": 39, '\\': 92 };
      bytes.push(map[next] ?? next.charCodeAt(0));
      i += 2;
    } else {
      bytes.push(body.charCodeAt(i));
      i += 1;
    }
  }
  return bytes.join(',');
}
