/** `request.audit(action, …)`: an audit event with who and where filled in from the request. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditActor, AuditLog, AuditOutcome } from './audit-log.js';

export interface RequestAuditOptions {
  outcome?: AuditOutcome;
  resource?: string;
  details?: Record<string, unknown>;
}

interface PrincipalLike {
  sub?: string;
  clientId?: string;
  kind?: 'user' | 'service';
}

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

export function actorOf(request: FastifyRequest): AuditActor {
  const principal = (request as FastifyRequest & { principal?: PrincipalLike }).principal;
  if (!principal) return { kind: 'anonymous' };
  return { sub: principal.sub, clientId: principal.clientId, kind: principal.kind };
}

export function traceIdOf(request: FastifyRequest): string | undefined {
  const header = request.headers.traceparent;
  const match = typeof header === 'string' ? TRACEPARENT.exec(header) : null;
  return match?.[1];
}

export function registerRequestAudit(app: FastifyInstance, audit: () => AuditLog): void {
  app.decorateRequest(
    'audit',
    function (this: FastifyRequest, action: string, options: RequestAuditOptions = {}) {
      return audit().record({
        action,
        outcome: options.outcome ?? 'success',
        actor: actorOf(this),
        resource: options.resource,
        details: options.details,
        ip: this.ip,
        requestId: String(this.id),
        traceId: traceIdOf(this),
      });
    },
  );
}

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Records an audit event for this request — who (the principal), from where (IP, request id,
     * trace id), what, to what, with what outcome — durably, before you answer.
     *
     * @example
     * await request.audit('order.cancel', { resource: `order:${id}`, outcome: 'success' });
     */
    audit(action: string, options?: RequestAuditOptions): Promise<void>;
  }
}
