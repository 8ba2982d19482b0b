// The gateway benchmark's token issuer: OpenID discovery and a JWKS with one ES256 key, and one
// access token signed with it (RFC 9068 shape, role `bench`), printed on the listening line for
// the load generator to send on every request. It serves no revocation feed: the gateway runs
// with it off.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';

const audience = process.env.BENCH_AUDIENCE ?? 'rampart';
const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
const jwks = JSON.stringify({
  keys: [{ ...(await exportJWK(publicKey)), kid: 'bench-1', alg: 'ES256', use: 'sig' }],
});

const server = http.createServer((req, res) => {
  const send = (body: string) =>
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=600' }).end(body);
  if (req.url === '/.well-known/openid-configuration')
    return send(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks`, token_endpoint: `${issuer}/token` }));
  if (req.url === '/jwks') return send(jwks);
  res.writeHead(404).end();
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;
const issuer = `http://127.0.0.1:${port}`;

const now = Math.floor(Date.now() / 1000);
const token = await new SignJWT({
  client_id: 'bench-spa',
  scope: 'openid bench',
  roles: ['bench'],
  jti: randomUUID(),
})
  .setProtectedHeader({ alg: 'ES256', kid: 'bench-1', typ: 'at+jwt' })
  .setIssuer(issuer)
  .setAudience(audience)
  .setSubject('bench-user')
  .setIssuedAt(now)
  .setExpirationTime(now + 3600)
  .sign(privateKey);

console.log(JSON.stringify({ benchListening: port, issuer, token }));
process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
