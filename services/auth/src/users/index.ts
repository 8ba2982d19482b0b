/** Users and roles: the people side's store (argon2id passwords, roles, disabled flag). */
import type { AnyDb } from './tables.js';
import { SqlUserStore } from './sql-user-store.js';
import type { UserStore } from './user-store.js';

export type { UserRecord, UserStore } from './user-store.js';
export { addUser, type AddUserInput } from './add-user.js';
export { listUsers } from './list-users.js';
export { setRoles } from './set-roles.js';
export { disableUser, type DisableUserOptions } from './disable-user.js';
export { verifyPassword, type CredentialsResult } from './verify-credentials.js';
export { findUserById, findUserByUsername } from './find-user.js';
export { UserError, type UserErrorCode } from './user-errors.js';
export { hashPassword, warmDummyHash, PASSWORD_OPTIONS } from './password.js';
export { usernameKey, type PeopleTables } from './tables.js';
export { SqlUserStore } from './sql-user-store.js';

/** The `UserStore` the token side reads (wired into the AuthContext by `buildAuth`). */
export function createUserStore(db: AnyDb): UserStore {
  return new SqlUserStore(db);
}
