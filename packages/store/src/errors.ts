/**
 * Every error code `@rampart/store` throws, in one place, so callers can `switch` on `error.code`.
 *
 * @example
 * ```ts
 * if (error instanceof StoreError && error.code === STORE_ERROR_CODES.STORE_ERR_MIGRATION) log.fatal(error);
 * ```
 */
export const STORE_ERROR_CODES = {
  /** A connection URL (or a value inside it, such as the schema or service name) is malformed. */
  STORE_ERR_BAD_URL: 'STORE_ERR_BAD_URL',
  /** The backend could not be reached (or refused the connection) when the store was opened. */
  STORE_ERR_UNREACHABLE: 'STORE_ERR_UNREACHABLE',
  /** A database migration failed; the database was left as it was before the run. */
  STORE_ERR_MIGRATION: 'STORE_ERR_MIGRATION',
} as const;

/**
 * The codes a {@link StoreError} can carry.
 *
 * @example
 * ```ts
 * function exitCode(code: StoreErrorCode): number {
 *   switch (code) {
 *     case 'STORE_ERR_BAD_URL': return 78; // EX_CONFIG
 *     case 'STORE_ERR_UNREACHABLE': return 69; // EX_UNAVAILABLE
 *     case 'STORE_ERR_MIGRATION': return 70; // EX_SOFTWARE
 *   }
 * }
 * ```
 */
export type StoreErrorCode = keyof typeof STORE_ERROR_CODES;

/**
 * The error `@rampart/store` throws for configuration and connection problems. Messages never
 * contain a password: URLs in them pass through {@link maskUrl} first.
 *
 * @example
 * ```ts
 * try {
 *   await openDatabase({ url, service: 'auth', migrations });
 * } catch (error) {
 *   if (error instanceof StoreError && error.code === 'STORE_ERR_UNREACHABLE') process.exit(75);
 *   throw error;
 * }
 * ```
 */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
