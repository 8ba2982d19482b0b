import { describe, expect, it } from 'vitest';
import { databaseBackends } from '../../../../test/support/database-backends.js';
import { verifyPassword } from '../../../../services/auth/src/users/index.js';
import { clientsCommand } from './clients-command.js';
import { MASTER_KEY, basic, form, pkce, run, sqliteUrl, startAuth } from './test-support/admin-cli.js';
import { usersCommand } from './users-command.js';

const backends = databaseBackends('cli_users');

const REDIRECT = 'https://app.test/callback';

describe.each(backends)('rampart users on $name', (backend) => {
  const setup = () => {
    const env = { RAMPART_AUTH_DATABASE_URL: backend.url(), RAMPART_AUTH_MASTER_KEY: MASTER_KEY };
    return { env, users: (args: string[], stdin?: string) => run(usersCommand, args, env, stdin) };
  };

  it.skipIf(backend.skip)('adds a user who can then sign in at the auth server', async () => {
    const { env, users } = setup();
    const added = await users(
      ['add', 'alice', '--role', 'admin', '--role', 'auditor', '--name', 'Alice', '--password-stdin'],
      'correct horse battery\nignored second line\n',
    );
    expect(added).toMatchObject({ code: 0, err: '' });
    expect(added.out).toMatch(/^added user alice \(id \S+, roles: admin, auditor\)\n$/);

    const auth = await startAuth(env);
    const signIn = await verifyPassword(auth.db, 'alice', 'correct horse battery');
    expect(signIn).toMatchObject({ ok: true, user: { username: 'alice', roles: ['admin', 'auditor'] } });
    expect((await auth.audit.pending()).map((e) => e.action)).toContain('admin.user.create');

    // RAMPART_USER_PASSWORD instead of stdin; a taken name is bad input (65).
    const bob = await run(usersCommand, ['add', 'bob'], { ...env, RAMPART_USER_PASSWORD: 'bobs password' });
    expect(bob.code).toBe(0);
    expect((await verifyPassword(auth.db, 'bob', 'bobs password')).ok).toBe(true);
    const taken = await users(['add', 'Alice', '--password-stdin'], 'another password\n');
    expect(taken).toMatchObject({ code: 65, out: '' });
    expect(taken.err).toBe('rampart users: username "Alice" is taken\n');

    const roles = await users(['roles', 'bob', 'orders:viewer', 'support']);
    expect(roles).toMatchObject({ code: 0, out: 'bob: roles orders:viewer, support\n' });
    const list = await users(['list', '--json']);
    expect(JSON.parse(list.out)).toEqual([
      expect.objectContaining({ username: 'alice', roles: ['admin', 'auditor'], disabled: false }),
      expect.objectContaining({ username: 'bob', roles: ['orders:viewer', 'support'], disabled: false }),
    ]);
    expect((await users(['list'])).out).toMatch(
      /^USERNAME\s+ROLES\s+STATUS\s+NAME\s+EMAIL\nalice\s+admin,auditor\s+active\s+Alice/,
    );
  });

  it.skipIf(backend.skip)(
    'disables a user: its refresh token stops working and the feed names it',
    async () => {
      const { env, users } = setup();
      expect((await users(['add', 'carol', '--password-stdin'], 'carols password\n')).code).toBe(0);
      const client = await run(
        clientsCommand,
        [
          'add',
          'web',
          '--type',
          'confidential',
          '--grant',
          'authorization_code',
          '--grant',
          'refresh_token',
        ].concat(['--redirect-uri', REDIRECT, '--scope', 'openid']),
        env,
      );
      expect(client.code).toBe(0);
      const secret = /client_secret: (\S+)/.exec(client.out)?.[1] ?? '';
      const authorization = basic('web', secret);

      const auth = await startAuth(env);
      const carol = await verifyPassword(auth.db, 'carol', 'carols password');
      if (!carol.ok) throw new Error('carol cannot sign in');
      const { verifier, challenge } = pkce();
      const code = await auth.authContext.createAuthorizationCode({
        clientId: 'web',
        userId: carol.user.id,
        redirectUri: REDIRECT,
        codeChallenge: challenge,
        codeChallengeMethod: 'S256',
        scope: 'openid',
        authTime: Math.floor(Date.now() / 1000) - 5,
        sessionId: 'session-1',
      });
      const tokens = await form(
        auth,
        '/oauth2/token',
        { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier },
        authorization,
      );
      expect(tokens.statusCode).toBe(200);
      const { refresh_token: refreshToken } = tokens.json<{ refresh_token: string }>();

      const disabled = await users(['disable', 'carol']);
      expect(disabled).toMatchObject({
        code: 0,
        out: 'disabled user carol; revoked 1 refresh-token family\n',
      });

      const refreshed = await form(
        auth,
        '/oauth2/token',
        { grant_type: 'refresh_token', refresh_token: refreshToken },
        authorization,
      );
      expect(refreshed.statusCode).toBe(400);
      expect(refreshed.json()).toMatchObject({ error: 'invalid_grant' });
      expect((await verifyPassword(auth.db, 'carol', 'carols password')).ok).toBe(false);

      const feed = await auth.inject({ url: '/revocations?since=0', headers: { authorization } });
      expect(feed.statusCode).toBe(200);
      expect(JSON.stringify(feed.json())).toContain(`"type":"user","sub":"${carol.user.id}"`);
      const actions = (await auth.audit.pending()).map((e) => e.action);
      expect(actions).toContain('admin.user.disable');

      const unknown = await users(['disable', 'nobody']);
      expect(unknown).toMatchObject({ code: 65, err: 'rampart users: no user "nobody"\n' });
    },
  );
});

describe('rampart users, command line', () => {
  const env = () => ({ RAMPART_AUTH_DATABASE_URL: sqliteUrl() });

  it('never takes a password from a flag, and asks for one', async () => {
    const missing = await run(usersCommand, ['add', 'dave'], env());
    expect(missing.code).toBe(64);
    expect(missing.err).toContain('missing password: use --password-stdin or set RAMPART_USER_PASSWORD');
    expect((await run(usersCommand, ['add', 'dave', '--password', 'x'], env())).code).toBe(64);
    const empty = await run(usersCommand, ['add', 'dave', '--password-stdin'], env(), '');
    expect(empty).toMatchObject({ code: 65, err: 'rampart users: no password on stdin\n' });
  });

  it('refuses bad input with 65 and bad configuration with 78', async () => {
    const short = await run(usersCommand, ['add', 'erin', '--password-stdin'], env(), 'short\n');
    expect(short.code).toBe(65);
    expect(short.err).toContain('invalid password');
    const config = await run(usersCommand, ['list'], { RAMPART_AUTH_ACCESS_TOKEN_TTL_SECONDS: 'x' });
    expect(config.code).toBe(78);
    expect(config.err).toContain('accessTokenTtlSeconds');
  });

  it('reports an unreachable database with 69', async () => {
    const down = await run(usersCommand, ['list'], {
      RAMPART_AUTH_DATABASE_URL: 'postgres://nobody:secret@127.0.0.1:1/none',
    });
    expect(down.code).toBe(69);
    expect(down.err).toMatch(/^rampart users: auth: database unavailable/);
    expect(down.err).not.toContain('secret');
  });

  it('prints its usage with --help', async () => {
    const help = await run(usersCommand, ['--help'], {});
    expect(help.code).toBe(0);
    expect(help.out).toContain('rampart users add <username>');
  });
});
