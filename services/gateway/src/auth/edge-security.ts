/**
 * The chassis' verifier and revocation deny-list, configured from the gateway's own keys
 * (`issuer`, `audience`, `clientId`, `clientSecret`, …): the gateway is not a chassis resource
 * server (its routes are not chassis routes), but it verifies tokens exactly as services do.
 */
import type { FastifyInstance } from 'fastify';
import {
  createTokenVerification,
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
  return createTokenVerification(app, config);
}
