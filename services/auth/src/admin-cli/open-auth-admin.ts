/**
 * `openAuthAdmin()`: the operator's tool next to the auth server — users, roles, clients and
 * signing keys, worked directly on the service's database (no token: whoever can read the
 * database's credentials is already its administrator). Every change is audited in the service's
 * outbox, like the admin API's. Disabling a user revokes its refresh-token families and records a
 * `user` event on the revocation feed's table, which running instances poll every 2 s, so every
 * gateway and service deny-list has it within seconds.
 */
import os from 'node:os';
import type { Kysely } from 'kysely';
import { createAuditLog, type AuditLog } from '@rampart/chassis';
import { openSharedState } from '@rampart/store';
import {
  createClient,
  findClient,
  InvalidClientInput,
  listClients,
  publicView,
  type Client,
  type CreateClientInput,
} from '../clients/index.js';
import { rotateKeys } from '../keys/key-store.js';
import { revokeFamilies } from '../tokens/families.js';
import { maxSignedTokenLifetimeMs } from '../tokens/lifetimes.js';
import { RevocationFeed } from '../tokens/revocation-feed.js';
import * as users from '../users/index.js';
import type { AddUserInput, UserRecord } from '../users/index.js';
import { openAdminDatabase, type LoadAdminDatabaseOptions } from './admin-database.js';
import { AuthAdminError } from './admin-errors.js';
import { loadAdminMasterKey } from './admin-master-key.js';

export type OpenAuthAdminOptions = LoadAdminDatabaseOptions;

export type PublicClient = ReturnType<typeof publicView>;

export interface AuthAdmin {
  addUser(input: AddUserInput): Promise<UserRecord>;
  listUsers(): Promise<UserRecord[]>;
  /** Disables the user, ends its sessions, revokes its tokens; resolves with the revoked family count. */
  disableUser(username: string): Promise<{ user: UserRecord; revokedFamilies: number }>;
  setRoles(username: string, roles: readonly string[]): Promise<UserRecord>;
  /** The generated secret is returned once (only its hash is stored). */
  createClient(input: CreateClientInput): Promise<{ client: PublicClient; secret?: string }>;
  listClients(): Promise<PublicClient[]>;
  /** Publishes a `next` signing key; running instances promote it after the publication delay. */
  rotateKeys(): Promise<{ kid: string; created: boolean }>;
  close(): Promise<void>;
}

export async function openAuthAdmin(options: OpenAuthAdminOptions): Promise<AuthAdmin> {
  const { config, dataDir, db, close } = await openAdminDatabase(options);
  // In-process: the running instances learn of new events by polling the table.
  const shared = await openSharedState({ prefix: 'auth' });
  const feed = new RevocationFeed(db, shared);
  const audit = createAuditLog(db as Kysely<unknown>, 'auth');
  const record = (action: string, resource: string, details?: Record<string, unknown>) =>
    recordAudit(audit, action, resource, details);

  const userNamed = async (username: string): Promise<UserRecord> => {
    const user = await users.findUserByUsername(db, username);
    if (!user) throw new AuthAdminError('AUTH_ADMIN_ERR_INPUT', `no user "${username}"`);
    return user;
  };

  return {
    async addUser(input) {
      const user = await users.addUser(db, input).catch(inputError);
      await record('admin.user.create', `user:${user.id}`, { username: user.username, roles: user.roles });
      return user;
    },
    listUsers: () => users.listUsers(db),
    async disableUser(username) {
      const { id } = await userNamed(username);
      let revoked: string[] = [];
      const user = await users
        .disableUser(db, id, {
          revokeUserTokens: async (userId) => {
            const now = Date.now();
            revoked = await revokeFamilies(db, feed, { userId }, 'user disabled', now);
            // Access tokens of the user issued before now stop working wherever they are checked.
            const expiresAt = now + (await maxSignedTokenLifetimeMs(db, config));
            await feed.record([{ kind: 'user', value: userId, expiresAt }], now);
          },
        })
        .catch(inputError);
      await record('admin.user.disable', `user:${id}`, { username: user.username });
      return { user, revokedFamilies: revoked.length };
    },
    async setRoles(username, roles) {
      const { id } = await userNamed(username);
      const user = await users.setRoles(db, id, roles).catch(inputError);
      await record('admin.user.roles', `user:${id}`, { roles: user.roles });
      return user;
    },
    async createClient(input) {
      if (input.clientId !== undefined && (await findClient(db, input.clientId))) {
        throw new AuthAdminError('AUTH_ADMIN_ERR_INPUT', `client "${input.clientId}" already exists`);
      }
      const created = await createClient(db, input).catch(inputError);
      const client = publicView(created.client);
      await record('admin.client.create', `client:${client.clientId}`, {
        type: client.type,
        grantTypes: client.grantTypes,
      });
      return created.secret === undefined ? { client } : { client, secret: created.secret };
    },
    listClients: async () => (await listClients(db)).map((c: Client) => publicView(c)),
    async rotateKeys() {
      const masterKey = await loadAdminMasterKey(db, config.masterKey, dataDir);
      const result = await rotateKeys(db, { masterKey, alg: config.signingAlg });
      if (result.created) await record('admin.keys.rotate', `key:${result.kid}`, { alg: config.signingAlg });
      return result;
    },
    async close() {
      await shared.close();
      await close();
    },
  };
}

/** Refusals of the user and client functions become input errors (exit 65 in the CLI). */
function inputError(error: unknown): never {
  if (error instanceof users.UserError || error instanceof InvalidClientInput) {
    throw new AuthAdminError('AUTH_ADMIN_ERR_INPUT', error.message, { cause: error });
  }
  throw error;
}

function recordAudit(
  audit: AuditLog,
  action: string,
  resource: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  return audit.record({
    action,
    outcome: 'success',
    resource,
    // No token here: the operator is named by the OS account that ran the tool.
    actor: { sub: `operator:${operatorName()}` },
    details: { ...details, via: 'rampart-cli' },
  });
}

function operatorName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}
