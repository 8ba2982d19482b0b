/** Why a call to another service failed before it produced an answer. */
export type ServiceClientErrorCode =
  'timeout' | 'network' | 'circuit_open' | 'no_principal' | 'response_too_large' | 'token';

export class ServiceClientError extends Error {
  readonly code: ServiceClientErrorCode;
  readonly service: string;

  constructor(service: string, code: ServiceClientErrorCode, message: string, options?: { cause?: unknown }) {
    super(`${service}: ${message}`, options);
    this.name = 'ServiceClientError';
    this.code = code;
    this.service = service;
  }
}
