/**
 * Browser sessions (backend-for-frontend). The browser never sees a token:
 *
 * - `GET /auth/login?returnTo=/path` starts authorization code + PKCE (RFC 7636, S256) with
 *   `state` and `nonce`, bound to this browser by a short-lived HttpOnly cookie;
 * - `GET /auth/callback` exchanges the code, stores the tokens server-side and sets the session
 *   cookie (`HttpOnly; SameSite=Lax; Path=/`, `Secure` when the public URL is https);
 * - `GET /auth/session` tells the page whether it is signed in, and its CSRF token;
 * - `POST /auth/logout` ends the session and revokes the refresh token (RFC 7009).
 *
 * CSRF: SameSite=Lax already keeps the cookie off cross-site POSTs; in addition every unsafe
 * request authenticated by the cookie must carry `X-CSRF-Token` equal to the session's token
 * (synchronizer token, read from `/auth/session`), and an `Origin` header, when present, must be
 * the gateway's own origin.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import * as oidc from 'openid-client';
import type { SharedState } from '@rampart/store';
import type { SessionTokens } from '../auth/edge-auth.js';
import type { GatewayConfig } from '../config.js';
import { gatewayError } from '../errors.js';
import type { GatewayMetrics } from '../observability/gateway-metrics.js';
import { readCookie, serializeCookie } from './cookies.js';
import { createRelyingParty } from './oidc-client.js';
import { safeEqual, SessionStore } from './session-store.js';

export type BrowserSessions = SessionTokens & { readonly store: SessionStore };

interface LoginState {
  verifier: string;
  nonce: string;
  returnTo: string;
}

const LOGIN_TTL_SEC = 600;
const LOGIN_COOKIE = 'rampart_login';

/** Only same-origin relative paths: never `//evil` or `/\evil` (open redirect). */
function safeReturnTo(value: unknown, fallback: string): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) && value.length < 2048
    ? value
    : fallback;
}

export function registerSessionRoutes(
  app: FastifyInstance,
  options: { config: GatewayConfig; shared: SharedState; metrics: GatewayMetrics },
): BrowserSessions {
  const { config, shared, metrics } = options;
  const settings = config.session;
  const publicUrl = settings.publicUrl.replace(/\/+$/, '');
  const publicOrigin = new URL(publicUrl).origin;
  const secure = publicUrl.startsWith('https:');
  const redirectUri = `${publicUrl}/auth/callback`;
  const rp = createRelyingParty({
    issuer: config.issuer,
    clientId: config.clientId,
    clientSecret: config.clientSecret ?? '',
  });
  const store = new SessionStore({
    shared,
    rp,
    idleTtlSec: settings.idleTtlSec,
    refreshSkewSec: settings.refreshSkewSec,
    onRefresh: (outcome) => metrics.sessionRefreshes.inc({ outcome }),
    onError: (error) => app.log.warn({ err: error }, 'session token refresh failed'),
  });
  const sessionId = (request: FastifyRequest) => readCookie(request.headers.cookie, settings.cookieName);

  app.get('/auth/login', async (request, reply) => {
    const configuration = await rp.configuration().catch((error: unknown) => {
      throw gatewayError('GW_ERR_AUTH_UNAVAILABLE', { cause: error, headers: { 'retry-after': '5' } });
    });
    const state = randomBytes(24).toString('base64url');
    const verifier = oidc.randomPKCECodeVerifier();
    const nonce = oidc.randomNonce();
    const returnTo = safeReturnTo(
      (request.query as Record<string, unknown>).returnTo,
      settings.postLoginPath,
    );
    const login: LoginState = { verifier, nonce, returnTo };
    await shared.set(`login:${state}`, JSON.stringify(login), { ttlMs: LOGIN_TTL_SEC * 1000 });
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: redirectUri,
      scope: settings.scope,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier), // RFC 7636 §4.2
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    reply.header(
      'set-cookie',
      serializeCookie(LOGIN_COOKIE, state, { secure, path: '/auth', maxAgeSec: LOGIN_TTL_SEC }),
    );
    reply.header('cache-control', 'no-store');
    return reply.redirect(url.href, 302);
  });

  app.get('/auth/callback', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const state = typeof query.state === 'string' ? query.state : '';
    const bound = readCookie(request.headers.cookie, LOGIN_COOKIE);
    // The state must come back to the browser that started the login (RFC 6749 §10.12).
    if (!state || !bound || !safeEqual(state, bound))
      throw gatewayError('GW_ERR_LOGIN_FAILED', { detail: 'the login was not started in this browser' });
    const raw = await shared.get(`login:${state}`);
    await shared.delete(`login:${state}`); // single use
    if (raw === null) throw gatewayError('GW_ERR_LOGIN_FAILED', { detail: 'the login expired; start again' });
    const login = JSON.parse(raw) as LoginState;
    let tokens;
    try {
      const configuration = await rp.configuration();
      tokens = await oidc.authorizationCodeGrant(configuration, new URL(request.url, publicUrl), {
        pkceCodeVerifier: login.verifier,
        expectedState: state,
        expectedNonce: login.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      app.log.warn({ err: error }, 'login callback refused');
      throw gatewayError('GW_ERR_LOGIN_FAILED', {
        detail: 'the authorization server refused the login',
        cause: error,
      });
    }
    const { id } = await store.create(tokens);
    reply.header('set-cookie', [
      serializeCookie(settings.cookieName, id, { secure, maxAgeSec: settings.idleTtlSec }),
      serializeCookie(LOGIN_COOKIE, '', { secure, path: '/auth', maxAgeSec: 0 }),
    ]);
    reply.header('cache-control', 'no-store');
    return reply.redirect(login.returnTo, 303);
  });

  app.get('/auth/session', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    const id = sessionId(request);
    const record = id ? await store.get(id) : undefined;
    if (!record) return { authenticated: false };
    return { authenticated: true, sub: record.sub, csrfToken: record.csrf };
  });

  app.post('/auth/logout', async (request, reply) => {
    const id = sessionId(request);
    const record = id ? await store.get(id) : undefined;
    if (id && record) {
      checkCsrfFor(request, record.csrf);
      await store.delete(id);
      if (record.refreshToken) {
        // RFC 7009 §2.1: revoking the refresh token ends its family at the authorization server.
        await rp
          .configuration()
          .then((c) => oidc.tokenRevocation(c, record.refreshToken!, { token_type_hint: 'refresh_token' }))
          .catch((error: unknown) => app.log.warn({ err: error }, 'refresh token revocation failed'));
      }
    }
    reply.header('set-cookie', serializeCookie(settings.cookieName, '', { secure, maxAgeSec: 0 }));
    reply.header('cache-control', 'no-store');
    return reply.code(204).send();
  });

  function checkCsrfFor(request: FastifyRequest, expected: string): void {
    const origin = request.headers.origin;
    const token = request.headers['x-csrf-token'];
    if (
      (origin !== undefined && origin !== publicOrigin) ||
      typeof token !== 'string' ||
      !safeEqual(token, expected)
    )
      throw gatewayError('GW_ERR_CSRF', {
        detail: 'unsafe requests with a session cookie need X-CSRF-Token',
      });
  }

  return {
    store,
    hasSession: (request) => sessionId(request) !== undefined,
    async accessToken(request) {
      const id = sessionId(request);
      if (!id) return undefined;
      const record = await store.fresh(id);
      if (record) (request as { gatewaySessionCsrf?: string }).gatewaySessionCsrf = record.csrf;
      return record?.accessToken;
    },
    async checkCsrf(request) {
      const expected = (request as { gatewaySessionCsrf?: string }).gatewaySessionCsrf;
      if (expected === undefined) throw gatewayError('GW_ERR_CSRF');
      checkCsrfFor(request, expected);
    },
  };
}
