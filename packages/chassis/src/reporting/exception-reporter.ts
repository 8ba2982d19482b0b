/**
 * Receives every unhandled error: 5xx answers, uncaught exceptions and unhandled rejections.
 * The chassis' default logs them; the observability issue plugs in a reporter that ships,
 * groups and alerts. A reporter never throws into the request (observability never breaks it).
 */
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';

export interface ExceptionContext {
  kind: 'request' | 'uncaughtException' | 'unhandledRejection' | 'startup';
  request?: FastifyRequest | undefined;
}

export interface ExceptionReporter {
  report(error: unknown, context: ExceptionContext): void;
}

export function createLogReporter(log: FastifyBaseLogger): ExceptionReporter {
  return {
    report(error, context) {
      const request = context.request;
      const fields = {
        err: error instanceof Error ? error : new Error(String(error)),
        exception_kind: context.kind,
        ...(request ? { http_route: request.routeOptions.url, http_request_method: request.method } : {}),
      };
      (request?.log ?? log).error(fields, 'unhandled error');
    },
  };
}
