/**
 * `AuthContext`: what the auth service's parts share — built once by `buildAuth`, handed to the
 * token endpoints and to `registerPeopleRoutes` (login, consent, /userinfo, /logout, admin API).
 *
 *   config                 the validated, frozen configuration (issuer, lifetimes, …)
 *   db                     Kysely over the service's database (the people side casts it to add its tables)
 *   keys                   the signing keys: `await keys.signer.signJwt(...)`, `keys.jwks`
 *   shared                 shared state across instances (replay caches, pub/sub)
 *   revocations            the revocation feed (store + publish)
 *   audit                  the one audit function: `audit(request, 'login.success', { outcome, resource })`
 *   users                  the user store slot; the people side sets it: `context.users = store`
 *   findClient             client look-up, cached for `clientCacheSeconds` (exact redirect-URI match
 *                          via `isRegisteredRedirectUri`)
 *   createAuthorizationCode  after a login: returns the code to put in the redirect
 *   revokeSessionTokens    logout: revokes every refresh family issued under the login session
 *   revokeUserTokens       user disabled / password reset: revokes every family of the user
 *   verifyAccessToken      verifies one of our access tokens (signature, iss, exp, typ, not revoked)
 */
import { createLocalJWKSet, jwtVerify, type JWK, type JWTVerifyGetKey } from 'jose';
import type { Kysely } from 'kysely';
import type { ServiceConfig } from '@rampart/chassis';
import type { SharedState } from '@rampart/store';
import type { AuditFn } from './audit.js';
import type { Client } from './clients/client.js';
import { cachedLookup } from './clients/client-cache.js';
import { findClient } from './clients/find-client.js';
import type { authConfigSchema } from './config.js';
import type { TokenTables } from './db/tables.js';
import type { KeyManager } from './keys/key-manager.js';
import type { MasterKey } from './keys/master-key.js';
import type { AccessTokenClaims } from './tokens/access-token.js';
import { createAuthorizationCode, type AuthorizationCodeInput } from './tokens/authorization-code.js';
import { revokeFamilies } from './tokens/families.js';
import { maxSignedTokenLifetimeMs } from './tokens/lifetimes.js';
import type { RevocationFeed } from './tokens/revocation-feed.js';
import type { UserStore } from './users/user-store.js';

export type AuthServiceConfig = ServiceConfig<typeof authConfigSchema>;

export interface AuthContext {
  readonly config: AuthServiceConfig;
  readonly db: Kysely<TokenTables>;
  readonly keys: KeyManager;
  readonly shared: SharedState;
  readonly revocations: RevocationFeed;
  readonly audit: AuditFn;
  /** Encrypts secrets at rest (signing keys, grace-window token responses). */
  readonly masterKey: MasterKey;
  /** Set by the people side; until then nobody is found. */
  users: UserStore;
  findClient(clientId: string): Promise<Client | undefined>;
  createAuthorizationCode(input: AuthorizationCodeInput): Promise<string>;
  /** Revokes the refresh families (and their access tokens) of a login session. Returns family ids. */
  revokeSessionTokens(sessionId: string, reason?: string): Promise<string[]>;
  /** Revokes every family of a user; with `disabled`, also publishes the user on the feed. */
  revokeUserTokens(userId: string, options?: { reason?: string; disabled?: boolean }): Promise<string[]>;
  /** Our own access token, verified and not revoked; undefined otherwise. */
  verifyAccessToken(token: string): Promise<AccessTokenClaims | undefined>;
  /** The longest lifetime of an access token any client can get (ms). */
  maxAccessTokenLifetimeMs(): Promise<number>;
}

export interface ContextParts {
  config: AuthServiceConfig;
  db: Kysely<TokenTables>;
  keys: KeyManager;
  shared: SharedState;
  revocations: RevocationFeed;
  audit: AuditFn;
  masterKey: MasterKey;
}

const nobody: UserStore = { findById: async () => undefined };

export function createContext(parts: ContextParts): AuthContext {
  const { config, db, keys, revocations } = parts;
  let verifier: { jwks: { keys: JWK[] }; get: JWTVerifyGetKey } | undefined;
  const getKey = (): JWTVerifyGetKey => {
    if (verifier?.jwks !== keys.jwks) verifier = { jwks: keys.jwks, get: createLocalJWKSet(keys.jwks) };
    return verifier.get;
  };

  const maxAccessTokenLifetimeMs = () => maxSignedTokenLifetimeMs(db, config);

  const context: AuthContext = {
    ...parts,
    users: nobody,
    findClient: cachedLookup((clientId) => findClient(db, clientId), config.clientCacheSeconds * 1000),
    createAuthorizationCode: (input) => createAuthorizationCode(db, input),
    revokeSessionTokens: async (sessionId, reason = 'logout') => {
      const ids = await revokeFamilies(db, revocations, { sessionId }, reason);
      await revocations.record([
        { kind: 'session', value: sessionId, expiresAt: Date.now() + (await maxAccessTokenLifetimeMs()) },
      ]);
      return ids;
    },
    revokeUserTokens: async (userId, options = {}) => {
      const ids = await revokeFamilies(db, revocations, { userId }, options.reason ?? 'user revoked');
      if (options.disabled) {
        await revocations.record([
          { kind: 'user', value: userId, expiresAt: Date.now() + (await maxAccessTokenLifetimeMs()) },
        ]);
      }
      return ids;
    },
    verifyAccessToken: async (token) => {
      try {
        const { payload } = await jwtVerify(token, getKey(), {
          issuer: config.issuer,
          typ: 'at+jwt',
          algorithms: [config.signingAlg, 'ES256', 'EdDSA', 'RS256'],
          requiredClaims: ['exp', 'iat', 'jti', 'sub', 'client_id'],
        });
        const claims = payload as unknown as AccessTokenClaims;
        if (await revocations.isRevoked('jti', claims.jti)) return undefined;
        // Whole-second iat: a revocation in the same second as the token counts against it.
        const issuedAt = claims.iat * 1000;
        if (claims.sid && (await revocations.isRevoked('session', claims.sid, issuedAt))) return undefined;
        if (claims.sub !== claims.client_id && (await revocations.isRevoked('user', claims.sub, issuedAt))) {
          return undefined;
        }
        return claims;
      } catch {
        return undefined;
      }
    },
    maxAccessTokenLifetimeMs,
  };
  return context;
}
