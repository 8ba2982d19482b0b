/**
 * Secrets never reach logs: values under keys that name credentials are replaced before the
 * line is serialized, and sensitive query parameters are masked in logged URLs.
 */

export const REDACTED = '[REDACTED]';

// authorization, cookie, set-cookie, password, passwd, passphrase, secret, token, api key,
// private key, credentials, client assertions.
const SENSITIVE_KEY =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key)$|passw(or)?d|passphrase|secret|token|api[-_]?key|private[-_]?key|credential|assertion/i;

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEY.test(key);
}

/**
 * Returns `value` with every sensitive key's value replaced; objects without secrets are
 * returned as they are (no copy on the hot path).
 */
export function redactDeep(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (value instanceof Error) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, index) => {
      const redacted = redactDeep(item, depth + 1);
      if (redacted !== item) (copy ??= [...value])[index] = redacted;
    });
    return copy ?? value;
  }
  let copy: Record<string, unknown> | undefined;
  for (const [key, child] of Object.entries(value)) {
    const redacted = isSensitiveKey(key) ? REDACTED : redactDeep(child, depth + 1);
    if (redacted !== child) (copy ??= { ...(value as Record<string, unknown>) })[key] = redacted;
  }
  return copy ?? value;
}

/** `/cb?code=abc&state=x` → `/cb?code=****&state=x` for OAuth and credential parameters. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq === -1 ? pair : pair.slice(0, eq);
      return eq !== -1 && (isSensitiveKey(name) || name === 'code') ? `${name}=****` : pair;
    })
    .join('&');
  return `${url.slice(0, q)}?${query}`;
}
