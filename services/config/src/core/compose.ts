/**
 * Layering: `application` < `<app>` < `<app>-<profile>`. Objects merge key by key; a key set in a
 * higher layer replaces the lower one, whether either is a secret or not.
 */
import { MASK } from '@rampart/chassis';
import { flatten, mergeValues, setPath, type ConfigDocument, type Values } from '../model/document.js';
import type { SourceId } from '../names.js';

export interface Layer {
  source: SourceId;
  document: ConfigDocument;
}

export interface Composed {
  values: Values;
  /** Dotted keys whose effective value is a secret. */
  secrets: string[];
}

/**
 * @param reveal turns a secret envelope into its value: the plaintext for an allowed reader, `****` otherwise.
 */
export function compose(layers: readonly Layer[], reveal: (layer: Layer, key: string) => unknown): Composed {
  let values: Values = {};
  const secretKeys = new Set<string>();
  for (const layer of layers) {
    values = mergeValues(values, layer.document.values);
    for (const key of flatten(layer.document.values).keys())
      for (const secret of [...secretKeys])
        if (secret === key || secret.startsWith(`${key}.`)) secretKeys.delete(secret);
    for (const key of Object.keys(layer.document.secrets)) {
      setPath(values, key, reveal(layer, key));
      secretKeys.add(key);
    }
  }
  return { values, secrets: [...secretKeys].sort() };
}

export const maskSecret = (): unknown => MASK;
