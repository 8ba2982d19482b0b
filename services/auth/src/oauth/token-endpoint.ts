/**
 * `POST /oauth2/token` (RFC 6749 §3.2) as a short list of named steps: parse the form,
 * authenticate the client, check the grant, issue the tokens.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Client, GrantType } from '../clients/client.js';
import type { AuthContext } from '../context.js';
import { authenticateClient } from './authenticate-client.js';
import { InvalidRequest, UnauthorizedClient, UnsupportedGrantType } from './errors.js';
import { authorizationCodeGrant } from './grants/authorization-code.js';
import { clientCredentialsGrant } from './grants/client-credentials.js';
import { refreshTokenGrant } from './grants/refresh-token.js';
import type { TokenResponse } from './grants/token-response.js';
import { noStore, oauthRouteOptions } from './oauth-route.js';
import { parseForm, type FormParams } from './parse-form.js';

type Grant = (
  context: AuthContext,
  client: Client,
  params: FormParams,
  request: FastifyRequest,
) => Promise<TokenResponse>;

const grants: Record<GrantType, Grant> = {
  client_credentials: clientCredentialsGrant,
  authorization_code: authorizationCodeGrant,
  refresh_token: refreshTokenGrant,
};

/** No implicit or password grant (RFC 9700 §2.4); anything else is unknown. */
function checkGrant(client: Client, params: FormParams): Grant {
  const grantType = params.get('grant_type');
  if (grantType === undefined) throw new InvalidRequest('missing parameter grant_type');
  if (!Object.hasOwn(grants, grantType))
    throw new UnsupportedGrantType(`unsupported grant_type ${grantType}`);
  if (!client.grantTypes.includes(grantType as GrantType)) {
    throw new UnauthorizedClient(`the client may not use grant_type ${grantType}`);
  }
  return grants[grantType as GrantType];
}

export function registerTokenEndpoint(app: FastifyInstance, context: AuthContext): void {
  app.post('/oauth2/token', oauthRouteOptions, async (request, reply) => {
    const params = parseForm(request);
    // RFC 6749 §5.2: an unsupported grant is reported even before the client is known.
    const grantType = params.get('grant_type');
    if (grantType !== undefined && !Object.hasOwn(grants, grantType)) {
      throw new UnsupportedGrantType(`unsupported grant_type ${grantType}`);
    }
    const { client } = await authenticateClient(context, request, params);
    const grant = checkGrant(client, params);
    const response = await grant(context, client, params, request);
    return noStore(reply).send(response);
  });
}
