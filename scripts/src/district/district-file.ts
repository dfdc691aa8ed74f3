import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { parse as parseYaml } from 'yaml';
import { errors } from '../errors.js';

const Id = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$' });
const Position = Type.Tuple([Type.Number({ minimum: -180, maximum: 180 }), Type.Number({ minimum: -90, maximum: 90 })]);
const Arrow = Type.Union(
  ['none', 'left', 'right', 'ahead', 'ahead-left', 'ahead-right', 'back'].map((a) => Type.Literal(a)),
);

const SignLine = Type.Object(
  {
    lot: Id,
    zone: Type.Optional(Id),
    /** Text printed before the count. Default: the lot id. */
    label: Type.Optional(Type.String({ maxLength: 16 })),
    arrow: Arrow,
  },
  { additionalProperties: false },
);

export const DistrictFileSchema = Type.Object(
  {
    /** The simulator scenario (relative to this file): its lots file gives lots, zones, kinds and capacities. */
    scenario: Type.String({ minLength: 1 }),
    /** The site whose lots the hospital's appointments are pre-assigned to. */
    appointmentSite: Id,
    /** Share of each lot's bays fitted with sensors (0–1]. Default 1. */
    bayScale: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
    entrances: Type.Array(
      Type.Object({ id: Id, name: Type.String({ minLength: 1 }), location: Position }, { additionalProperties: false }),
    ),
    sites: Type.Array(
      Type.Object(
        {
          id: Id,
          name: Type.String({ minLength: 1 }),
          location: Position,
          edge: Id,
          lots: Type.Array(
            Type.Object(
              {
                id: Id,
                location: Position,
                /** How bays are sensed: bit-per-bay controllers on Modbus TCP or RTU, or an entry/exit counter. */
                sensors: Type.Union([Type.Literal('tcp'), Type.Literal('rtu'), Type.Literal('gate')]),
                /** Status when central says nothing. Default `open`. */
                defaultStatus: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')])),
              },
              { additionalProperties: false },
            ),
            { minItems: 1 },
          ),
          signs: Type.Array(
            Type.Object(
              {
                id: Id,
                location: Type.String({ minLength: 1 }),
                // The emulated Modbus-register sign has two lines.
                lines: Type.Array(SignLine, { minItems: 1, maxItems: 2 }),
              },
              { additionalProperties: false },
            ),
          ),
        },
        { additionalProperties: false },
      ),
      { minItems: 1 },
    ),
  },
  { additionalProperties: false },
);
export type DistrictFile = Static<typeof DistrictFileSchema>;
export type DistrictSite = DistrictFile['sites'][number];

function pathOf(pointer: string): string {
  let out = '';
  for (const part of pointer.split('/').slice(1))
    out += /^\d+$/.test(part) ? `[${part}]` : out === '' ? part : `.${part}`;
  return out === '' ? '(root)' : out;
}

/** Parses and checks a district file (YAML). Errors name the file and the bad field. */
export function parseDistrictFile(text: string, fileName: string): DistrictFile {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (cause) {
    throw errors.CB_DISTRICT_INVALID(`${fileName}: not valid YAML (${(cause as Error).message.split('\n')[0]})`, {
      path: '(root)',
      cause,
    });
  }
  const first = Value.Errors(DistrictFileSchema, document).First();
  if (first !== undefined) {
    const path = pathOf(first.path);
    throw errors.CB_DISTRICT_INVALID(`${fileName}: ${path}: ${first.message}, got ${JSON.stringify(first.value)}`, {
      path,
    });
  }
  return document as DistrictFile;
}
