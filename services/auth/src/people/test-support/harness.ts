/**
 * Test harness of the people side: a real auth instance (`buildAuth`, both backends), a browser
 * with a cookie jar over `app.inject`, PKCE pairs, and helpers that read the rendered forms.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import type { SharedState } from '@rampart/store';
import {
  captureLogs,
  type LogCapture,
} from '../../../../../packages/chassis/src/test-support/log-capture.js';
import { buildAuth, type AuthService } from '../../app.js';
import { createClient, type CreateClientInput } from '../../clients/create-client.js';
import { addUser, type AddUserInput } from '../../users/index.js';

export const ISSUER = 'http://auth.test';
export const REDIRECT = 'https://app.example/callback';
export const PASSWORD = 'correct horse battery';
const MASTER_KEY = randomBytes(32).toString('base64url');

export interface PeopleAuth {
  app: AuthService;
  logs: LogCapture;
  audits(): { action: string; outcome: string; resource?: string; details?: Record<string, unknown> }[];
}

const started: AuthService[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((app) => app.close()));
});

export async function startPeopleAuth(
  databaseUrl: string,
  options: { env?: Record<string, string>; sharedState?: SharedState } = {},
): Promise<PeopleAuth> {
  const logs = captureLogs();
  const app = await buildAuth({
    env: {
      PORT: '0',
      RAMPART_AUTH_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'rampart-people-data-')),
      RAMPART_AUTH_DATABASE_URL: databaseUrl,
      RAMPART_AUTH_MASTER_KEY: MASTER_KEY,
      RAMPART_AUTH_ISSUER: ISSUER,
      // Audit events are also logged (successes at debug); the tests read them from the log.
      RAMPART_AUTH_LOG_LEVEL: 'debug',
      // The seeding tests call ensureFirstAdmin themselves.
      RAMPART_AUTH_BOOTSTRAP_ADMIN: 'false',
      ...options.env,
    },
    argv: [],
    logDestination: logs,
    ...(options.sharedState ? { sharedState: options.sharedState } : {}),
  });
  started.push(app);
  return {
    app,
    logs,
    audits: () =>
      logs
        .lines()
        .filter((l) => l.audit)
        .map((l) => l.audit as ReturnType<PeopleAuth['audits']>[number]),
  };
}

export function user(auth: PeopleAuth, input: Partial<AddUserInput> & { username: string }) {
  return addUser(auth.app.authContext.db, { password: PASSWORD, ...input });
}

export function client(auth: PeopleAuth, input: Partial<CreateClientInput> & { clientId: string }) {
  return createClient(auth.app.authContext.db, {
    type: 'confidential',
    grantTypes: ['authorization_code', 'refresh_token'],
    redirectUris: [REDIRECT],
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    firstParty: true,
    ...input,
  });
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function authorizeUrl(params: Record<string, string | string[] | undefined>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    for (const value of Array.isArray(v) ? v : v === undefined ? [] : [v]) search.append(k, value);
  }
  return `/oauth2/authorize?${search.toString()}`;
}

/** A standard request for client `clientId`; override or drop (`undefined`) any parameter. */
export function authorizeParams(
  clientId: string,
  challenge: string,
  extra: Record<string, string | string[] | undefined> = {},
) {
  return {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: REDIRECT,
    scope: 'openid profile',
    state: 'st-123',
    nonce: 'n-456',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  };
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
  location?: URL;
}

/** A browser: keeps cookies (honouring Max-Age=0), sends forms, reads the answers. */
export class Browser {
  readonly cookies = new Map<string, string>();
  constructor(private readonly app: AuthService) {}

  private remember(setCookie: string | string[] | number | undefined): void {
    for (const line of Array.isArray(setCookie) ? setCookie : setCookie ? [String(setCookie)] : []) {
      const [pair = '', ...attrs] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      if (attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private cookieHeader(): Record<string, string> {
    if (this.cookies.size === 0) return {};
    return { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
  }

  private async answer(res: Awaited<ReturnType<AuthService['inject']>>): Promise<Answer> {
    this.remember(res.headers['set-cookie']);
    const location = res.headers.location;
    return {
      status: res.statusCode,
      headers: res.headers,
      body: res.body,
      ...(typeof location === 'string' ? { location: new URL(location, ISSUER) } : {}),
    };
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
    return this.answer(
      await this.app.inject({ method: 'GET', url, headers: { ...this.cookieHeader(), ...headers } }),
    );
  }

  async post(
    url: string,
    fields: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    return this.answer(
      await this.app.inject({
        method: 'POST',
        url,
        payload: new URLSearchParams(fields).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...this.cookieHeader(), ...headers },
      }),
    );
  }
}

/** The hidden fields of the first form on a page. */
export function hiddenFields(page: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\s*\/?>/g)) {
    fields[decode(match[1] ?? '')] = decode(match[2] ?? '');
  }
  return fields;
}

function decode(value: string): string {
  return value
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&#96;', '`')
    .replaceAll('&#61;', '=')
    .replaceAll('&amp;', '&');
}

/** Starts an authorization request in `browser`, signs in, and returns the final answer. */
export async function signIn(
  browser: Browser,
  params: Record<string, string | string[] | undefined>,
  credentials: { username: string; password?: string },
): Promise<Answer> {
  const page = await browser.get(authorizeUrl(params));
  if (page.status !== 200) throw new Error(`authorize answered ${page.status}: ${page.body.slice(0, 200)}`);
  return browser.post('/login', {
    ...hiddenFields(page.body),
    username: credentials.username,
    password: credentials.password ?? PASSWORD,
  });
}
