/** Answers that go back to the client's (already validated) redirect URI. */
import type { FastifyReply } from 'fastify';

/**
 * `redirect_uri?…&state=…&iss=…`: the registered query is kept (RFC 6749 §3.1.2) and `iss` is
 * always added (RFC 9207 §2), so a client can tell which server answered (mix-up attacks).
 */
export function redirectTo(
  reply: FastifyReply,
  redirectUri: string,
  params: Record<string, string | undefined>,
  /** Authorization responses only (a logout redirect has no `iss`). */
  issuer?: string,
): FastifyReply {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params))
    if (value !== undefined) url.searchParams.append(name, value);
  if (issuer !== undefined) url.searchParams.append('iss', issuer);
  return reply
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .redirect(url.href, 303);
}

export function redirectError(
  reply: FastifyReply,
  target: { redirectUri: string; state?: string | undefined; error: string; description: string },
  issuer: string,
): FastifyReply {
  return redirectTo(
    reply,
    target.redirectUri,
    { error: target.error, error_description: target.description, state: target.state },
    issuer,
  );
}
