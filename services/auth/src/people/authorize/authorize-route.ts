/**
 * `GET /oauth2/authorize` (RFC 6749 §4.1.1, RFC 7636, OIDC Core §3.1.2): validates the request,
 * then either completes it from the browser's login session or shows the sign-in form.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { browserId, readCookie, SESSION_COOKIE } from '../browser/cookies.js';
import { saveInteraction } from '../browser/interaction.js';
import { findLoginSession } from '../browser/login-session.js';
import { loginPage, messagePage } from '../html/pages.js';
import { originOf, sendHtml } from '../html/send-html.js';
import type { People } from '../people.js';
import { validateAuthorizationRequest, type Query } from './authorization-request.js';
import { complete } from './complete.js';
import { redirectError } from './redirect.js';

export function registerAuthorizeRoute(app: FastifyInstance, people: People): void {
  const { context } = people;

  async function authorize(httpRequest: FastifyRequest, reply: FastifyReply) {
    // OIDC Core §3.1.2.1: GET and form-encoded POST carry the same parameters.
    const query = (httpRequest.method === 'POST' ? (httpRequest.body ?? {}) : httpRequest.query) as Query;
    const clientId =
      typeof query.client_id === 'string' && query.client_id.length <= 128 ? query.client_id : undefined;
    const found = clientId ? await context.findClient(clientId) : undefined;
    const validation = validateAuthorizationRequest(query, (id) =>
      found?.clientId === id ? found : undefined,
    );
    if (!validation.ok) {
      if ('page' in validation) {
        await context.audit(httpRequest, 'authorization.rejected', {
          outcome: 'failure',
          details: { reason: validation.page.message, client_id: clientId },
        });
        return sendHtml(reply, messagePage('Sign-in request not valid', validation.page.message), {
          status: validation.page.status,
        });
      }
      return redirectError(reply, validation.redirect, context.config.issuer);
    }
    const { request, client } = validation;

    const session = await findLoginSession(
      context.db,
      readCookie(httpRequest, SESSION_COOKIE),
      people.sessions,
    );
    const user = session ? await context.users.findById(session.userId) : undefined;
    const fresh =
      session !== undefined &&
      user !== undefined &&
      !user.disabled &&
      !request.prompt.includes('login') &&
      (request.maxAge === undefined || Date.now() / 1000 - session.authTime <= request.maxAge);
    if (fresh) {
      return complete(people, httpRequest, reply, client, request, {
        userId: user.id,
        username: user.username,
        sessionId: session.id,
        authTime: session.authTime,
      });
    }
    // OIDC Core §3.1.2.6: prompt=none never shows a page.
    if (request.prompt.includes('none')) {
      return redirectError(
        reply,
        {
          redirectUri: request.redirectUri,
          state: request.state,
          error: 'login_required',
          description: 'login required',
        },
        context.config.issuer,
      );
    }
    const browser = browserId(httpRequest, reply, people.cookies);
    const { id, interaction } = await saveInteraction(context.shared, request, browser);
    const target = originOf(request.redirectUri);
    return sendHtml(
      reply,
      loginPage({
        action: `${people.base}/login`,
        interaction: id,
        csrf: interaction.csrf,
        clientName: client.name ?? client.clientId,
      }),
      { formTargets: target ? [target] : [] },
    );
  }

  app.get('/oauth2/authorize', { config: { public: true } }, authorize);
  app.post('/oauth2/authorize', { config: { public: true }, bodyLimit: 16 * 1024 }, authorize);
}
