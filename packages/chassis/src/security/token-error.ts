/**
 * Why a bearer token was refused. `code` is the RFC 6750 §3.1 error code the caller answers with
 * (plus `temporarily_unavailable` when no key set could be loaded yet); `reason` is the precise
 * internal cause for logs and audit, never sent to the client.
 */
export type TokenErrorCode =
  'invalid_request' | 'invalid_token' | 'insufficient_scope' | 'temporarily_unavailable';

export type TokenErrorReason =
  | 'malformed'
  | 'too_large'
  | 'forbidden_header'
  | 'unknown_key'
  | 'key_mismatch'
  | 'bad_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'wrong_type'
  | 'missing_claim'
  | 'bad_claim'
  | 'revoked'
  | 'keys_unavailable';

export class TokenError extends Error {
  readonly code: TokenErrorCode;
  readonly reason: TokenErrorReason;

  constructor(
    code: TokenErrorCode,
    reason: TokenErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TokenError';
    this.code = code;
    this.reason = reason;
  }
}

export function invalidToken(reason: TokenErrorReason, message: string, cause?: unknown): TokenError {
  return new TokenError('invalid_token', reason, message, cause === undefined ? undefined : { cause });
}
