/**
 * The gateway as an OpenID Connect relying party (openid-client v6): discovery is lazy and
 * retried (the authorization server may start after the gateway, or be reached through it).
 */
import * as oidc from 'openid-client';

export interface RelyingParty {
  configuration(): Promise<oidc.Configuration>;
}

export function createRelyingParty(options: {
  issuer: string;
  clientId: string;
  clientSecret: string;
}): RelyingParty {
  let pending: Promise<oidc.Configuration> | undefined;
  const insecure = options.issuer.startsWith('http:');
  return {
    configuration() {
      pending ??= oidc
        .discovery(
          new URL(options.issuer),
          options.clientId,
          undefined,
          oidc.ClientSecretBasic(options.clientSecret),
          // Plain http only for a local issuer (development: `rampart up` without TLS at the edge).
          insecure ? { execute: [oidc.allowInsecureRequests] } : undefined,
        )
        .catch((error: unknown) => {
          pending = undefined;
          throw error;
        });
      return pending;
    },
  };
}
