/**
 * Validates an authorization request (OAuth 2.1 authorization code + PKCE only).
 *
 * Order matters (RFC 6749 §4.1.2.1): the client and its redirect URI are checked first, and until
 * both are known good every error is shown as a page — never redirected, so the endpoint cannot
 * be used as an open redirector. After that, errors go back to the client's redirect URI.
 */
import type { Client } from '../../clients/client.js';
import { isRegisteredRedirectUri } from '../../clients/find-client.js';

export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  codeChallenge: string;
  state?: string;
  nonce?: string;
  /** RFC 8707 resource indicators. */
  resource: string[];
  /** OIDC Core §3.1.2.1 `prompt` values. */
  prompt: string[];
  /** OIDC Core §3.1.2.1 `max_age`, seconds. */
  maxAge?: number;
}

export type RedirectErrorCode =
  | 'invalid_request'
  | 'unauthorized_client'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'access_denied'
  | 'login_required'
  | 'consent_required'
  | 'request_not_supported'
  | 'request_uri_not_supported'
  | 'server_error';

export type Validation =
  | { ok: true; request: AuthorizationRequest; client: Client }
  /** Shown to the person; the request cannot safely go back to the client. */
  | { ok: false; page: { status: number; message: string } }
  | {
      ok: false;
      redirect: { redirectUri: string; state?: string; error: RedirectErrorCode; description: string };
    };

export type Query = Record<string, string | string[] | undefined>;

const MAX_PARAM_LENGTH = 2048;
// RFC 7636 §4.2: BASE64URL(SHA256(verifier)) is exactly 43 characters.
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const PROMPTS = new Set(['none', 'login', 'consent', 'select_account']);
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/; // RFC 6749 §3.3 scope-token

class Duplicate extends Error {}

/** RFC 6749 §3.1: parameters must not be repeated (RFC 8707 `resource` may be). */
function one(query: Query, name: string): string | undefined {
  const value = query[name];
  if (Array.isArray(value)) throw new Duplicate(name);
  return value === '' ? undefined : value;
}

export function validateAuthorizationRequest(
  query: Query,
  findClient: (clientId: string) => Client | undefined,
): Validation {
  let clientId: string | undefined;
  let redirectUri: string | undefined;
  try {
    clientId = one(query, 'client_id');
    redirectUri = one(query, 'redirect_uri');
  } catch {
    return { ok: false, page: { status: 400, message: 'The request repeats client_id or redirect_uri.' } };
  }
  if (!clientId)
    return { ok: false, page: { status: 400, message: 'The request names no application (client_id).' } };
  const client = clientId.length <= 128 ? findClient(clientId) : undefined;
  if (!client) return { ok: false, page: { status: 400, message: 'The application is not known here.' } };
  // OIDC Core §3.1.2.1 requires redirect_uri; RFC 9700 §4.1.3 wants it compared exactly.
  if (!redirectUri || !isRegisteredRedirectUri(client, redirectUri)) {
    return {
      ok: false,
      page: { status: 400, message: 'The application asked to return to an address it has not registered.' },
    };
  }
  const state = typeof query.state === 'string' && query.state !== '' ? query.state : undefined;
  const fail = (error: RedirectErrorCode, description: string): Validation => ({
    ok: false,
    redirect: {
      redirectUri,
      ...(state !== undefined && state.length <= MAX_PARAM_LENGTH ? { state } : {}),
      error,
      description,
    },
  });

  try {
    for (const [name, value] of Object.entries(query)) {
      if (name === 'resource') continue;
      one(query, name);
      if (typeof value === 'string' && value.length > MAX_PARAM_LENGTH)
        return fail('invalid_request', `${name} is too long`);
    }
  } catch (error) {
    return fail('invalid_request', `parameter ${(error as Error).message} is repeated`);
  }
  // OIDC Core §6: request objects are not supported.
  if (one(query, 'request') !== undefined)
    return fail('request_not_supported', 'request objects are not supported');
  if (one(query, 'request_uri') !== undefined)
    return fail('request_uri_not_supported', 'request_uri is not supported');

  const responseType = one(query, 'response_type');
  if (!responseType) return fail('invalid_request', 'response_type is required');
  // RFC 9700 §2.1.2: no implicit or hybrid flows; only the authorization code.
  if (responseType !== 'code')
    return fail('unsupported_response_type', 'only response_type=code is supported');
  const responseMode = one(query, 'response_mode');
  if (responseMode !== undefined && responseMode !== 'query')
    return fail('invalid_request', 'only response_mode=query is supported');
  if (!client.grantTypes.includes('authorization_code')) {
    return fail('unauthorized_client', 'the client may not use the authorization code grant');
  }

  // RFC 9700 §2.1.1: PKCE for every client, and S256 only (`plain` or a missing method — which
  // RFC 7636 §4.3 reads as plain — is a downgrade).
  const codeChallenge = one(query, 'code_challenge');
  const method = one(query, 'code_challenge_method');
  if (!codeChallenge) return fail('invalid_request', 'code_challenge is required (PKCE)');
  if (method !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256');
  if (!S256_CHALLENGE.test(codeChallenge))
    return fail('invalid_request', 'code_challenge is not a S256 challenge');

  const scopeText = one(query, 'scope');
  if (!scopeText) return fail('invalid_scope', 'scope is required');
  const scopes = [...new Set(scopeText.split(' ').filter((s) => s !== ''))];
  if (scopes.some((s) => !SCOPE_TOKEN.test(s))) return fail('invalid_scope', 'malformed scope');
  const refused = scopes.filter((s) => !client.scopes.includes(s));
  if (refused.length > 0)
    return fail('invalid_scope', `scope not allowed for this client: ${refused.join(' ')}`);

  const rawResource = query.resource;
  const resource = (Array.isArray(rawResource) ? rawResource : rawResource ? [rawResource] : []).filter(
    (r) => r !== '',
  );
  for (const r of resource) {
    // RFC 8707 §2: an absolute URI without a fragment, and one this client may get tokens for.
    if (!isAbsoluteUriWithoutFragment(r))
      return fail('invalid_target', 'resource must be an absolute URI without a fragment');
    if (!client.audiences.includes(r)) return fail('invalid_target', 'resource not allowed for this client');
  }

  const prompt = (one(query, 'prompt') ?? '').split(' ').filter((p) => p !== '');
  if (prompt.some((p) => !PROMPTS.has(p))) return fail('invalid_request', 'unknown prompt value');
  if (prompt.includes('none') && prompt.length > 1)
    return fail('invalid_request', 'prompt=none cannot be combined');

  const maxAgeText = one(query, 'max_age');
  let maxAge: number | undefined;
  if (maxAgeText !== undefined) {
    if (!/^\d{1,9}$/.test(maxAgeText)) return fail('invalid_request', 'max_age must be a number of seconds');
    maxAge = Number(maxAgeText);
  }
  const nonce = one(query, 'nonce');

  return {
    ok: true,
    client,
    request: {
      clientId: client.clientId,
      redirectUri,
      scopes,
      codeChallenge,
      resource,
      prompt,
      ...(state === undefined ? {} : { state }),
      ...(nonce === undefined ? {} : { nonce }),
      ...(maxAge === undefined ? {} : { maxAge }),
    },
  };
}

function isAbsoluteUriWithoutFragment(value: string): boolean {
  try {
    const url = new URL(value);
    return url.hash === '' && !value.includes('#');
  } catch {
    return false;
  }
}
