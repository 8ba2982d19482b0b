/**
 * Client authentication at the token, introspection and revocation endpoints (RFC 6749 §2.3):
 * `client_secret_basic`, `client_secret_post`, `private_key_jwt` (RFC 7523 §3) and `none` for
 * public clients. A client must use the method it registered, and only one method per request.
 */
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import type { FastifyRequest } from 'fastify';
import type { Client } from '../clients/client.js';
import type { AuthContext } from '../context.js';
import { safeEqual, sha256 } from '../lib/random.js';
import { InvalidClient, InvalidRequest } from './errors.js';
import type { FormParams } from './parse-form.js';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Longest accepted client-assertion lifetime: bounds the jti replay cache. */
const MAX_ASSERTION_LIFETIME_S = 300;
const CLOCK_SKEW_S = 30;

export interface AuthenticatedClient {
  client: Client;
  method: Client['tokenEndpointAuthMethod'];
}

/** RFC 6749 §2.3.1: the Basic credentials are form-urlencoded before base64. */
function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

function parseBasic(header: string, realm: string): { id: string; secret: string } {
  const encoded = header.slice(6).trim();
  let decoded: string;
  try {
    decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 1 || !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) throw new Error('malformed');
    return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    throw new InvalidClient('malformed HTTP Basic credentials', realm);
  }
}

export async function authenticateClient(
  context: AuthContext,
  request: FastifyRequest,
  params: FormParams,
): Promise<AuthenticatedClient> {
  try {
    return await authenticate(context, request, params);
  } catch (error) {
    // ASVS V16 (security logging): every failed client authentication is audited.
    if (error instanceof InvalidClient) {
      await context.audit(request, 'client.authentication_failed', {
        outcome: 'failure',
        actor: { kind: 'anonymous' },
        details: { reason: error.description, client_id: params.get('client_id') },
      });
    }
    throw error;
  }
}

async function authenticate(
  context: AuthContext,
  request: FastifyRequest,
  params: FormParams,
): Promise<AuthenticatedClient> {
  const realm = context.config.issuer;
  const authorization = request.headers.authorization;
  const basic = typeof authorization === 'string' && /^basic /i.test(authorization);
  const assertionType = params.get('client_assertion_type');
  const assertion = params.get('client_assertion');
  const postSecret = params.get('client_secret');
  const used = [
    basic,
    postSecret !== undefined,
    assertion !== undefined || assertionType !== undefined,
  ].filter(Boolean);
  if (used.length > 1) throw new InvalidRequest('more than one client authentication method');

  if (basic) {
    const { id, secret } = parseBasic(authorization, realm);
    const bodyId = params.get('client_id');
    if (bodyId !== undefined && bodyId !== id)
      throw new InvalidRequest('client_id does not match the credentials');
    return {
      client: await checkSecret(context, id, secret, 'client_secret_basic', realm),
      method: 'client_secret_basic',
    };
  }
  if (postSecret !== undefined) {
    const id = params.get('client_id');
    if (id === undefined) throw new InvalidClient('missing client_id');
    return {
      client: await checkSecret(context, id, postSecret, 'client_secret_post'),
      method: 'client_secret_post',
    };
  }
  if (assertion !== undefined || assertionType !== undefined) {
    if (assertionType !== JWT_BEARER) throw new InvalidRequest(`client_assertion_type must be ${JWT_BEARER}`);
    if (assertion === undefined) throw new InvalidRequest('missing client_assertion');
    return {
      client: await checkAssertion(context, assertion, params.get('client_id')),
      method: 'private_key_jwt',
    };
  }
  const id = params.get('client_id');
  if (id === undefined) throw new InvalidClient('client authentication required');
  const client = await context.findClient(id);
  if (!client || client.tokenEndpointAuthMethod !== 'none')
    throw new InvalidClient('client authentication failed');
  return { client, method: 'none' };
}

async function checkSecret(
  context: AuthContext,
  clientId: string,
  secret: string,
  method: 'client_secret_basic' | 'client_secret_post',
  realm?: string,
): Promise<Client> {
  const client = await context.findClient(clientId);
  // Hash even for an unknown client, so timing does not tell which client ids exist.
  const presented = sha256(secret);
  const stored = client?.secretHash ?? sha256('');
  const ok =
    safeEqual(presented, stored) && client !== undefined && client.tokenEndpointAuthMethod === method;
  if (!ok || !client) throw new InvalidClient('client authentication failed', realm);
  return client;
}

/** RFC 7523 §3: iss = sub = client_id, aud = the token endpoint (or the issuer), exp, single-use jti. */
async function checkAssertion(
  context: AuthContext,
  assertion: string,
  bodyClientId: string | undefined,
): Promise<Client> {
  let clientId: string | undefined;
  try {
    const claims = decodeJwt(assertion);
    clientId = typeof claims.sub === 'string' ? claims.sub : undefined;
  } catch {
    throw new InvalidClient('malformed client_assertion');
  }
  if (!clientId || (bodyClientId !== undefined && bodyClientId !== clientId)) {
    throw new InvalidClient('client authentication failed');
  }
  const client = await context.findClient(clientId);
  if (!client || client.tokenEndpointAuthMethod !== 'private_key_jwt' || !client.jwks) {
    throw new InvalidClient('client authentication failed');
  }
  const issuer = context.config.issuer;
  let payload;
  try {
    ({ payload } = await jwtVerify(assertion, createLocalJWKSet(client.jwks), {
      issuer: clientId,
      subject: clientId,
      audience: [issuer, `${issuer}/oauth2/token`],
      algorithms: ['ES256', 'ES384', 'EdDSA', 'RS256', 'PS256'],
      requiredClaims: ['exp', 'jti'],
      clockTolerance: CLOCK_SKEW_S,
    }));
  } catch {
    throw new InvalidClient('client authentication failed');
  }
  const now = Math.floor(Date.now() / 1000);
  const exp = payload.exp as number;
  if (exp - now > MAX_ASSERTION_LIFETIME_S) throw new InvalidClient('client_assertion lives too long');
  const fresh = await context.shared.setIfAbsent(`assertion-jti:${clientId}:${String(payload.jti)}`, '1', {
    ttlMs: Math.max(1, exp - now + CLOCK_SKEW_S) * 1000,
  });
  if (!fresh) throw new InvalidClient('client_assertion replayed');
  return client;
}
