/**
 * The chassis' verifier and revocation deny-list, configured from the gateway's own keys
 * (`issuer`, `audience`, `clientId`, `clientSecret`, …): the gateway is not a chassis resource
 * server (its routes are not chassis routes), but it verifies tokens exactly as services do.
 */
import type { FastifyInstance } from 'fastify';
import {
  createClientCredentialsSource,
  createDenyList,
  createTokenVerifier,
  type ClientCredentialsSource,
  type DenyList,
  type HealthRegistry,
  type TokenVerifier,
} from '@rampart/chassis';
import type { GatewayConfig } from '../config.js';

export interface EdgeSecurity {
  verifier: TokenVerifier;
  denyList: DenyList | undefined;
  tokens: ClientCredentialsSource | undefined;
}

export function createEdgeSecurity(
  app: FastifyInstance & { health: HealthRegistry },
  config: GatewayConfig,
): EdgeSecurity {
  const tokens = config.clientSecret
    ? createClientCredentialsSource({
        ...(config.tokenEndpoint ? { tokenEndpoint: config.tokenEndpoint } : { issuer: config.issuer }),
        clientId: config.clientId,
        clientSecret: config.clientSecret,
      })
    : undefined;
  let failures = 0;
  const denyList =
    tokens && config.revocationFeed
      ? createDenyList({
          issuer: config.issuer,
          ...(config.revocationFeedUrl ? { feedUrl: config.revocationFeedUrl } : {}),
          tokenSource: tokens,
          onError: (error) => {
            if (failures++ === 0) app.log.warn({ err: error }, 'revocation feed unreachable; reconnecting');
          },
        })
      : undefined;
  const verifier = createTokenVerifier({
    issuer: config.issuer,
    audience: config.audience,
    ...(config.jwksUri ? { jwksUri: config.jwksUri } : {}),
    clockToleranceSec: config.clockToleranceSec,
    ...(denyList ? { isRevoked: (principal) => denyList.isRevoked(principal) } : {}),
    onError: (error) => app.log.warn({ err: error }, 'fetching the issuer signing keys failed'),
  });
  if (denyList) {
    const check = denyList.healthCheck();
    app.health.register({
      ...check,
      check: () => {
        if (denyList.connected) failures = 0;
        return check.check();
      },
    });
    app.addHook('onListen', async () => denyList.start());
    app.addHook('onClose', async () => denyList.stop());
  } else {
    app.log.warn(
      `revocation feed disabled: ${config.clientSecret ? 'revocationFeed is off' : 'no clientSecret is configured'}; revoked tokens pass until they expire`,
    );
  }
  return { verifier, denyList, tokens };
}
