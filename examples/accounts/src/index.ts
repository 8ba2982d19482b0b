export { buildAccounts, type AccountsService, type BuildAccountsOptions } from './app.js';
export {
  accountsConfigSchema,
  accountsFeatures,
  ACCOUNTS_DEFAULT_PORT,
  ACCOUNTS_PERMISSIONS,
} from './config-schema.js';
export { accountsErrors, type AccountsErrorCode } from './errors.js';
export { accountsMigrations } from './migrations/index.js';
