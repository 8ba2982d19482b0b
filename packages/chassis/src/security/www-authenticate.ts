/** RFC 6750 §3: the `WWW-Authenticate: Bearer …` challenge. */
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
