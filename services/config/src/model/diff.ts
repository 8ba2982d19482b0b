/**
 * Differences between two documents, key by key. Secret values never appear: a changed secret is
 * `****` → `****`, so a diff can be shown, logged and audited as it is.
 */
import { MASK } from '@rampart/chassis';
import { flatten, type ConfigDocument } from './document.js';

export interface DiffEntry {
  key: string;
  op: 'added' | 'removed' | 'changed';
  from?: unknown;
  to?: unknown;
  secret?: true;
}

/**
 * @param sameSecret tells whether two envelopes hold the same plaintext (the caller can decrypt).
 */
export function diffDocuments(
  before: ConfigDocument,
  after: ConfigDocument,
  sameSecret: (key: string) => boolean,
): DiffEntry[] {
  const entries: DiffEntry[] = [];
  const a = flatten(before.values);
  const b = flatten(after.values);
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const inA = a.has(key);
    const inB = b.has(key);
    if (inA && !inB) entries.push({ key, op: 'removed', from: a.get(key) });
    else if (!inA && inB) entries.push({ key, op: 'added', to: b.get(key) });
    else if (JSON.stringify(a.get(key)) !== JSON.stringify(b.get(key)))
      entries.push({ key, op: 'changed', from: a.get(key), to: b.get(key) });
  }
  for (const key of new Set([...Object.keys(before.secrets), ...Object.keys(after.secrets)])) {
    const inA = Object.hasOwn(before.secrets, key);
    const inB = Object.hasOwn(after.secrets, key);
    if (inA && !inB) entries.push({ key, op: 'removed', from: MASK, secret: true });
    else if (!inA && inB) entries.push({ key, op: 'added', to: MASK, secret: true });
    else if (!sameSecret(key)) entries.push({ key, op: 'changed', from: MASK, to: MASK, secret: true });
  }
  return entries.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
}

/** The document as it may be shown: values as they are, secrets as `****`. */
export function maskedDocument(document: ConfigDocument): {
  values: Record<string, unknown>;
  secrets: string[];
} {
  return { values: document.values, secrets: Object.keys(document.secrets).sort() };
}
