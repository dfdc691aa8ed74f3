/**
 * The subset of JSON Schema the allocation options are written in, checked without a schema library: the
 * allocator runs on worker threads that must start fast, and TypeBox alone takes ~70 ms to load.
 */
export interface JsonSchema {
  type?: 'object' | 'number' | 'integer' | 'boolean' | 'string' | 'array';
  description?: string;
  default?: unknown;
  properties?: Readonly<Record<string, JsonSchema>>;
  /** `false` refuses unknown keys; a schema checks every value of a map. Default: unknown keys refused. */
  additionalProperties?: boolean | JsonSchema;
  required?: readonly string[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  /** At most this many keys in a map. */
  maxProperties?: number;
  /** The value is one of these. */
  enum?: readonly (string | number)[];
}

/** The first place `value` breaks `schema`: the dotted path (`a.b[2]`) and what was expected, or undefined. */
export function firstSchemaError(
  schema: JsonSchema,
  value: unknown,
  path = '',
): { path: string; message: string } | undefined {
  const at = (message: string) => ({ path: path === '' ? '(root)' : path, message });
  if (schema.enum !== undefined && !schema.enum.includes(value as string | number))
    return at(`expected one of ${schema.enum.join(', ')}, got ${show(value)}`);
  switch (schema.type) {
    case 'number':
    case 'integer': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return at(`expected a number, got ${show(value)}`);
      if (schema.type === 'integer' && !Number.isInteger(value)) return at(`expected a whole number, got ${value}`);
      if (schema.minimum !== undefined && value < schema.minimum)
        return at(`expected ≥ ${schema.minimum}, got ${value}`);
      if (schema.maximum !== undefined && value > schema.maximum)
        return at(`expected ≤ ${schema.maximum}, got ${value}`);
      if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum)
        return at(`expected > ${schema.exclusiveMinimum}, got ${value}`);
      return undefined;
    }
    case 'boolean':
      return typeof value === 'boolean' ? undefined : at(`expected true or false, got ${show(value)}`);
    case 'string':
      if (typeof value !== 'string') return at(`expected text, got ${show(value)}`);
      if (schema.minLength !== undefined && value.length < schema.minLength)
        return at(`expected at least ${schema.minLength} characters`);
      if (schema.maxLength !== undefined && value.length > schema.maxLength)
        return at(`expected at most ${schema.maxLength} characters`);
      return undefined;
    case 'array': {
      if (!Array.isArray(value)) return at(`expected a list, got ${show(value)}`);
      if (schema.minItems !== undefined && value.length < schema.minItems)
        return at(`expected at least ${schema.minItems} items`);
      if (schema.maxItems !== undefined && value.length > schema.maxItems)
        return at(`expected at most ${schema.maxItems} items`);
      for (let i = 0; i < value.length; i++) {
        const error =
          schema.items === undefined ? undefined : firstSchemaError(schema.items, value[i], `${path}[${i}]`);
        if (error !== undefined) return error;
      }
      return undefined;
    }
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        return at(`expected an object, got ${show(value)}`);
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record);
      if (schema.maxProperties !== undefined && keys.length > schema.maxProperties)
        return at(`expected at most ${schema.maxProperties} entries, got ${keys.length}`);
      for (const key of schema.required ?? [])
        if (record[key] === undefined) return { path: join(path, key), message: 'required, missing' };
      for (const key of keys) {
        const inner = schema.properties?.[key];
        const extra = schema.additionalProperties;
        const child = inner ?? (typeof extra === 'object' ? extra : undefined);
        if (child === undefined) {
          const known = Object.keys(schema.properties ?? {});
          return { path: join(path, key), message: `unknown setting (known: ${known.join(', ')})` };
        }
        if (record[key] === undefined) continue;
        const error = firstSchemaError(child, record[key], join(path, key));
        if (error !== undefined) return error;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
