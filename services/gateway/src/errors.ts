/** The gateway's error codes (answered as application/problem+json by the chassis). */
import { defineErrors } from '@rampart/chassis';

export const gatewayErrors = defineErrors({
  GW_ERR_BAD_PATH: { status: 400, title: 'Ambiguous or malformed request path' },
  GW_ERR_BAD_HEADER: { status: 400, title: 'Malformed request header' },
  GW_ERR_UNAUTHORIZED: { status: 401, title: 'Authentication required' },
  GW_ERR_FORBIDDEN: { status: 403, title: 'Forbidden' },
  GW_ERR_CSRF: { status: 403, title: 'Cross-site request refused' },
  GW_ERR_NO_ROUTE: { status: 404, title: 'Not found' },
  GW_ERR_METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  GW_ERR_BODY_TOO_LARGE: { status: 413, title: 'Request body too large' },
  GW_ERR_RATE_LIMITED: { status: 429, title: 'Too many requests' },
  GW_ERR_BAD_GATEWAY: { status: 502, title: 'Bad gateway' },
  GW_ERR_UPSTREAM_UNAVAILABLE: { status: 503, title: 'Upstream unavailable' },
  GW_ERR_AUTH_UNAVAILABLE: { status: 503, title: 'Authentication temporarily unavailable' },
  GW_ERR_UPSTREAM_TIMEOUT: { status: 504, title: 'Upstream timed out' },
  GW_ERR_LOGIN_FAILED: { status: 400, title: 'Login failed' },
});

export type GatewayErrorCode = keyof typeof gatewayErrors.registry;
export const gatewayError: typeof gatewayErrors.create = (code, options) =>
  gatewayErrors.create(code, options);
