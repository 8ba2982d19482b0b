import { describe, expect, it } from 'vitest';
import { clientsCommand } from './clients-command.js';
import { MASTER_KEY, basic, form, run, sqliteUrl, startAuth } from './test-support/admin-cli.js';

describe('rampart clients', () => {
  it('adds a client that gets a client-credentials token; the secret is printed once', async () => {
    const env = { RAMPART_AUTH_DATABASE_URL: sqliteUrl(), RAMPART_AUTH_MASTER_KEY: MASTER_KEY };
    const added = await run(
      clientsCommand,
      ['add', 'billing', '--type', 'confidential', '--grant', 'client_credentials'].concat([
        '--audience',
        'orders',
        '--role',
        'orders:reader',
        '--scope',
        'orders:read',
      ]),
      env,
    );
    expect(added.code).toBe(0);
    expect(added.err).toContain('store the secret now');
    const secret = /^client_id: billing\nclient_secret: (\S+)\n$/.exec(added.out)?.[1];
    expect(secret).toBeDefined();

    const auth = await startAuth(env);
    const token = await form(
      auth,
      '/oauth2/token',
      { grant_type: 'client_credentials', scope: 'orders:read', resource: 'orders' },
      basic('billing', secret!),
    );
    expect(token.statusCode).toBe(200);
    expect(token.json()).toMatchObject({ token_type: 'Bearer', scope: 'orders:read' });
    expect((await auth.audit.pending()).map((e) => e.action)).toContain('admin.client.create');

    const list = await run(clientsCommand, ['list', '--json'], env);
    const clients = JSON.parse(list.out) as Record<string, unknown>[];
    expect(clients).toEqual([expect.objectContaining({ clientId: 'billing', roles: ['orders:reader'] })]);
    expect(list.out).not.toContain(secret!);
    expect(list.out).not.toContain('secretHash');
    expect((await run(clientsCommand, ['list'], env)).out).toMatch(
      /^CLIENT_ID\s+TYPE\s+GRANTS\s+SCOPES\s+AUDIENCES\s+REDIRECT_URIS\nbilling\s+confidential\s+client_credentials\s+orders:read\s+orders\s+-\n$/,
    );

    const again = await run(
      clientsCommand,
      ['add', 'billing', '--type', 'public', '--grant', 'refresh_token'],
      env,
    );
    expect(again).toMatchObject({ code: 65, err: 'rampart clients: client "billing" already exists\n' });
  });

  it('adds a public client without a secret, and refuses what the server would refuse', async () => {
    const env = { RAMPART_AUTH_DATABASE_URL: sqliteUrl() };
    const spa = await run(
      clientsCommand,
      ['add', 'spa', '--type', 'public', '--grant', 'authorization_code', '--first-party'].concat([
        '--redirect-uri',
        'https://app.test/cb',
      ]),
      env,
    );
    expect(spa).toMatchObject({ code: 0, out: 'client_id: spa\n', err: '' });
    const noUri = await run(
      clientsCommand,
      ['add', 'x', '--type', 'public', '--grant', 'authorization_code'],
      env,
    );
    expect(noUri).toMatchObject({ code: 65 });
    expect(noUri.err).toContain('authorization_code needs at least one redirect URI');
    expect((await run(clientsCommand, ['add', 'x', '--grant', 'refresh_token'], env)).code).toBe(64);
    expect(
      (await run(clientsCommand, ['add', 'x', '--type', 'public', '--grant', 'password'], env)).err,
    ).toContain("unknown grant 'password'");
  });
});
