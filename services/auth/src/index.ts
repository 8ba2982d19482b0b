/** `@rampart/auth`: the authorization server, and the functions the `rampart` CLI drives. */
export { buildAuth, AUTH_VERSION, type AuthService, type BuildAuthOptions } from './app.js';
export { authConfigSchema, type AuthConfig } from './config.js';
export type { AuthContext } from './context.js';
export { authMigrations } from './migrations/index.js';
export {
  createClient,
  findClient,
  listClients,
  publicView,
  InvalidClientInput,
  type Client,
  type CreateClientInput,
} from './clients/index.js';
export {
  rotateKeys,
  loadMasterKey,
  parseMasterKey,
  type MasterKey,
  type RotateKeysOptions,
  type SigningAlg,
} from './keys/index.js';
export { createAuthorizationCode, type AuthorizationCodeInput } from './tokens/authorization-code.js';
export { purgeExpired } from './housekeeping.js';
export type { RevocationEvent, RevocationKind } from './tokens/revocation-feed.js';
export * from './admin-cli/index.js';
