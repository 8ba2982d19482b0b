/** RFC 6750: the `Authorization: Bearer …` credentials and the `WWW-Authenticate` challenge. */

// RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token (the scheme is case-insensitive).
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** The token of well-formed `Bearer` credentials, else undefined. */
export function bearerToken(header: string): string | undefined {
  return BEARER.exec(header)?.[1];
}

/**
 * The candidate token of `Bearer <token>` in the spelling clients send, without a regex: for a
 * lookup in the verified-token cache, which holds only well-formed, verified tokens (so whatever
 * follows the scheme either is one of them or misses). Undefined for any other spelling: parse
 * those with `bearerToken`.
 */
export function canonicalBearerCandidate(header: string | undefined): string | undefined {
  return header !== undefined && header.startsWith('Bearer ') && header.charCodeAt(7) !== 0x20
    ? header.slice(7)
    : undefined;
}

function quoted(value: string): string {
  return `"${value.replace(/["\\]/g, '')}"`;
}

export function bearerChallenge(
  realm: string,
  error?: 'invalid_request' | 'invalid_token' | 'insufficient_scope',
  extra: { description?: string; scope?: readonly string[] } = {},
): string {
  // RFC 6750 §3.1: no error code when the request carried no credentials.
  const parts = [`realm=${quoted(realm)}`];
  if (error) parts.push(`error=${quoted(error)}`);
  if (error && extra.description) parts.push(`error_description=${quoted(extra.description)}`);
  if (extra.scope && extra.scope.length > 0) parts.push(`scope=${quoted(extra.scope.join(' '))}`);
  return `Bearer ${parts.join(', ')}`;
}
