/**
 * The auth service's one door to the audit trail: every audit event of this service goes through
 * `AuditFn`, which writes it to the chassis audit log (the outbox in the service's database) with
 * who and where filled in from the request.
 * The chassis audit log group-commits: a burst of token requests costs one commit, and every
 * call resolves only once its own event is committed.
 */
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import { traceIdOf, type AuditEvent, type AuditLog } from '@rampart/chassis';

export type AuditOutcome = 'success' | 'failure' | 'denied';

export interface AuditOptions {
  outcome?: AuditOutcome;
  /** What was acted on, e.g. `client:demo-cli`, `family:…`. */
  resource?: string;
  /** Who acted (the authenticated client, the user). */
  actor?: {
    sub?: string | undefined;
    clientId?: string | undefined;
    kind?: 'user' | 'service' | 'anonymous' | undefined;
  };
  details?: Record<string, unknown>;
}

/** Records an audit event, e.g. `await audit(request, 'token.issued', { resource: 'client:x' })`. */
export type AuditFn = (
  request: FastifyRequest | undefined,
  action: string,
  options?: AuditOptions,
) => Promise<void>;

/**
 * @param log the chassis audit log (the outbox, with group commit)
 * @param logger refusals are also logged at warn so an operator sees attacks as they happen;
 *   successes (one per token) only at debug, as they would double the log volume.
 */
export function createAudit(log: AuditLog, logger?: FastifyBaseLogger): AuditFn {
  return (request, action, options = {}) => {
    const event: AuditEvent = {
      action,
      outcome: options.outcome ?? 'success',
      actor: options.actor ?? { kind: 'anonymous' },
      resource: options.resource,
      details: options.details,
      ip: request?.ip,
      requestId: request ? String(request.id) : undefined,
      traceId: request ? traceIdOf(request) : undefined,
      time: new Date(),
    };
    if (logger) {
      const line = {
        audit: {
          action,
          outcome: event.outcome,
          actor: event.actor,
          resource: event.resource,
          details: event.details,
        },
      };
      if (event.outcome === 'success') logger.debug(line, 'audit');
      else logger.warn(line, 'audit');
    }
    return log.record(event);
  };
}
