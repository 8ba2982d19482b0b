/**
 * What every OAuth endpoint shares: `Cache-Control: no-store` (RFC 6749 §5.1), a small body
 * limit, and an error handler that answers in OAuth format — including the errors Fastify raises
 * before the handler runs (oversized body → 413, malformed body or content type → 400).
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { OAuthError } from './errors.js';

export const OAUTH_BODY_LIMIT = 16 * 1024;

export function noStore(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
}

export function sendOAuthError(reply: FastifyReply, error: OAuthError): FastifyReply {
  noStore(reply).status(error.status).headers(error.headers);
  return reply.send(error.body());
}

export function oauthErrorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (error instanceof OAuthError) return sendOAuthError(reply, error);
  const status = error.statusCode ?? 500;
  if (status === 413)
    return sendOAuthError(reply, new OAuthError('invalid_request', 'request body too large', 413));
  if (status >= 400 && status < 500) {
    return sendOAuthError(reply, new OAuthError('invalid_request', 'malformed request', 400));
  }
  request.log.error({ err: error }, 'oauth endpoint failed');
  return sendOAuthError(reply, new OAuthError('server_error', 'internal error', 500));
}

/** Route options for an OAuth endpoint (form-encoded POST). */
export const oauthRouteOptions = {
  bodyLimit: OAUTH_BODY_LIMIT,
  errorHandler: oauthErrorHandler,
  config: { public: true },
} as const;
