/** Versions as entity tags (RFC 9110 §8.8.3): `"12"`. */

export function etagOf(version: number): string {
  return `"${version}"`;
}

/** RFC 9110 §13.1.2: weak comparison for If-None-Match; `*` matches any current representation. */
export function noneMatch(header: string | undefined, version: number): boolean {
  if (header === undefined) return false;
  const tag = etagOf(version);
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === tag || t === '*');
}

/** The version an `If-Match: "12"` header expects, or undefined when absent; NaN when unreadable. */
export function ifMatchVersion(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*(?:W\/)?"(\d{1,15})"\s*$/.exec(header);
  return match?.[1] === undefined ? Number.NaN : Number(match[1]);
}
