export { createClient, InvalidClientInput, type CreateClientInput } from './create-client.js';
export { findClient, listClients, isRegisteredRedirectUri } from './find-client.js';
export {
  publicView,
  type Client,
  type ClientType,
  type GrantType,
  type TokenEndpointAuthMethod,
} from './client.js';
