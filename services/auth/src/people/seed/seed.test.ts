import { readFile, stat } from 'node:fs/promises';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { backends } from '../test-support/backends.js';
import { Browser, authorizeParams, pkce, signIn, startPeopleAuth } from '../test-support/harness.js';
import { listUsers, verifyPassword } from '../../users/index.js';
import { listClients } from '../../clients/index.js';
import { DEMO_REDIRECT_URI, ensureFirstAdmin, seedDemo } from '../index.js';

describe.each(backends('seed'))('seeding on $name', ({ skip, url }) => {
  it.skipIf(skip)('seeds the demo users and clients once (idempotent)', async () => {
    const auth = await startPeopleAuth(url());
    const context = auth.app.authContext;
    const first = await seedDemo(context, { RAMPART_DEMO_PASSWORD: 'demo-pass-1' });
    expect(first).toEqual({ users: ['alice', 'bob', 'admin'], clients: ['demo-cli', 'demo-spa'] });
    expect(await seedDemo(context, {})).toEqual({ users: [], clients: [] });
    const users = await listUsers(context.db);
    expect(users.map((u) => [u.username, u.roles])).toEqual([
      ['admin', ['admin']],
      ['alice', ['customer']],
      ['bob', ['customer']],
    ]);
    expect(await verifyPassword(context.db, 'bob', 'demo-pass-1')).toMatchObject({ ok: true });
    const clients = await listClients(context.db);
    expect(clients.map((c) => [c.clientId, c.type, c.grantTypes, c.redirectUris])).toEqual([
      [
        'demo-cli',
        'confidential',
        ['client_credentials', 'authorization_code', 'refresh_token'],
        [DEMO_REDIRECT_URI],
      ],
      ['demo-spa', 'public', ['authorization_code', 'refresh_token'], [DEMO_REDIRECT_URI]],
    ]);
    // The demo SPA signs alice in with the default flow.
    const browser = new Browser(auth.app);
    const done = await signIn(
      browser,
      { ...authorizeParams('demo-spa', pkce().challenge), redirect_uri: DEMO_REDIRECT_URI },
      { username: 'alice', password: 'demo-pass-1' },
    );
    expect(done.location?.searchParams.get('code')).toBeTruthy();
    // demo-cli's default secret works at the token endpoint.
    const res = await auth.app.inject({
      method: 'POST',
      url: '/oauth2/token',
      payload: 'grant_type=client_credentials',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from('demo-cli:rampart-demo-secret').toString('base64')}`,
      },
    });
    expect(res.statusCode).toBe(200);
  });

  it.skipIf(skip)(
    'registers the platform services as client-credentials clients, and follows secret changes',
    async () => {
      const databaseUrl = url();
      const secrets = { orders: 'o'.repeat(43), accounts: 'a'.repeat(43) };
      const token = (app: typeof first.app, id: string, secret: string, resource?: string) =>
        app.inject({
          method: 'POST',
          url: '/oauth2/token',
          payload: `grant_type=client_credentials${resource ? `&resource=${resource}` : ''}`,
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
          },
        });
      const first = await startPeopleAuth(databaseUrl, {
        env: { RAMPART_AUTH_SERVICE_CLIENTS: JSON.stringify(secrets) },
      });
      const ok = await token(first.app, 'orders', secrets.orders, 'accounts');
      expect(ok.statusCode).toBe(200);
      const claims = JSON.parse(Buffer.from(ok.json().access_token.split('.')[1], 'base64url').toString());
      expect(claims).toMatchObject({ sub: 'orders', aud: 'accounts' });
      const edge = JSON.parse(
        Buffer.from(
          (await token(first.app, 'orders', secrets.orders)).json().access_token.split('.')[1],
          'base64url',
        ).toString(),
      );
      expect(edge.aud).toEqual(['rampart', 'orders', 'accounts']);
      expect((await token(first.app, 'orders', secrets.orders, 'billing')).json().error).toBe(
        'invalid_target',
      );
      await first.app.close();
      const rotated = { ...secrets, orders: 'n'.repeat(43) };
      const again = await startPeopleAuth(databaseUrl, {
        env: { RAMPART_AUTH_SERVICE_CLIENTS: JSON.stringify(rotated) },
      });
      expect((await token(again.app, 'orders', secrets.orders)).statusCode).toBe(401);
      expect((await token(again.app, 'orders', rotated.orders)).statusCode).toBe(200);
    },
  );

  it.skipIf(skip)('buildAuth creates the first admin on first start, and keeps it on restart', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'rampart-bootstrap-'));
    const databaseUrl = url();
    const env = {
      RAMPART_AUTH_BOOTSTRAP_ADMIN: 'true',
      RAMPART_AUTH_DATA_DIR: dataDir,
      RAMPART_ADMIN_PASSWORD: 'first-admin-pass',
    };
    const first = await startPeopleAuth(databaseUrl, { env });
    expect(await verifyPassword(first.app.authContext.db, 'admin', 'first-admin-pass')).toMatchObject({
      ok: true,
    });
    await first.app.close();
    const again = await startPeopleAuth(databaseUrl, {
      env: { ...env, RAMPART_ADMIN_PASSWORD: 'changed-pass-9' },
    });
    expect(await verifyPassword(again.app.authContext.db, 'admin', 'first-admin-pass')).toMatchObject({
      ok: true,
    });
  });

  it.skipIf(skip)('creates the first admin with a generated password, stored 0600, once', async () => {
    const auth = await startPeopleAuth(url());
    const dataDir = mkdtempSync(path.join(tmpdir(), 'rampart-admin-'));
    const printed: string[] = [];
    const result = await ensureFirstAdmin(auth.app.authContext, {
      env: {},
      dataDir,
      print: (l) => printed.push(l),
    });
    expect(result).toEqual({ created: true, passwordFile: path.join(dataDir, 'admin-password') });
    const password = (await readFile(result.passwordFile!, 'utf8')).trim();
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect((await stat(result.passwordFile!)).mode & 0o777).toBe(0o600);
    expect(printed).toHaveLength(1);
    expect(printed[0]).toContain(password);
    expect(await verifyPassword(auth.app.authContext.db, 'admin', password)).toMatchObject({
      ok: true,
      user: { roles: ['admin'] },
    });
    expect(
      await ensureFirstAdmin(auth.app.authContext, { env: {}, dataDir, print: (l) => printed.push(l) }),
    ).toEqual({ created: false });
    expect(printed).toHaveLength(1);
  });

  it.skipIf(skip)('takes the first admin password from RAMPART_ADMIN_PASSWORD', async () => {
    const auth = await startPeopleAuth(url());
    const dataDir = mkdtempSync(path.join(tmpdir(), 'rampart-admin-'));
    const printed: string[] = [];
    const env = { RAMPART_ADMIN_PASSWORD: 'admin-from-env' };
    expect(
      await ensureFirstAdmin(auth.app.authContext, { env, dataDir, print: (l) => printed.push(l) }),
    ).toEqual({ created: true });
    expect(printed).toEqual([]);
    expect(await verifyPassword(auth.app.authContext.db, 'admin', 'admin-from-env')).toMatchObject({
      ok: true,
    });
  });
});
