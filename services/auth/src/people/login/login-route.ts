/**
 * `GET/POST /login`: the sign-in form. The POST must carry the interaction id and CSRF token the
 * form was rendered with, from the browser that loaded it. Unknown user, wrong password and
 * disabled user get the same page, status and (one argon2id verification) timing.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { complete } from '../authorize/complete.js';
import { BROWSER_COOKIE, readCookie, SESSION_COOKIE, setCookie } from '../browser/cookies.js';
import { deleteInteraction, loadInteraction, type Interaction } from '../browser/interaction.js';
import { createLoginSession, endLoginSession, findLoginSession } from '../browser/login-session.js';
import { loginPage, messagePage } from '../html/pages.js';
import { originOf, sendHtml } from '../html/send-html.js';
import type { People } from '../people.js';
import { verifyPassword } from '../../users/verify-credentials.js';
import { usernameKey } from '../../users/tables.js';

export const LOGIN_FAILED = 'Incorrect username or password.';
export const FORM_EXPIRED =
  'This sign-in form has expired or was not sent from this browser. Go back to the application and start again.';

type Form = Record<string, unknown>;

function field(body: Form, name: string): string | undefined {
  const value = body[name];
  return typeof value === 'string' ? value : undefined;
}

export function registerLoginRoutes(app: FastifyInstance, people: People): void {
  const { context } = people;

  function renderForm(
    reply: FastifyReply,
    id: string,
    interaction: Interaction,
    clientName: string,
    extra: { status?: number; error?: string; username?: string } = {},
  ) {
    const target = originOf(interaction.request.redirectUri);
    return sendHtml(
      reply,
      loginPage({
        action: `${people.base}/login`,
        interaction: id,
        csrf: interaction.csrf,
        clientName,
        ...(extra.error ? { error: extra.error } : {}),
        ...(extra.username ? { username: extra.username } : {}),
      }),
      { status: extra.status ?? 200, formTargets: target ? [target] : [] },
    );
  }

  const expired = (reply: FastifyReply, status = 403) =>
    sendHtml(reply, messagePage('Sign-in form expired', FORM_EXPIRED), { status });

  app.get('/login', { config: { public: true } }, async (request, reply) => {
    const id = (request.query as Record<string, unknown>).interaction;
    const interaction = await loadInteraction(
      context.shared,
      id,
      readCookie(request, BROWSER_COOKIE),
      undefined,
    );
    if (!interaction || typeof id !== 'string') return expired(reply, 400);
    const client = await context.findClient(interaction.request.clientId);
    if (!client) return expired(reply, 400);
    return renderForm(reply, id, interaction, client.name ?? client.clientId);
  });

  app.post(
    '/login',
    { config: { public: true }, bodyLimit: 8 * 1024 },
    async (request: FastifyRequest, reply) => {
      const body = (request.body && typeof request.body === 'object' ? request.body : {}) as Form;
      const id = field(body, 'interaction');
      // CSRF (ASVS V3.5): the token must match the one issued to this browser with this form.
      const interaction = await loadInteraction(
        context.shared,
        id,
        readCookie(request, BROWSER_COOKIE),
        field(body, 'csrf') ?? null,
      );
      if (!interaction || id === undefined) {
        await context.audit(request, 'login.rejected', { outcome: 'denied', details: { reason: 'csrf' } });
        return expired(reply);
      }
      const client = await context.findClient(interaction.request.clientId);
      if (!client) return expired(reply, 400);
      const clientName = client.name ?? client.clientId;
      const username = (field(body, 'username') ?? '').trim().slice(0, 256);
      const password = field(body, 'password') ?? '';
      if (username === '' || password === '') {
        return renderForm(reply, id, interaction, clientName, { status: 401, error: LOGIN_FAILED, username });
      }

      const account = usernameKey(username);
      const decision = await people.throttle.check(account, request.ip);
      if (!decision.allowed) {
        const seconds = Math.ceil(decision.retryAfterMs / 1000);
        await context.audit(request, 'login.throttled', {
          outcome: 'denied',
          details: { username, retry_after: seconds },
        });
        reply.header('retry-after', String(seconds));
        return renderForm(reply, id, interaction, clientName, {
          status: 429,
          error: `Too many sign-in attempts. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
          username,
        });
      }

      const result = await verifyPassword(context.db, username, password);
      if (!result.ok) {
        await people.throttle.failed(account, request.ip);
        await context.audit(request, 'login.failure', {
          outcome: 'failure',
          ...(result.userId ? { resource: `user:${result.userId}` } : {}),
          details: { username, reason: result.reason, client_id: client.clientId },
        });
        return renderForm(reply, id, interaction, clientName, { status: 401, error: LOGIN_FAILED, username });
      }

      await people.throttle.succeeded(account);
      // A new session on every login (no fixation); the one this browser had ends.
      const previous = await findLoginSession(
        context.db,
        readCookie(request, SESSION_COOKIE),
        people.sessions,
      );
      if (previous) await endLoginSession(context.db, previous.id);
      const { cookie, session } = await createLoginSession(context.db, result.user.id, people.sessions);
      setCookie(reply, SESSION_COOKIE, cookie, people.cookies, people.sessions.absoluteMs / 1000);
      await deleteInteraction(context.shared, id);
      await context.audit(request, 'login.success', {
        resource: `user:${result.user.id}`,
        actor: { sub: result.user.id, kind: 'user' },
        details: { client_id: client.clientId, session: session.id },
      });
      return complete(people, request, reply, client, interaction.request, {
        userId: result.user.id,
        username: result.user.username,
        sessionId: session.id,
        authTime: session.authTime,
      });
    },
  );
}
