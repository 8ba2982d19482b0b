/**
 * The configuration schema of every service `rampart config print` knows, loaded on demand so
 * the CLI starts fast and a command about one service does not load the others. The features
 * (database, security, peers) are the ones each service passes to `createService`, so the keys
 * printed are exactly the keys the service reads.
 */
import type { ServiceFeatures, TObject } from '@rampart/chassis';

export interface ServiceSchema {
  schema: TObject;
  defaultPort: number;
  features: ServiceFeatures;
}

export const serviceSchemas: Readonly<Record<string, () => Promise<ServiceSchema>>> = {
  gateway: async () => {
    const { gatewayConfigSchema, GATEWAY_DEFAULT_PORT } = await import('@rampart/gateway');
    return { schema: gatewayConfigSchema, defaultPort: GATEWAY_DEFAULT_PORT, features: { name: 'gateway' } };
  },
  auth: async () => {
    const { authConfigSchema } = await import('@rampart/auth');
    return { schema: authConfigSchema, defaultPort: 8081, features: { name: 'auth', database: true } };
  },
  config: async () => {
    const { configServerSchema } = await import('@rampart/config-server');
    return {
      schema: configServerSchema,
      defaultPort: 8082,
      features: { name: 'config', database: true, security: true },
    };
  },
  orders: async () => {
    const { ordersConfigSchema, ORDERS_DEFAULT_PORT, ordersFeatures } =
      await import('@rampart/example-orders');
    return { schema: ordersConfigSchema, defaultPort: ORDERS_DEFAULT_PORT, features: ordersFeatures };
  },
  accounts: async () => {
    const { accountsConfigSchema, ACCOUNTS_DEFAULT_PORT, accountsFeatures } =
      await import('@rampart/example-accounts');
    return { schema: accountsConfigSchema, defaultPort: ACCOUNTS_DEFAULT_PORT, features: accountsFeatures };
  },
  hello: async () => {
    const { helloConfigSchema, HELLO_DEFAULT_PORT } = await import('@rampart/example-hello');
    return { schema: helloConfigSchema, defaultPort: HELLO_DEFAULT_PORT, features: { name: 'hello' } };
  },
};
