/** Schema helpers for the pull-model client: a bootstrap schema and the keys a service knows. */
import { Kind, Type, type TObject, type TProperties, type TSchema } from '@sinclair/typebox';
import type { ConfigLeaf } from '../config/config-schema.js';

function isObjectWithProperties(schema: TSchema): schema is TObject {
  return schema[Kind] === 'Object' && Object.keys((schema as TObject).properties ?? {}).length > 0;
}

/**
 * Every key optional, at every depth: the configuration read before the config server is asked
 * (its URL, the data directory, the client credentials) must load even when a required key is
 * one the config server will provide.
 */
export function relaxSchema(schema: TObject): TObject {
  const properties: TProperties = {};
  for (const [name, child] of Object.entries(schema.properties))
    properties[name] = Type.Optional(isObjectWithProperties(child) ? relaxSchema(child) : child);
  const { additionalProperties } = schema;
  return Type.Object(properties, additionalProperties === undefined ? {} : { additionalProperties });
}

/**
 * Keeps the keys this service knows. The shared `application` layer carries keys for every
 * service; one service ignoring another's keys is expected, not an error.
 */
export function pickKnownKeys(
  values: Record<string, unknown>,
  leaves: readonly ConfigLeaf[],
  prefix: string[] = [],
): { values: Record<string, unknown>; ignored: string[] } {
  const out: Record<string, unknown> = {};
  const ignored: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    const key = [...prefix, name].join('.');
    if (leaves.some((l) => l.key === key)) out[name] = value;
    else if (
      value !== null &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      leaves.some((l) => l.key.startsWith(`${key}.`))
    ) {
      const nested = pickKnownKeys(value as Record<string, unknown>, leaves, [...prefix, name]);
      out[name] = nested.values;
      ignored.push(...nested.ignored);
    } else ignored.push(key);
  }
  return { values: out, ignored };
}
