// The baseline for issue 3: panva's oidc-provider 9 issuing the same client-credentials token —
// in-memory adapter (its default), client `bench` with client_secret_basic (BENCH_CLIENT_SECRET),
// ES256-signed JWT access tokens through a default resource (RFC 8707), token endpoint at
// /oauth2/token like Rampart's.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

const secret = process.env.BENCH_CLIENT_SECRET;
if (!secret) throw new Error('BENCH_CLIENT_SECRET is required');

const { privateKey } = await generateKeyPair('ES256', { extractable: true });
const signingKey = { ...(await exportJWK(privateKey)), kid: 'bench-1', alg: 'ES256', use: 'sig' };

const server = http.createServer();
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [
    {
      client_id: 'bench',
      client_secret: secret,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: 'bench',
    },
  ],
  jwks: { keys: [signingKey] },
  // Its only key is an EC one, so ES256 everywhere (RS256 is the default).
  clientDefaults: { id_token_signed_response_alg: 'ES256' },
  routes: { token: '/oauth2/token' },
  scopes: ['openid', 'offline_access', 'bench'],
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => 'urn:rampart:bench',
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: 'bench',
        audience: 'rampart',
        accessTokenTTL: 300,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'ES256' } },
      }),
    },
  },
});
// Errors are answered to the client; logging them per request would measure the console.
provider.on('server_error', (_ctx, error) => console.error(error));
server.on('request', provider.callback());
server.keepAliveTimeout = 60_000;

console.log(JSON.stringify({ benchListening: port }));
process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
