/** The tokens a user grant answers with: access token, optional refresh token, ID token for `openid`. */
import type { Client } from '../../clients/client.js';
import type { AuthContext } from '../../context.js';
import { randomToken } from '../../lib/random.js';
import { issueAccessToken } from '../../tokens/access-token.js';
import { issueIdToken } from '../../tokens/id-token.js';
import type { UserRecord } from '../../users/user-store.js';
import type { TokenResponse } from './token-response.js';

export interface UserTokenInput {
  client: Client;
  user: UserRecord;
  scope: string[];
  audience: string[];
  authTime: number | null;
  sessionId: string | null;
  nonce: string | null;
  withRefreshToken: boolean;
}

export interface UserTokens {
  response: TokenResponse;
  jti: string;
  /** Epoch ms. */
  accessTokenExpiresAt: number;
  refreshToken: string | undefined;
}

export async function issueUserTokens(
  context: AuthContext,
  input: UserTokenInput,
  now = Date.now(),
): Promise<UserTokens> {
  const { config } = context;
  const key = context.keys.signer;
  const scope = input.scope.join(' ');
  const ttl = input.client.accessTokenTtl ?? config.accessTokenTtlSeconds;
  const access = await issueAccessToken(
    key,
    {
      issuer: config.issuer,
      sub: input.user.id,
      clientId: input.client.clientId,
      audience: input.audience,
      scope,
      roles: input.user.roles,
      ttlSeconds: ttl,
      authTime: input.authTime,
      sessionId: input.sessionId,
    },
    now,
  );
  const refreshToken = input.withRefreshToken ? randomToken() : undefined;
  const idToken = input.scope.includes('openid')
    ? await issueIdToken(
        key,
        {
          issuer: config.issuer,
          user: input.user,
          clientId: input.client.clientId,
          scope,
          nonce: input.nonce,
          authTime: input.authTime,
          accessToken: access.token,
          sessionId: input.sessionId,
          ttlSeconds: config.idTokenTtlSeconds,
        },
        now,
      )
    : undefined;
  return {
    response: {
      access_token: access.token,
      token_type: 'Bearer',
      expires_in: ttl,
      ...(scope ? { scope } : {}),
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
      ...(idToken ? { id_token: idToken } : {}),
    },
    jti: access.jti,
    accessTokenExpiresAt: access.claims.exp * 1000,
    refreshToken,
  };
}
