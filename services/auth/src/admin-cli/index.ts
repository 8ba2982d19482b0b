/** The auth server's operator tool: what `rampart users|clients|keys` drive, on the database. */
export {
  openAuthAdmin,
  type AuthAdmin,
  type OpenAuthAdminOptions,
  type PublicClient,
} from './open-auth-admin.js';
export { AuthAdminError, type AuthAdminErrorCode } from './admin-errors.js';
export type { ClientType, GrantType } from '../clients/index.js';
export type { AddUserInput, UserRecord } from '../users/index.js';
