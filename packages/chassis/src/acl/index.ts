/** Per-resource access control lists (owner semantics), stored in the service's database. */
export { createAcl, OWNER, type Acl, type Grant } from './create-acl.js';
export { aclMigrations } from './acl-migrations.js';
