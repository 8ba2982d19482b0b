import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { backends, startAuth } from '../test-support/harness.js';
import { createClient } from './create-client.js';
import { findClient, isRegisteredRedirectUri, listClients } from './find-client.js';

for (const backend of backends('clients')) {
  describe.skipIf(backend.skip)(`client registry on ${backend.name}`, () => {
    it('generates a high-entropy secret, returns it once and stores only its SHA-256', async () => {
      const { app } = await startAuth(backend.url());
      const db = app.authContext.db;
      const { client, secret } = await createClient(db, {
        clientId: 'svc',
        type: 'confidential',
        grantTypes: ['client_credentials'],
        scopes: ['a'],
        roles: ['service'],
      });
      expect(Buffer.from(secret!, 'base64url').length).toBe(32);
      expect(client.tokenEndpointAuthMethod).toBe('client_secret_basic');
      const row = await db.selectFrom('clients').selectAll().executeTakeFirstOrThrow();
      expect(row.secret_hash).toBe(createHash('sha256').update(secret!).digest('base64url'));
      expect(JSON.stringify(row)).not.toContain(secret!);
      expect(await findClient(db, 'svc')).toMatchObject({
        clientId: 'svc',
        scopes: ['a'],
        roles: ['service'],
        firstParty: false,
      });
      expect((await listClients(db)).map((c) => c.clientId)).toEqual(['svc']);
      expect(await findClient(db, 'nope')).toBeUndefined();
    });

    it('matches redirect URIs exactly', async () => {
      const { app } = await startAuth(backend.url());
      const { client } = await createClient(app.authContext.db, {
        clientId: 'spa',
        type: 'public',
        grantTypes: ['authorization_code'],
        redirectUris: ['https://app.test/cb'],
      });
      expect(client.tokenEndpointAuthMethod).toBe('none');
      expect(isRegisteredRedirectUri(client, 'https://app.test/cb')).toBe(true);
      for (const variant of [
        'https://app.test/cb/',
        'https://app.test/cb?x=1',
        'https://APP.test/cb',
        'https://app.test/cb/../cb',
        'https://evil@app.test/cb',
      ]) {
        expect(isRegisteredRedirectUri(client, variant)).toBe(false);
      }
    });
  });
}

describe('client validation', () => {
  it.each([
    [{ type: 'public', grantTypes: ['client_credentials'] }, /public client/],
    [
      {
        type: 'public',
        grantTypes: ['authorization_code'],
        redirectUris: ['https://a.test/cb'],
        tokenEndpointAuthMethod: 'client_secret_basic',
      },
      /none/,
    ],
    [{ type: 'confidential', grantTypes: ['authorization_code'] }, /redirect URI/],
    [
      { type: 'confidential', grantTypes: ['authorization_code'], redirectUris: ['https://a.test/cb#x'] },
      /fragment/,
    ],
    [{ type: 'confidential', grantTypes: ['password'] }, /grant type/],
    [
      {
        type: 'confidential',
        grantTypes: ['client_credentials'],
        tokenEndpointAuthMethod: 'private_key_jwt',
      },
      /jwks/,
    ],
    [{ type: 'confidential', grantTypes: ['client_credentials'], clientId: 'bad id' }, /clientId/],
  ])('refuses %j', async (input, message) => {
    await expect(createClient(undefined as never, input as never)).rejects.toThrow(message);
  });
});
