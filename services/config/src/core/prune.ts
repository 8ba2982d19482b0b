/**
 * The shared `application` layer is written for every application at once, so a key there that
 * one application's schema does not know is not a typo — that application simply ignores it.
 * Keys unknown in an application's own layers are still refused.
 */
import { isPlainObject, type Values } from '../model/document.js';

export function pruneToSchema(schema: unknown, values: Values): Values {
  if (!isPlainObject(schema)) return values;
  const properties = isPlainObject(schema.properties) ? schema.properties : {};
  const open =
    schema.additionalProperties !== false ||
    (isPlainObject(schema.patternProperties) && Object.keys(schema.patternProperties).length > 0);
  const out: Values = {};
  for (const [key, value] of Object.entries(values)) {
    if (Object.hasOwn(properties, key)) {
      const child = properties[key];
      out[key] =
        isPlainObject(value) && isPlainObject(child) && isPlainObject(child.properties)
          ? pruneToSchema(child, value)
          : value;
    } else if (open) out[key] = value;
  }
  return out;
}
