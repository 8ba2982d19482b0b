/**
 * The headers an upstream receives. Identity never comes from the client: everything a service
 * might trust (`x-user-*`, `x-roles`, `x-forwarded-*`, `forwarded`, `x-original-url`, …) and every
 * name with an underscore (some servers read `x_user_id` as `x-user-id`) is dropped, hop-by-hop
 * headers are dropped (RFC 9110 §7.6.1), and the gateway's own headers are set last, so nothing the
 * client lists in `Connection` can remove them.
 */
import type { IncomingHttpHeaders } from 'node:http';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
]);

const IDENTITY = new Set([
  'x-roles',
  'x-scopes',
  'x-principal',
  'x-client-id',
  'x-client-ip',
  'x-real-ip',
  'forwarded',
  'x-original-url',
  'x-rewrite-url',
  'x-original-uri',
  'x-request-id',
  'x-correlation-id',
  'traceparent',
  'tracestate',
  'x-http-method-override',
  'x-http-method',
  'x-method-override',
]);

const IDENTITY_PREFIXES = ['x-user-', 'x-forwarded-', 'x-auth-', 'x-authenticated-', 'x-rampart-'];

/** True when a client-sent header must never reach an upstream. */
export function isForbiddenInbound(name: string): boolean {
  if (name.includes('_')) return true;
  if (HOP_BY_HOP.has(name) || IDENTITY.has(name)) return true;
  for (const prefix of IDENTITY_PREFIXES) if (name.startsWith(prefix)) return true;
  return false;
}

export interface GatewayHeaders {
  requestId: string;
  traceparent: string;
  clientIp: string;
  proto: string;
  host: string | undefined;
  /** `Bearer …` for authenticated routes; undefined keeps the client's own header (auth: none). */
  authorization: string | undefined | null;
  /** Our session cookie's name, removed from `Cookie`. */
  sessionCookie: string;
  contentLength: string | undefined;
}

export function upstreamHeaders(inbound: IncomingHttpHeaders, set: GatewayHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in inbound) {
    const value = inbound[name];
    if (value === undefined || isForbiddenInbound(name)) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  if (out.cookie !== undefined) {
    const kept = out.cookie
      .split(';')
      .filter((c) => c.trim().split('=')[0] !== set.sessionCookie)
      .join(';')
      .trim();
    if (kept) out.cookie = kept;
    else delete out.cookie;
  }
  if (set.authorization === null) delete out.authorization;
  else if (set.authorization !== undefined) out.authorization = set.authorization;
  if (set.contentLength !== undefined) out['content-length'] = set.contentLength;
  out['x-request-id'] = set.requestId;
  out.traceparent = set.traceparent;
  out['x-forwarded-for'] = set.clientIp;
  out['x-forwarded-proto'] = set.proto;
  if (set.host) out['x-forwarded-host'] = set.host;
  return out;
}
