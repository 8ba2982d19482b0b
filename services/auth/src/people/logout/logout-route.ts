/**
 * `GET/POST /logout` (OIDC RP-Initiated Logout 1.0): ends the browser's login session, revokes the
 * refresh tokens issued under it, and returns to `post_logout_redirect_uri` (exactly registered
 * for the client) with `state`. Without an `id_token_hint` for the signed-in person, the person
 * confirms first (§2: protects against a third party logging them out).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isRegisteredRedirectUri } from '../../clients/find-client.js';
import { randomToken, safeEqual, sha256 } from '../../lib/random.js';
import { redirectTo } from '../authorize/redirect.js';
import { browserId, clearCookie, readCookie, SESSION_COOKIE } from '../browser/cookies.js';
import { endLoginSession, findLoginSession } from '../browser/login-session.js';
import { logoutPage, messagePage } from '../html/pages.js';
import { originOf, sendHtml } from '../html/send-html.js';
import type { People } from '../people.js';
import { readIdTokenHint } from './id-token-hint.js';

const PARAMS = ['id_token_hint', 'post_logout_redirect_uri', 'state', 'client_id'] as const;
const CONFIRM_TTL_MS = 10 * 60_000;

export function registerLogoutRoute(app: FastifyInstance, people: People): void {
  const { context } = people;
  const bad = (reply: FastifyReply, message: string) =>
    sendHtml(reply, messagePage('Sign-out request not valid', message), { status: 400 });

  async function logout(request: FastifyRequest, reply: FastifyReply) {
    const source = (request.method === 'POST' ? request.body : request.query) as
      Record<string, unknown> | undefined;
    const params: Partial<Record<(typeof PARAMS)[number], string>> = {};
    for (const name of PARAMS) {
      const value = source?.[name];
      if (Array.isArray(value)) return bad(reply, `The request repeats ${name}.`);
      if (typeof value === 'string' && value !== '') {
        if (value.length > 8192) return bad(reply, `${name} is too long.`);
        params[name] = value;
      }
    }

    const hint = params.id_token_hint ? await readIdTokenHint(context, params.id_token_hint) : undefined;
    if (params.id_token_hint && !hint) return bad(reply, 'The id_token_hint was not issued here.');
    if (params.client_id && hint && !hint.audiences.includes(params.client_id)) {
      return bad(reply, 'The id_token_hint was issued to another application.');
    }
    const clientId = params.client_id ?? (hint?.audiences.length === 1 ? hint.audiences[0] : undefined);
    const client = clientId ? await context.findClient(clientId) : undefined;
    const target = params.post_logout_redirect_uri;
    // §3: only a URI registered for the client, compared exactly; never an unvalidated redirect.
    if (target !== undefined && (!client || !isRegisteredRedirectUri(client, target))) {
      return bad(reply, 'The application asked to return to an address it has not registered.');
    }

    const session = await findLoginSession(context.db, readCookie(request, SESSION_COOKIE), people.sessions);
    const hintMatches = hint !== undefined && session !== undefined && hint.sub === session.userId;
    if (session && !hintMatches) {
      // The person confirms; the confirmation form is bound to this browser (CSRF).
      const browser = browserId(request, reply, people.cookies);
      const confirmKey = `logout:${sha256(browser)}`;
      const csrf = request.method === 'POST' ? source?.csrf : undefined;
      const expected = await context.shared.get(confirmKey);
      if (typeof csrf !== 'string' || expected === null || !safeEqual(csrf, expected)) {
        const token = randomToken();
        await context.shared.set(confirmKey, token, { ttlMs: CONFIRM_TTL_MS });
        const fields: Record<string, string> = {};
        for (const name of PARAMS) if (params[name] !== undefined) fields[name] = params[name];
        const origin = target ? originOf(target) : undefined;
        return sendHtml(reply, logoutPage({ action: `${people.base}/logout`, csrf: token, fields }), {
          formTargets: origin ? [origin] : [],
        });
      }
      await context.shared.delete(confirmKey);
    }

    if (session) {
      await endLoginSession(context.db, session.id);
      const families = await context.revokeSessionTokens(session.id, 'logout');
      await context.audit(request, 'logout', {
        resource: `user:${session.userId}`,
        actor: { sub: session.userId, kind: 'user', ...(clientId ? { clientId } : {}) },
        details: { session: session.id, revoked_families: families.length },
      });
    }
    clearCookie(reply, SESSION_COOKIE, people.cookies);
    if (target !== undefined) return redirectTo(reply, target, { state: params.state });
    return sendHtml(reply, messagePage('Signed out', 'You are signed out.'));
  }

  app.get('/logout', { config: { public: true } }, logout);
  app.post('/logout', { config: { public: true }, bodyLimit: 16 * 1024 }, logout);
}
