import { Type, type PermissionMap, type ServiceFeatures } from '@rampart/chassis';

/** The accounts service's own configuration keys (none yet: everything it needs is a chassis key). */
export const accountsConfigSchema = Type.Object({});

export const ACCOUNTS_DEFAULT_PORT = 8092;

/**
 * Role → permissions. `security.permissions` (env `RAMPART_ACCOUNTS_SECURITY_PERMISSIONS`, JSON)
 * replaces it at deploy time.
 */
export const ACCOUNTS_PERMISSIONS: PermissionMap = {
  admin: ['accounts:list', 'accounts:suspend'],
};

/** The chassis features the service turns on, for `composeServiceSchema` (`rampart config print`). */
export const accountsFeatures: ServiceFeatures = { name: 'accounts', database: true, security: true };
