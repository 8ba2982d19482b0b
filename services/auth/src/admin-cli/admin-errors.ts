/** Why an admin operation was refused; the CLI maps `code` to an exit status (sysexits). */
export type AuthAdminErrorCode =
  /** Bad configuration (database URL, master key): EX_CONFIG. */
  | 'AUTH_ADMIN_ERR_CONFIG'
  /** The database cannot be reached: EX_UNAVAILABLE. */
  | 'AUTH_ADMIN_ERR_UNAVAILABLE'
  /** Bad input, a name already taken, nobody by that name: EX_DATAERR. */
  | 'AUTH_ADMIN_ERR_INPUT';

export class AuthAdminError extends Error {
  constructor(
    readonly code: AuthAdminErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'AuthAdminError';
  }
}
