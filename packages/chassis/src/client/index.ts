/** Service-to-service calls: mutual TLS, token propagation or client credentials, resilience. */
export {
  createServiceClient,
  type ServiceClient,
  type ServiceClientOptions,
  type ServiceRequest,
  type ServiceResponse,
  type CallContext,
} from './service-client.js';
export { ServiceClientError, type ServiceClientErrorCode } from './service-client-error.js';
export {
  createClientCredentialsSource,
  TokenEndpointError,
  type ClientCredentialsOptions,
  type ClientCredentialsSource,
} from './client-credentials.js';
export type { RetryOptions, BreakerOptions } from './resilience.js';
export { createClientFactory, type ClientFactory, type ClientFactoryOptions } from './client-factory.js';
