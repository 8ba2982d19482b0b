/** `POST /consent`: the person allows or denies a third-party client the scopes it asked for. */
import type { FastifyInstance } from 'fastify';
import { issueCode } from '../authorize/complete.js';
import { redirectError } from '../authorize/redirect.js';
import { BROWSER_COOKIE, readCookie, SESSION_COOKIE } from '../browser/cookies.js';
import { deleteInteraction, loadInteraction } from '../browser/interaction.js';
import { findLoginSession } from '../browser/login-session.js';
import { messagePage } from '../html/pages.js';
import { sendHtml } from '../html/send-html.js';
import { FORM_EXPIRED } from '../login/login-route.js';
import type { People } from '../people.js';
import { rememberConsent } from './consents.js';

export function registerConsentRoute(app: FastifyInstance, people: People): void {
  const { context } = people;
  app.post('/consent', { config: { public: true }, bodyLimit: 8 * 1024 }, async (request, reply) => {
    const body = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<
      string,
      unknown
    >;
    const id = typeof body.interaction === 'string' ? body.interaction : undefined;
    const csrf = typeof body.csrf === 'string' ? body.csrf : null;
    const interaction = await loadInteraction(context.shared, id, readCookie(request, BROWSER_COOKIE), csrf);
    const session = await findLoginSession(context.db, readCookie(request, SESSION_COOKIE), people.sessions);
    // The consent belongs to the session that logged in: same browser, still signed in.
    if (
      !interaction ||
      id === undefined ||
      !interaction.userId ||
      !session ||
      session.id !== interaction.sessionId
    ) {
      await context.audit(request, 'consent.rejected', {
        outcome: 'denied',
        details: { reason: 'csrf or session' },
      });
      return sendHtml(reply, messagePage('Sign-in form expired', FORM_EXPIRED), { status: 403 });
    }
    await deleteInteraction(context.shared, id);
    const { request: authorization, userId } = interaction;
    const user = await context.users.findById(userId);
    if (!user || user.disabled)
      return sendHtml(reply, messagePage('Sign-in form expired', FORM_EXPIRED), { status: 403 });

    if (body.decision !== 'allow') {
      await context.audit(request, 'consent.denied', {
        outcome: 'denied',
        resource: `client:${authorization.clientId}`,
        actor: { sub: userId, kind: 'user' },
      });
      return redirectError(
        reply,
        {
          redirectUri: authorization.redirectUri,
          state: authorization.state,
          error: 'access_denied',
          description: 'the user denied the request',
        },
        context.config.issuer,
      );
    }
    await rememberConsent(context.db, userId, authorization.clientId, authorization.scopes);
    await context.audit(request, 'consent.granted', {
      resource: `client:${authorization.clientId}`,
      actor: { sub: userId, kind: 'user' },
      details: { scope: authorization.scopes.join(' ') },
    });
    return issueCode(people, request, reply, authorization, {
      userId,
      username: user.username,
      sessionId: session.id,
      authTime: session.authTime,
    });
  });
}
