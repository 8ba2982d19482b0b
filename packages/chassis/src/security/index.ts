/** Resource-server security: token verification, the revocation deny-list, route authorization. */
export { createTokenVerifier, type TokenVerifier, type TokenVerifierOptions } from './verify-token.js';
export { TokenError, type TokenErrorCode, type TokenErrorReason } from './token-error.js';
export { principalFromClaims, type Principal } from './principal.js';
export {
  createDenyList,
  type DenyList,
  type DenyListOptions,
  type RevocationEvent,
  type RevocationType,
  type TokenSourceLike,
} from './deny-list.js';
export {
  evaluatePolicy,
  permissionsOf,
  type RoutePolicy,
  type PermissionMap,
  type Denial,
  type DenialCode,
} from './policy.js';
export { registerSecurity, type SecurityOptions, type SecurityDecoration } from './register-security.js';
export { bearerChallenge, bearerToken, canonicalBearerCandidate } from './www-authenticate.js';
export { enableSecurity, type EnableSecurityOptions, type ServiceSecurity } from './enable-security.js';
export { securityConfigSchema, withSecurityConfig, type SecurityConfig } from './security-config.js';
export {
  createTokenVerification,
  type TokenVerification,
  type TokenVerificationConfig,
} from './token-verification.js';
