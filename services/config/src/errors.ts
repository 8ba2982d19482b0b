/** The config server's own error codes (answered as application/problem+json). */
import { defineErrors } from '@rampart/chassis';

export const configErrors = defineErrors({
  CONFIG_ERR_VERSION_CONFLICT: {
    status: 409,
    title: 'The configuration changed since the version you expected',
  },
  CONFIG_ERR_PRECONDITION_REQUIRED: {
    status: 428,
    title: 'A write must name the version it expects (If-Match or expectedVersion)',
  },
  CONFIG_ERR_INVALID: { status: 422, title: 'The configuration does not match the application’s schema' },
  CONFIG_ERR_READ_DENIED: { status: 403, title: 'This client may not read that application’s configuration' },
  CONFIG_ERR_VERSION_NOT_FOUND: { status: 404, title: 'No such configuration version' },
  CONFIG_ERR_BAD_CHANGE: { status: 400, title: 'Invalid configuration change' },
});

export type ConfigErrorCode = keyof typeof configErrors.registry;
