/**
 * `GET /revocations?since=<id>`: the revocation feed for gateways and services. Answers the events
 * after `since` at once, or long-polls (up to `revocationsLongPollSeconds`) until there are some.
 * With `Accept: text/event-stream` it streams them as server-sent events instead (`id:` = event id,
 * so `Last-Event-ID` resumes).
 *
 * Callers authenticate with an access token carrying scope `revocations:read`, or as a confidential
 * client with HTTP Basic.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@rampart/chassis';
import type { AuthContext } from '../context.js';
import { authenticateClient } from '../oauth/authenticate-client.js';
import { OAuthError } from '../oauth/errors.js';
import { FormParams } from '../oauth/parse-form.js';
import { toWireEvent, type RevocationEvent } from '../tokens/revocation-feed.js';

export const REVOCATIONS_SCOPE = 'revocations:read';
const SSE_HEARTBEAT_MS = 15_000;

async function authorize(context: AuthContext, request: FastifyRequest): Promise<void> {
  const header = request.headers.authorization ?? '';
  if (/^bearer /i.test(header)) {
    const claims = await context.verifyAccessToken(header.slice(7).trim());
    if (!claims) throw bearerError('invalid_token', 'invalid or expired access token', 401);
    if (!(claims.scope ?? '').split(' ').includes(REVOCATIONS_SCOPE)) {
      throw bearerError('insufficient_scope', `scope ${REVOCATIONS_SCOPE} required`, 403);
    }
    return;
  }
  if (/^basic /i.test(header)) {
    const { method } = await authenticateClient(context, request, new FormParams(new Map()));
    if (method === 'client_secret_basic') return;
  }
  throw bearerError('invalid_token', 'authentication required', 401);
}

/** RFC 6750 §3. */
function bearerError(
  code: 'invalid_token' | 'insufficient_scope',
  description: string,
  status: number,
): OAuthError {
  const error = new OAuthError(code, description, status);
  error.headers['www-authenticate'] = `Bearer error="${code}", error_description="${description}"`;
  return error;
}

export function registerRevocationsRoute(app: FastifyInstance, context: AuthContext): void {
  app.get(
    '/revocations',
    {
      config: { public: true },
      schema: { querystring: Type.Object({ since: Type.Optional(Type.Integer({ minimum: 0 })) }) },
      errorHandler: (error, request, reply) => {
        if (error instanceof OAuthError)
          void reply.status(error.status).headers(error.headers).send(error.body());
        else if ((error.statusCode ?? 500) < 500)
          void reply
            .status(error.statusCode ?? 400)
            .send({ error: 'invalid_request', error_description: error.message });
        else {
          request.log.error({ err: error }, 'revocation feed failed');
          void reply.status(500).send({ error: 'server_error', error_description: 'internal error' });
        }
      },
    },
    async (request, reply) => {
      await authorize(context, request);
      const query = request.query as { since?: number };
      const lastEventId = Number(request.headers['last-event-id']);
      const since = query.since ?? (Number.isSafeInteger(lastEventId) ? lastEventId : 0);
      if ((request.headers.accept ?? '').includes('text/event-stream'))
        return stream(context, request, reply, since);

      const abort = new AbortController();
      request.raw.once('close', () => abort.abort());
      const events = await context.revocations.wait(
        since,
        context.config.revocationsLongPollSeconds * 1000,
        abort.signal,
      );
      reply.header('cache-control', 'no-store');
      const next = events.at(-1)?.id ?? since;
      return { events: events.map(toWireEvent), next };
    },
  );
}

async function stream(
  context: AuthContext,
  request: FastifyRequest,
  reply: FastifyReply,
  since: number,
): Promise<void> {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  });
  const abort = new AbortController();
  request.raw.once('close', () => abort.abort());
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), SSE_HEARTBEAT_MS);
  let last = since;
  try {
    while (!abort.signal.aborted && !context.revocations.closed) {
      const events: RevocationEvent[] = await context.revocations.wait(last, SSE_HEARTBEAT_MS, abort.signal);
      for (const event of events) {
        res.write(`id: ${event.id}\nevent: revocation\ndata: ${JSON.stringify(toWireEvent(event))}\n\n`);
        last = event.id;
      }
    }
  } catch (error) {
    request.log.warn({ err: error }, 'revocation stream ended');
  } finally {
    clearInterval(heartbeat);
    res.end();
  }
}
