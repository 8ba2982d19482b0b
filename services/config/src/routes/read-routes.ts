/**
 * `GET /v1/config/:app/:profile`: an application's layered configuration, secrets decrypted, for
 * a client allowed to read it. `?after=N` long-polls until a version newer than N exists
 * (304 when none appears within the wait); `If-None-Match` → 304 when unchanged.
 */
import { Type, type Service } from '@rampart/chassis';
import { mayRead, principalOf } from '../access.js';
import type { ConfigContext } from '../context.js';
import { configErrors } from '../errors.js';
import { NameSchema } from '../names.js';
import { etagOf, noneMatch } from './etag.js';

export function registerReadRoutes(app: Service, context: ConfigContext): void {
  app.get(
    '/v1/config/:app/:profile',
    {
      config: { auth: { scopes: ['config:read'], kind: 'service' } },
      schema: {
        params: Type.Object({ app: NameSchema, profile: NameSchema }),
        querystring: Type.Object({ after: Type.Optional(Type.Integer({ minimum: 0 })) }),
      },
    },
    async (request, reply) => {
      const { app: name, profile } = request.params;
      const resource = `config:${name}/${profile}`;
      const principal = principalOf(request);
      if (!mayRead(principal, name, context.readers)) {
        await request.audit('config.read', {
          resource,
          outcome: 'denied',
          details: { reason: `client ${principal.clientId} is not bound to ${name}` },
        });
        throw configErrors.create('CONFIG_ERR_READ_DENIED', { detail: `client may not read ${name}` });
      }
      const after = request.query.after;
      const closed = new AbortController();
      reply.raw.once('close', () => closed.abort());
      const deadline = Date.now() + context.longPollMs;
      let config = await context.core.effective(name, profile, { reveal: true });
      while (after !== undefined && config.version <= after) {
        const remaining = deadline - Date.now();
        if (remaining <= 0 || context.bus.closed || closed.signal.aborted) break;
        await context.bus.next(remaining, closed.signal);
        config = await context.core.effective(name, profile, { reveal: true });
      }
      void reply.header('etag', etagOf(config.version)).header('cache-control', 'no-store');
      const unchanged =
        after !== undefined
          ? config.version <= after
          : noneMatch(request.headers['if-none-match'], config.version);
      if (unchanged) return reply.code(304).send();
      return config;
    },
  );
}
