/**
 * Every HTTP error leaves as `application/problem+json` (RFC 9457). 4xx details are shown;
 * 5xx bodies say only that something failed and which request id to quote — never internals.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ExceptionReporter } from '../reporting/exception-reporter.js';
import { chassisErrors, codeForStatus, problemType } from './codes.js';
import { RampartError } from './rampart-error.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code: string;
  request_id: string;
  errors?: { field: string; message: string }[];
  [extension: string]: unknown;
}

export function toProblem(
  error: unknown,
  request: FastifyRequest,
): { problem: Problem; headers?: Record<string, string> } {
  const base = { instance: request.url.split('?')[0], request_id: String(request.id) };
  if (error instanceof RampartError) {
    const problem: Problem = {
      ...error.extensions,
      type: problemType(error.code),
      title: error.title,
      status: error.status,
      ...(error.expose && error.detail ? { detail: error.detail } : {}),
      code: error.code,
      ...base,
    };
    return { problem, ...(error.headers ? { headers: error.headers } : {}) };
  }
  const fastifyError = error as Partial<FastifyError>;
  if (fastifyError.validation) {
    // Schema validation: name every field that failed, e.g. `body/quantity must be >= 1`.
    const context = fastifyError.validationContext ?? 'request';
    const errors = fastifyError.validation.map((v) => {
      const missing = (v.params as { missingProperty?: string } | undefined)?.missingProperty;
      const field = `${context}${v.instancePath}${missing ? `/${missing}` : ''}`;
      return { field, message: v.message ?? 'is invalid' };
    });
    return {
      problem: {
        type: problemType('RAMPART_ERR_VALIDATION'),
        title: chassisErrors.RAMPART_ERR_VALIDATION.title,
        status: 400,
        detail: errors.map((e) => `${e.field} ${e.message}`).join('; '),
        code: 'RAMPART_ERR_VALIDATION',
        errors,
        ...base,
      },
    };
  }
  const status =
    typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400
      ? fastifyError.statusCode
      : 500;
  const code = codeForStatus(status);
  const problem: Problem = {
    type: problemType(code),
    title: status in statusTitles ? (statusTitles[status] as string) : chassisErrors[code].title,
    status,
    code,
    ...base,
  };
  if (status < 500 && fastifyError.message) problem.detail = fastifyError.message;
  else if (status >= 500)
    problem.detail = `An unexpected error occurred. Quote request id ${base.request_id} when reporting it.`;
  return { problem };
}

const statusTitles: Record<number, string> = Object.fromEntries(
  Object.values(chassisErrors).map((definition) => [definition.status, definition.title]),
);

export function sendProblem(
  reply: FastifyReply,
  problem: Problem,
  headers?: Record<string, string>,
): FastifyReply {
  if (headers) reply.headers(headers);
  return reply
    .code(problem.status)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .send(Buffer.from(JSON.stringify(problem)));
}

export function registerProblemHandlers(app: FastifyInstance, reporter: () => ExceptionReporter): void {
  app.setErrorHandler((error, request, reply) => {
    const { problem, headers } = toProblem(error, request);
    if (problem.status >= 500) reporter().report(error, { kind: 'request', request });
    else request.log.debug({ err: error }, 'request rejected');
    return sendProblem(reply, problem, headers);
  });
  app.setNotFoundHandler((request, reply) => {
    const { problem } = toProblem(
      new RampartError('RAMPART_ERR_NOT_FOUND', chassisErrors.RAMPART_ERR_NOT_FOUND, {
        detail: `no route for ${request.method} ${request.url.split('?')[0]}`,
      }),
      request,
    );
    return sendProblem(reply, problem);
  });
}
