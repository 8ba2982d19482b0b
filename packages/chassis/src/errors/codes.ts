/** The chassis' error registry: every code the chassis itself answers with. */
export const chassisErrors = {
  RAMPART_ERR_BAD_REQUEST: { status: 400, title: 'Bad request' },
  RAMPART_ERR_VALIDATION: { status: 400, title: 'Invalid request' },
  RAMPART_ERR_UNAUTHORIZED: { status: 401, title: 'Authentication required' },
  RAMPART_ERR_FORBIDDEN: { status: 403, title: 'Forbidden' },
  RAMPART_ERR_NOT_FOUND: { status: 404, title: 'Not found' },
  RAMPART_ERR_METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  RAMPART_ERR_NOT_ACCEPTABLE: { status: 406, title: 'Not acceptable' },
  RAMPART_ERR_CONFLICT: { status: 409, title: 'Conflict' },
  RAMPART_ERR_PRECONDITION_FAILED: { status: 412, title: 'Precondition failed' },
  RAMPART_ERR_PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload too large' },
  RAMPART_ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  RAMPART_ERR_RATE_LIMITED: { status: 429, title: 'Too many requests' },
  RAMPART_ERR_INTERNAL: { status: 500, title: 'Internal server error' },
  RAMPART_ERR_BAD_GATEWAY: { status: 502, title: 'Bad gateway' },
  RAMPART_ERR_UNAVAILABLE: { status: 503, title: 'Service unavailable' },
  RAMPART_ERR_GATEWAY_TIMEOUT: { status: 504, title: 'Gateway timeout' },
} as const;

export type ChassisErrorCode = keyof typeof chassisErrors;

/** Problem `type` URIs (RFC 9457 §3.1.1) are URNs derived from the code. */
export function problemType(code: string): string {
  return `urn:rampart:problem:${code.toLowerCase().replaceAll('_', '-')}`;
}

/** The chassis code for a bare HTTP status (errors thrown by Fastify and its plugins). */
export function codeForStatus(status: number): ChassisErrorCode {
  for (const [code, def] of Object.entries(chassisErrors)) {
    if (def.status === status) return code as ChassisErrorCode;
  }
  return status >= 500 ? 'RAMPART_ERR_INTERNAL' : 'RAMPART_ERR_BAD_REQUEST';
}
