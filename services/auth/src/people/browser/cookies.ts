/**
 * The two browser cookies: `rampart_session` (the login session) and `rampart_browser` (a random
 * per-browser value that binds forms to the browser that loaded them — the CSRF defence of the
 * login, consent and logout forms). Both HttpOnly, SameSite=Lax, Secure when the issuer is https,
 * scoped to the issuer's path.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomToken } from '../../lib/random.js';

export const SESSION_COOKIE = 'rampart_session';
export const BROWSER_COOKIE = 'rampart_browser';

export interface CookieSettings {
  secure: boolean;
  path: string;
}

export function cookieSettings(issuer: string): CookieSettings {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/+$/, '') || '/';
  return { secure: url.protocol === 'https:', path };
}

/** The issuer's path prefix ('' at the root), for links and form actions. */
export function basePath(issuer: string): string {
  return new URL(issuer).pathname.replace(/\/+$/, '');
}

function serialize(name: string, value: string, settings: CookieSettings, maxAgeSeconds?: number): string {
  const parts = [`${name}=${value}`, `Path=${settings.path}`, 'HttpOnly', 'SameSite=Lax'];
  if (settings.secure) parts.push('Secure');
  if (maxAgeSeconds !== undefined) parts.push(`Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`);
  return parts.join('; ');
}

export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() === name) {
      const value = part.slice(index + 1).trim();
      // Our cookie values are base64url; anything else is not ours.
      return /^[A-Za-z0-9_-]{16,128}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

function appendCookie(reply: FastifyReply, cookie: string): void {
  const existing = reply.getHeader('set-cookie');
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
  reply.header('set-cookie', [...list, cookie]);
}

export function setCookie(
  reply: FastifyReply,
  name: string,
  value: string,
  settings: CookieSettings,
  maxAgeSeconds?: number,
): void {
  appendCookie(reply, serialize(name, value, settings, maxAgeSeconds));
}

export function clearCookie(reply: FastifyReply, name: string, settings: CookieSettings): void {
  appendCookie(reply, serialize(name, '', settings, 0));
}

/** The browser binding value, set when the browser has none yet. */
export function browserId(request: FastifyRequest, reply: FastifyReply, settings: CookieSettings): string {
  const existing = readCookie(request, BROWSER_COOKIE);
  if (existing) return existing;
  const value = randomToken();
  setCookie(reply, BROWSER_COOKIE, value, settings);
  return value;
}
