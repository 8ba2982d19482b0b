import { describe, expect, it } from 'vitest';
import { backends } from '../test-support/backends.js';
import { client, startPeopleAuth, user, type PeopleAuth } from '../test-support/harness.js';
import { verifyPassword } from '../../users/index.js';

async function serviceToken(auth: PeopleAuth, clientId: string, roles: string[]): Promise<string> {
  const { secret } = await client(auth, {
    clientId,
    grantTypes: ['client_credentials'],
    redirectUris: [],
    roles,
  });
  const res = await auth.app.inject({
    method: 'POST',
    url: '/oauth2/token',
    payload: 'grant_type=client_credentials',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
    },
  });
  expect(res.statusCode).toBe(200);
  return res.json<{ access_token: string }>().access_token;
}

describe.each(backends('admin'))('the admin API on $name', ({ skip, url }) => {
  it.skipIf(skip)(
    'refuses no token (401), a bad token (401) and a non-admin (403) as problem+json',
    async () => {
      const auth = await startPeopleAuth(url());
      const customer = await serviceToken(auth, 'shop', ['customer']);
      for (const [authorization, status, challenge] of [
        [undefined, 401, 'Bearer realm="http://auth.test"'],
        ['Bearer not.a.token', 401, 'Bearer realm="http://auth.test", error="invalid_token"'],
        ['Basic abc', 400, 'Bearer realm="http://auth.test", error="invalid_request"'],
        [`Bearer ${customer}`, 403, 'Bearer realm="http://auth.test", error="insufficient_scope"'],
      ] as const) {
        for (const [method, path] of [
          ['GET', '/admin/users'],
          ['POST', '/admin/users'],
          ['GET', '/admin/clients'],
          ['POST', '/admin/clients'],
          ['POST', '/admin/users/x/disable'],
          ['PUT', '/admin/users/x/roles'],
        ] as const) {
          const res = await auth.app.inject({
            method,
            url: path,
            headers: authorization ? { authorization } : {},
            ...(method === 'GET'
              ? {}
              : { payload: { username: 'mallory', password: 'password-123', roles: ['admin'] } }),
          });
          expect(res.statusCode, `${method} ${path}`).toBe(status);
          expect(res.headers['content-type']).toBe('application/problem+json');
          expect(res.headers['www-authenticate']).toBe(challenge);
        }
      }
      expect(await verifyPassword(auth.app.authContext.db, 'mallory', 'password-123')).toMatchObject({
        ok: false,
      });
      expect(auth.audits().filter((a) => a.action === 'admin.access' && a.outcome === 'denied').length).toBe(
        24,
      );
    },
  );

  it.skipIf(skip)('lets an admin list, create, set roles of and disable users, audited', async () => {
    const auth = await startPeopleAuth(url());
    const admin = await serviceToken(auth, 'ops', ['admin']);
    const headers = { authorization: `Bearer ${admin}` };
    await user(auth, { username: 'alice', roles: ['customer'] });
    const created = await auth.app.inject({
      method: 'POST',
      url: '/admin/users',
      headers,
      payload: {
        username: 'carol',
        password: 'carol-password',
        roles: ['customer'],
        email: 'carol@example.com',
      },
    });
    expect(created.statusCode).toBe(201);
    const carol = created.json<{ id: string; password_hash?: string }>();
    expect(carol).toMatchObject({ username: 'carol', roles: ['customer'], disabled: false });
    expect(JSON.stringify(carol)).not.toMatch(/argon|password/);
    const duplicate = await auth.app.inject({
      method: 'POST',
      url: '/admin/users',
      headers,
      payload: { username: 'CAROL', password: 'carol-password' },
    });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json()).toMatchObject({ code: 'AUTH_ERR_USERNAME_TAKEN' });
    const weak = await auth.app.inject({
      method: 'POST',
      url: '/admin/users',
      headers,
      payload: { username: 'dan', password: 'short' },
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.headers['content-type']).toBe('application/problem+json');
    const roles = await auth.app.inject({
      method: 'PUT',
      url: `/admin/users/${carol.id}/roles`,
      headers,
      payload: { roles: ['support', 'customer'] },
    });
    expect(roles.json()).toMatchObject({ roles: ['customer', 'support'] });
    const missing = await auth.app.inject({ method: 'POST', url: '/admin/users/nobody/disable', headers });
    expect(missing.statusCode).toBe(404);
    const disabled = await auth.app.inject({
      method: 'POST',
      url: `/admin/users/${carol.id}/disable`,
      headers,
    });
    expect(disabled.json()).toMatchObject({ disabled: true });
    const list = await auth.app.inject({ url: '/admin/users', headers });
    expect(list.json<{ users: { username: string }[] }>().users.map((u) => u.username)).toEqual([
      'alice',
      'carol',
    ]);
    const actions = auth.audits().filter((a) => a.action.startsWith('admin.user.'));
    expect(actions.map((a) => a.action)).toEqual([
      'admin.user.create',
      'admin.user.roles',
      'admin.user.disable',
    ]);
  });

  it.skipIf(skip)('lets an admin register a client and returns its secret once', async () => {
    const auth = await startPeopleAuth(url());
    const headers = { authorization: `Bearer ${await serviceToken(auth, 'ops', ['admin'])}` };
    const res = await auth.app.inject({
      method: 'POST',
      url: '/admin/clients',
      headers,
      payload: {
        clientId: 'reports',
        type: 'confidential',
        grantTypes: ['client_credentials'],
        roles: ['reporter'],
      },
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json<{ client: Record<string, unknown>; client_secret: string }>();
    expect(body.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.client).toMatchObject({ clientId: 'reports', roles: ['reporter'] });
    expect(body.client.secretHash).toBeUndefined();
    const list = await auth.app.inject({ url: '/admin/clients', headers });
    expect(list.body).not.toContain(body.client_secret);
    expect(list.json<{ clients: { clientId: string }[] }>().clients.map((c) => c.clientId)).toContain(
      'reports',
    );
    const again = await auth.app.inject({
      method: 'POST',
      url: '/admin/clients',
      headers,
      payload: { clientId: 'reports', type: 'confidential', grantTypes: ['client_credentials'] },
    });
    expect(again.statusCode).toBe(409);
    const invalid = await auth.app.inject({
      method: 'POST',
      url: '/admin/clients',
      headers,
      payload: { type: 'public', grantTypes: ['client_credentials'] },
    });
    expect(invalid.statusCode).toBe(400);
    expect(auth.audits().filter((a) => a.action === 'admin.client.create')).toHaveLength(1);
  });
});
