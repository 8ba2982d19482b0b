import { Type, type PermissionMap, type ServiceFeatures } from '@rampart/chassis';

/** The orders service's own configuration keys (none yet: everything it needs is a chassis key). */
export const ordersConfigSchema = Type.Object({});

export const ORDERS_DEFAULT_PORT = 8091;

/**
 * Role → permissions. `security.permissions` (env `RAMPART_ORDERS_SECURITY_PERMISSIONS`, JSON)
 * replaces it at deploy time.
 */
export const ORDERS_PERMISSIONS: PermissionMap = {
  customer: ['orders:create'],
  admin: ['orders:read:any'],
};

/** Peer services and their default URLs; `services` (env `RAMPART_ORDERS_SERVICES`, JSON) overrides. */
export const ORDERS_PEERS: Readonly<Record<string, string>> = { accounts: 'http://localhost:8092' };

/** The chassis features the service turns on, for `composeServiceSchema` (`rampart config print`). */
export const ordersFeatures: ServiceFeatures = {
  name: 'orders',
  database: true,
  security: true,
  services: ORDERS_PEERS,
};
