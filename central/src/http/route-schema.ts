import type { FastifySchema } from 'fastify';

/** Route schema with OpenAPI fields (`tags`, `summary`, `security`), which fastify's own type does not list. */
export function routeSchema(
  schema: FastifySchema & {
    tags?: readonly string[];
    summary?: string;
    operationId?: string;
    description?: string;
    security?: ReadonlyArray<Record<string, readonly string[]>>;
    hide?: boolean;
  },
): FastifySchema {
  return schema;
}
