// Rampart's authorization server as `rampart up` runs it (SQLite in its data directory, or
// DATABASE_URL), with the benchmark's confidential client `bench` (client_credentials,
// BENCH_CLIENT_SECRET). With BENCH_REFRESH_TOKENS=n it also issues n refresh tokens — through
// the real authorization-code exchange, for a user and a client `bench-rt` — and prints them on
// the listening line, for the refresh-rotation load.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { buildAuth, createClient, type AuthService } from '@rampart/auth';

const secret = process.env.BENCH_CLIENT_SECRET;
if (!secret) throw new Error('BENCH_CLIENT_SECRET is required');
const refreshTokens = Number(process.env.BENCH_REFRESH_TOKENS ?? '0');

const app = await buildAuth({ argv: [] });
await createClient(app.db, {
  clientId: 'bench',
  type: 'confidential',
  grantTypes: ['client_credentials'],
  scopes: ['bench'],
  secret,
});
const issued = refreshTokens > 0 ? await issueRefreshTokens(app, refreshTokens) : [];
// The chassis installs its own SIGTERM handler (graceful drain, then exit).
const { port } = await app.start();
console.log(JSON.stringify({ benchListening: port, refreshTokens: issued }));

// RFC 6749 §2.3.1: id and secret form-encoded, then Basic.
function basic(id: string, password: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(password)}`).toString('base64')}`;
}

/** n refresh-token families of the bootstrap admin (RAMPART_AUTH_BOOTSTRAP_ADMIN must be on). */
async function issueRefreshTokens(auth: AuthService, n: number): Promise<string[]> {
  const user = await (auth.db as Kysely<{ users: { id: string; username: string } }>)
    .selectFrom('users')
    .select('id')
    .where('username', '=', 'admin')
    .executeTakeFirst();
  if (!user)
    throw new Error('no admin user: set RAMPART_AUTH_BOOTSTRAP_ADMIN=true with BENCH_REFRESH_TOKENS');
  const redirectUri = 'http://127.0.0.1/callback';
  await createClient(auth.db, {
    clientId: 'bench-rt',
    type: 'confidential',
    grantTypes: ['authorization_code', 'refresh_token'],
    redirectUris: [redirectUri],
    scopes: ['openid', 'bench'],
    secret,
  });
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const one = async () => {
    const code = await auth.authContext.createAuthorizationCode({
      clientId: 'bench-rt',
      userId: user.id,
      redirectUri,
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
      scope: 'bench',
      authTime: Math.floor(Date.now() / 1000),
    });
    const response = await auth.inject({
      method: 'POST',
      url: '/oauth2/token',
      headers: {
        authorization: basic('bench-rt', secret!),
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        code_verifier: verifier,
      }).toString(),
    });
    const body = response.json<{ refresh_token?: string }>();
    if (response.statusCode !== 200 || !body.refresh_token)
      throw new Error(`code exchange failed: ${response.statusCode} ${response.body}`);
    return body.refresh_token;
  };
  const tokens: string[] = [];
  for (let i = 0; i < n; i += 10) {
    tokens.push(...(await Promise.all(Array.from({ length: Math.min(10, n - i) }, one))));
  }
  return tokens;
}
