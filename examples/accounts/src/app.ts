/**
 * The accounts demo service: one account per user, which an admin can suspend. The orders
 * service asks it (with the user's own token) whether the caller may order.
 */
import { createService, type CreateServiceOptions, type Service } from '@rampart/chassis';
import type { Kysely } from 'kysely';
import { ACCOUNTS_DEFAULT_PORT, ACCOUNTS_PERMISSIONS, accountsConfigSchema } from './config-schema.js';
import { accountsMigrations } from './migrations/index.js';
import { registerList } from './routes/list.js';
import { registerMe } from './routes/me.js';
import { registerSuspend } from './routes/suspend.js';
import { createAccountsStore, type AccountsTables } from './store/accounts-store.js';

export type AccountsService = Service<typeof accountsConfigSchema>;

export type BuildAccountsOptions = Omit<
  CreateServiceOptions<typeof accountsConfigSchema>,
  'name' | 'config' | 'database' | 'security'
>;

export async function buildAccounts(options: BuildAccountsOptions = {}): Promise<AccountsService> {
  const app = await createService({
    name: 'accounts',
    version: '0.1.0',
    config: accountsConfigSchema,
    defaultPort: ACCOUNTS_DEFAULT_PORT,
    database: { migrations: accountsMigrations },
    security: { permissions: ACCOUNTS_PERMISSIONS },
    ...options,
  });
  const store = createAccountsStore(app.db as Kysely<AccountsTables>);
  registerMe(app, store);
  registerList(app, store);
  registerSuspend(app, store);
  return app;
}
