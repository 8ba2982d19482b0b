import http from 'node:http';
import { describe, expect, inject, it } from 'vitest';
import { addClient, backends, basic, form, startAuth } from '../test-support/harness.js';

const redisUrl = inject('redisUrl');
const [sqlite, postgres] = backends('feed');

async function feedReader(auth: Awaited<ReturnType<typeof startAuth>>) {
  const { secret } = await addClient(auth.app, { clientId: 'gateway', scopes: ['revocations:read'] });
  const token = (
    await form(
      auth.app,
      '/oauth2/token',
      { grant_type: 'client_credentials', scope: 'revocations:read' },
      { authorization: basic('gateway', secret!) },
    )
  ).json().access_token as string;
  return { secret: secret!, token };
}

describe('GET /revocations', () => {
  it('requires a token with scope revocations:read or client authentication', async () => {
    const auth = await startAuth(sqlite!.url(), { env: { RAMPART_AUTH_REVOCATIONS_LONG_POLL_SECONDS: '0' } });
    const anonymous = await auth.app.inject({ url: '/revocations?since=0' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
    const { secret: other } = await addClient(auth.app, { clientId: 'other', scopes: ['x'] });
    const weak = (
      await form(
        auth.app,
        '/oauth2/token',
        { grant_type: 'client_credentials' },
        { authorization: basic('other', other!) },
      )
    ).json().access_token;
    expect(
      (await auth.app.inject({ url: '/revocations', headers: { authorization: `Bearer ${weak}` } }))
        .statusCode,
    ).toBe(403);
    const { secret, token } = await feedReader(auth);
    expect(
      (await auth.app.inject({ url: '/revocations', headers: { authorization: `Bearer ${token}` } }))
        .statusCode,
    ).toBe(200);
    expect(
      (await auth.app.inject({ url: '/revocations', headers: { authorization: basic('gateway', secret) } }))
        .statusCode,
    ).toBe(200);
    expect(
      (await auth.app.inject({ url: '/revocations', headers: { authorization: basic('gateway', 'nope') } }))
        .statusCode,
    ).toBe(401);
  });

  it('answers the events after since at once, and long-polls until the next one', async () => {
    const auth = await startAuth(sqlite!.url());
    const { token } = await feedReader(auth);
    const [first] = await auth.app.authContext.revocations.record([
      { kind: 'jti', value: 'j1', expiresAt: Date.now() + 60_000 },
    ]);
    const now = await auth.app.inject({
      url: '/revocations?since=0',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(now.json()).toEqual({
      events: [{ id: first!.id, type: 'access_token', jti: 'j1', exp: first!.exp }],
      next: first!.id,
    });

    const waiting = auth.app.inject({
      url: `/revocations?since=${first!.id}`,
      headers: { authorization: `Bearer ${token}` },
    });
    await new Promise((r) => setTimeout(r, 100));
    await auth.app.authContext.revokeUserTokens('bob', { disabled: true });
    const later = (await waiting).json();
    expect(later.events).toEqual([expect.objectContaining({ type: 'user', sub: 'bob' })]);
  });

  it('streams server-sent events', async () => {
    const auth = await startAuth(sqlite!.url());
    const { token } = await feedReader(auth);
    const { url } = await auth.app.start({ handleSignals: false });
    const received = new Promise<string>((resolve, reject) => {
      const req = http.get(
        `${url}/revocations?since=0`,
        { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } },
        (res) => {
          expect(res.headers['content-type']).toBe('text/event-stream');
          let text = '';
          res.on('data', (chunk: Buffer) => {
            text += chunk.toString();
            if (text.includes('\n\n')) {
              req.destroy();
              resolve(text);
            }
          });
        },
      );
      req.on('error', reject);
    });
    await new Promise((r) => setTimeout(r, 100));
    const [event] = await auth.app.authContext.revocations.record([
      { kind: 'family', value: 'f1', expiresAt: Date.now() + 60_000 },
    ]);
    const text = await received;
    expect(text).toContain(
      `id: ${event!.id}\nevent: revocation\ndata: {"id":${event!.id},"type":"family","family":"f1"`,
    );
  });

  it.skipIf(!redisUrl || postgres!.skip)(
    'delivers an event recorded on one instance to a long poll on another (Redis)',
    async () => {
      const url = postgres!.url();
      const env = { RAMPART_AUTH_REDIS_URL: redisUrl! };
      const a = await startAuth(url, { env });
      const b = await startAuth(url, { env });
      const { token } = await feedReader(a);
      const waiting = b.app.inject({
        url: '/revocations?since=0',
        headers: { authorization: `Bearer ${token}` },
      });
      await new Promise((r) => setTimeout(r, 200));
      await a.app.authContext.revokeSessionTokens('s-42');
      const { events } = (await waiting).json();
      expect(events).toEqual([expect.objectContaining({ type: 'session', sid: 's-42' })]);
    },
  );

  it('wakes a long poll on an instance sharing only the database (table poll)', async () => {
    const url = sqlite!.url();
    const a = await startAuth(url);
    const b = await startAuth(url);
    const { token } = await feedReader(a);
    const waiting = b.app.inject({
      url: '/revocations?since=0',
      headers: { authorization: `Bearer ${token}` },
    });
    await new Promise((r) => setTimeout(r, 100));
    await a.app.authContext.revocations.record([{ kind: 'jti', value: 'x', expiresAt: Date.now() + 60_000 }]);
    expect((await waiting).json().events).toHaveLength(1);
  });
});
