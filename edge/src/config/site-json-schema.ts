import { SiteFileSchema } from './site-config-schema.js';

/** The JSON Schema of the site file, as published in `edge/site.schema.json` for editors. */
export function siteJsonSchemaText(): string {
  const schema = {
    $comment:
      'Generated from edge/src/config/site-config-schema.ts by `npm run gen:schema -w @citybay/edge`; do not edit.',
    $schema: 'http://json-schema.org/draft-07/schema#',
    ...(JSON.parse(JSON.stringify(SiteFileSchema)) as object),
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}
