/** Every error code the accounts service answers with (application/problem+json). */
import { defineErrors } from '@rampart/chassis';

export const accountsErrors = defineErrors({
  ACCOUNTS_ERR_NOT_FOUND: { status: 404, title: 'Account not found' },
  ACCOUNTS_ERR_ALREADY_SUSPENDED: { status: 409, title: 'Account already suspended' },
});

export type AccountsErrorCode = keyof typeof accountsErrors.registry;
