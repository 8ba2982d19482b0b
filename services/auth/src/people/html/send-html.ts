/**
 * Sends a server-rendered page: no caching (it may carry a CSRF token), a strict CSP (no script
 * at all, no framing — RFC 9700 §4.16 clickjacking), and `form-action` limited to this server
 * plus, when the page's form ends in a redirect to a client, that client's origin (browsers
 * apply `form-action` to the redirects that follow a form submission).
 */
import type { FastifyReply } from 'fastify';
import type { Html } from './escape.js';

export interface SendHtmlOptions {
  status?: number;
  /** Origins a form on this page may end up at (the client's redirect URI). */
  formTargets?: readonly string[];
}

export function contentSecurityPolicy(formTargets: readonly string[] = []): string {
  const formAction = ["'self'", ...new Set(formTargets)].join(' ');
  return [
    "default-src 'none'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `form-action ${formAction}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

export function originOf(uri: string): string | undefined {
  try {
    const origin = new URL(uri).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

export function sendHtml(reply: FastifyReply, page: Html, options: SendHtmlOptions = {}): FastifyReply {
  return reply
    .status(options.status ?? 200)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('pragma', 'no-cache')
    .header('x-frame-options', 'DENY')
    .header('content-security-policy', contentSecurityPolicy(options.formTargets))
    .header('referrer-policy', 'no-referrer')
    .send(page.value);
}
