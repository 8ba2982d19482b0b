/**
 * Everything that verifies bearer tokens for one process, built from the `security.*`-style keys:
 * the process's own client-credentials source, the revocation deny-list (started when the server
 * listens, stopped on close, in readiness as `revocation-feed:lag`) and the verifier that consults
 * it. Chassis services (`enableSecurity`) and the gateway (edge authentication) both use it, so
 * tokens are verified the same way everywhere.
 */
import type { FastifyInstance } from 'fastify';
import type { HealthRegistry } from '../health/health-registry.js';
import { createClientCredentialsSource, type ClientCredentialsSource } from '../client/client-credentials.js';
import { createDenyList, type DenyList } from './deny-list.js';
import type { FetchLike } from './fetch-json.js';
import { createTokenVerifier, type TokenVerifier } from './verify-token.js';

export interface TokenVerificationConfig {
  issuer: string;
  audience: string;
  jwksUri?: string | undefined;
  clockToleranceSec: number;
  clientId: string;
  clientSecret?: string | undefined;
  tokenEndpoint?: string | undefined;
  revocationFeed: boolean;
  revocationFeedUrl?: string | undefined;
}

export interface TokenVerification {
  verifier: TokenVerifier;
  /** Undefined when the feed is off or no client secret is configured. */
  denyList: DenyList | undefined;
  /** The process's own client-credentials token source, when a client secret is configured. */
  tokens: ClientCredentialsSource | undefined;
}

/**
 * @param keyPrefix how the keys are named in this process's configuration (for the warning).
 */
export function createTokenVerification(
  app: FastifyInstance & { health: HealthRegistry },
  config: TokenVerificationConfig,
  options: { fetch?: FetchLike; keyPrefix?: string } = {},
): TokenVerification {
  const prefix = options.keyPrefix ?? '';
  let feedFailures = 0;
  const tokens = config.clientSecret
    ? createClientCredentialsSource({
        ...(config.tokenEndpoint ? { tokenEndpoint: config.tokenEndpoint } : { issuer: config.issuer }),
        clientId: config.clientId,
        clientSecret: config.clientSecret,
      })
    : undefined;
  const denyList =
    tokens && config.revocationFeed
      ? createDenyList({
          issuer: config.issuer,
          ...(config.revocationFeedUrl ? { feedUrl: config.revocationFeedUrl } : {}),
          tokenSource: tokens,
          ...(options.fetch ? { fetch: options.fetch } : {}),
          onError: (error) => {
            // One warning per outage, not one per reconnect attempt.
            if (feedFailures++ === 0)
              app.log.warn({ err: error }, 'revocation feed unreachable; reconnecting');
            else app.log.debug({ err: error }, 'revocation feed still unreachable');
          },
        })
      : undefined;
  const verifier = createTokenVerifier({
    issuer: config.issuer,
    audience: config.audience,
    ...(config.jwksUri ? { jwksUri: config.jwksUri } : {}),
    clockToleranceSec: config.clockToleranceSec,
    ...(denyList ? { isRevoked: (principal) => denyList.isRevoked(principal) } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    onError: (error) => app.log.warn({ err: error }, 'fetching the issuer signing keys failed'),
  });

  if (denyList) {
    const check = denyList.healthCheck();
    app.health.register({
      ...check,
      check: () => {
        if (denyList.connected) feedFailures = 0;
        return check.check();
      },
    });
    app.addHook('onListen', async () => denyList.start());
    app.addHook('onClose', async () => denyList.stop());
  } else {
    const why = config.revocationFeed
      ? `no ${prefix}clientSecret is configured`
      : `${prefix}revocationFeed is off`;
    app.log.warn(`revocation feed disabled: ${why}; revoked tokens stay valid until they expire`);
    app.health.register({
      component: 'revocation-feed',
      measurement: 'lag',
      componentType: 'component',
      critical: false,
      check: () => ({ status: 'warn', output: `disabled: ${why}` }),
    });
  }
  return { verifier, denyList, tokens };
}
