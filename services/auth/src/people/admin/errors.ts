/** The admin API's problem codes (answered as application/problem+json, RFC 9457). */
import { defineErrors } from '@rampart/chassis';

export const adminErrors = defineErrors({
  AUTH_ERR_INVALID_INPUT: { status: 400, title: 'Invalid input' },
  AUTH_ERR_USERNAME_TAKEN: { status: 409, title: 'Username taken' },
  AUTH_ERR_USER_NOT_FOUND: { status: 404, title: 'User not found' },
  AUTH_ERR_CLIENT_EXISTS: { status: 409, title: 'Client exists' },
});
