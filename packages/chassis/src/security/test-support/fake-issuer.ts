/**
 * A small real authorization server for tests: discovery, a JWKS that counts its requests, a
 * client-credentials token endpoint and the revocation long-poll feed, on port 0.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import type { RevocationEvent } from '../deny-list.js';
import { startRestartableServer } from '../../test-support/restartable-server.js';

export interface SigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  jwk: JWK;
}

export async function makeKey(alg: 'ES256' | 'RS256' | 'EdDSA', kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, publicKey, jwk };
}

export interface FakeIssuer {
  url: string;
  issuer: string;
  keys: SigningKey[];
  /** Requests per path. */
  hits: Map<string, number>;
  count(path: string): number;
  /** JWKS served (replace to rotate). */
  jwks: { keys: JWK[] };
  sign(
    claims?: JWTPayload,
    options?: { key?: SigningKey; header?: Record<string, unknown>; omit?: string[] },
  ): Promise<string>;
  revoke(event: Omit<RevocationEvent, 'id'>): void;
  /** Stops answering (listener closed, connections dropped). */
  goDown(): Promise<void>;
  /** Listens again on the same port. */
  comeUp(): Promise<void>;
  tokenDelayMs: number;
  tokenLifetimeSec: number;
  clients: Map<string, string>;
  close(): Promise<void>;
}

export async function startFakeIssuer(
  options: { audience?: string; holdMs?: number } = {},
): Promise<FakeIssuer> {
  const keys = [await makeKey('ES256', 'es-1'), await makeKey('RS256', 'rs-1')];
  const hits = new Map<string, number>();
  const events: RevocationEvent[] = [];
  const waiters = new Set<() => void>();
  const issued = new Set<string>();
  let nextId = 1;

  const listener = await startRestartableServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (url.pathname === '/.well-known/openid-configuration')
      return json(200, {
        issuer: fake.issuer,
        jwks_uri: `${fake.url}/jwks`,
        token_endpoint: `${fake.url}/token`,
      });
    if (url.pathname === '/jwks') return json(200, fake.jwks);
    if (url.pathname === '/token' && req.method === 'POST') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        const [id, secret] = Buffer.from(basic ?? '', 'base64')
          .toString()
          .split(':')
          .map((s) => decodeURIComponent(s));
        if (form.get('grant_type') !== 'client_credentials' || !id || fake.clients.get(id) !== secret)
          return json(401, { error: 'invalid_client' });
        setTimeout(() => {
          void fake
            .sign({
              sub: id,
              client_id: id,
              scope: form.get('scope') ?? '',
              ...(form.get('resource') ? { aud: form.get('resource') ?? '' } : {}),
            })
            .then((token) => {
              issued.add(token);
              json(200, { access_token: token, token_type: 'Bearer', expires_in: fake.tokenLifetimeSec });
            });
        }, fake.tokenDelayMs);
      });
      return;
    }
    if (url.pathname === '/revocations') {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!token || !issued.has(token)) return json(401, { error: 'invalid_token' });
      const since = Number(url.searchParams.get('since') ?? '0');
      const answer = () => {
        const fresh = events.filter((e) => Number(e.id) > since);
        json(200, { events: fresh, next: String(fresh.at(-1)?.id ?? since) });
      };
      if (events.some((e) => Number(e.id) > since)) return answer();
      const waiter = () => {
        clearTimeout(timer);
        waiters.delete(waiter);
        answer();
      };
      const timer = setTimeout(waiter, options.holdMs ?? 1000);
      waiters.add(waiter);
      res.on('close', () => {
        clearTimeout(timer);
        waiters.delete(waiter);
      });
      return;
    }
    json(404, { error: 'not_found' });
  });
  const url = listener.url;

  const fake: FakeIssuer = {
    url,
    issuer: url,
    keys,
    hits,
    count: (path) => hits.get(path) ?? 0,
    jwks: { keys: keys.map((k) => k.jwk) },
    tokenDelayMs: 20,
    tokenLifetimeSec: 300,
    clients: new Map([['orders', 'orders-secret']]),
    async sign(claims = {}, opts = {}) {
      const key = opts.key ?? keys[0]!;
      const now = Math.floor(Date.now() / 1000);
      const payload: JWTPayload = {
        iss: fake.issuer,
        aud: options.audience ?? 'orders',
        sub: 'alice',
        client_id: 'demo-spa',
        jti: randomUUID(),
        iat: now,
        exp: now + 300,
        scope: 'openid orders:read',
        roles: ['customer'],
        ...claims,
      };
      for (const name of opts.omit ?? []) delete payload[name];
      return new SignJWT(payload)
        .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt', ...opts.header })
        .sign(key.privateKey);
    },
    revoke(event) {
      events.push({ ...event, id: nextId++ });
      for (const waiter of [...waiters]) waiter();
    },
    async goDown() {
      for (const waiter of [...waiters]) waiters.delete(waiter);
      await listener.goDown();
    },
    comeUp: () => listener.comeUp(),
    async close() {
      if (listener.server.listening) await fake.goDown();
    },
  };
  return fake;
}

/** A server that only records that someone called it (for `jku`/`x5u` tests). */
export async function startCaptureServer(): Promise<{
  url: string;
  requests: string[];
  close(): Promise<void>;
}> {
  const requests: string[] = [];
  const server = await startRestartableServer((req, res) => {
    requests.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"keys":[]}');
  });
  return { url: server.url, requests, close: () => server.close() };
}
