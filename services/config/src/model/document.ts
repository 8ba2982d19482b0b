/**
 * A stored configuration document: plain values as a nested object, and secrets by dotted key,
 * each encrypted (never stored in clear).
 */
import type { SecretEnvelope } from '../secrets/cipher.js';

export type Values = Record<string, unknown>;

export interface ConfigDocument {
  values: Values;
  /** Dotted key → AES-256-GCM envelope. */
  secrets: Record<string, SecretEnvelope>;
}

export const EMPTY_DOCUMENT: ConfigDocument = Object.freeze({ values: {}, secrets: {} });

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Deep merge: objects merge key by key, everything else (arrays included) replaces. */
export function mergeValues(lower: Values, upper: Values): Values {
  const out: Values = { ...lower };
  for (const [key, value] of Object.entries(upper)) {
    const below = out[key];
    out[key] =
      isPlainObject(below) && isPlainObject(value) ? mergeValues(below, value) : structuredClone(value);
  }
  return out;
}

/** `{ a: { b: 1 } }` → `{ 'a.b': 1 }` (arrays and empty objects are leaves). */
export function flatten(values: Values, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(values)) {
    const dotted = prefix ? `${prefix}.${key}` : key;
    if (isPlainObject(value) && Object.keys(value).length > 0) {
      for (const [k, v] of flatten(value, dotted)) out.set(k, v);
    } else out.set(dotted, value);
  }
  return out;
}

const KEY_PART = /^[A-Za-z_$][A-Za-z0-9_$-]{0,99}$/;

/** A dotted configuration key (`shutdown.drainDelayMs`); no prototype tricks. */
export function isValidKey(key: string): boolean {
  const parts = key.split('.');
  return (
    parts.length <= 16 &&
    parts.every((p) => KEY_PART.test(p) && p !== '__proto__' && p !== 'constructor' && p !== 'prototype')
  );
}

export function setPath(values: Values, key: string, value: unknown): void {
  const parts = key.split('.');
  let node = values;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (!isPlainObject(next)) node[part] = {};
    node = node[part] as Values;
  }
  node[parts[parts.length - 1] as string] = value;
}

/** Removes a dotted key and any objects it leaves empty; true when something was removed. */
export function deletePath(values: Values, key: string): boolean {
  const [head, ...rest] = key.split('.');
  if (head === undefined || !Object.hasOwn(values, head)) return false;
  if (rest.length === 0) {
    delete values[head];
    return true;
  }
  const child = values[head];
  if (!isPlainObject(child)) return false;
  const removed = deletePath(child, rest.join('.'));
  if (removed && Object.keys(child).length === 0) delete values[head];
  return removed;
}
