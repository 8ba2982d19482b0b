/** Why a user operation was refused; `code` is what callers switch on. */
export type UserErrorCode = 'invalid_input' | 'username_taken' | 'not_found';

export class UserError extends Error {
  constructor(
    readonly code: UserErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
