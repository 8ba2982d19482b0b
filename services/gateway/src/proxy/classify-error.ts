/**
 * What went wrong talking to an upstream, from the error undici hands us. Connect
 * failures are safe to retry (the request never reached the upstream); a reset or a timeout after
 * the request was sent is not.
 */
export type FailureKind = 'connect' | 'timeout' | 'reset' | 'protocol' | 'body_too_large' | 'other';

const CONNECT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
]);
const TIMEOUT = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const RESET = new Set(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'UND_ERR_CLOSED']);

function codes(error: unknown): string[] {
  const found: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') found.push(code);
    if (current instanceof AggregateError) for (const e of current.errors) found.push(...codes(e));
    current = (current as { cause?: unknown }).cause;
  }
  return found;
}

export function classifyFailure(error: unknown): FailureKind {
  const all = codes(error);
  if (all.some((c) => c === 'GW_ERR_BODY_TOO_LARGE')) return 'body_too_large';
  if (all.some((c) => CONNECT.has(c))) return 'connect';
  if (all.some((c) => TIMEOUT.has(c))) return 'timeout';
  if (all.some((c) => RESET.has(c))) return 'reset';
  if (all.some((c) => c.startsWith('HPE_') || c === 'UND_ERR_INFO')) return 'protocol';
  return 'other';
}
