/** The JSON Schema of device profiles, as published in `profiles/device-profile.schema.json` for editors. */
import { DeviceProfileSchema } from './device-profile.js';

export function profileJsonSchema(): Record<string, unknown> {
  return {
    $comment:
      'Generated from firmware-bridge/src/profiles/device-profile.ts by `npm run gen:schema -w @citybay/firmware-bridge`; do not edit.',
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://citybay.example/schemas/device-profile.json',
    title: 'citybay device profile',
    ...JSON.parse(JSON.stringify(DeviceProfileSchema)),
  };
}
