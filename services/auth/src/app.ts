/**
 * `buildAuth()`: the authorization server as a chassis service — configuration, database,
 * shared state, signing keys, revocation feed, the OAuth endpoints and (from the people side)
 * login, consent, UserInfo, logout and the admin API.
 */
import formbody from '@fastify/formbody';
import {
  createService,
  openServiceSharedState,
  type Service,
  type StatefulServiceOptions,
} from '@rampart/chassis';
import type { Kysely } from 'kysely';
import { createAudit } from './audit.js';
import { authConfigSchema } from './config.js';
import { createContext, type AuthContext } from './context.js';
import type { TokenTables } from './db/tables.js';
import { startHousekeeping } from './housekeeping.js';
import { KeyManager } from './keys/key-manager.js';
import { loadMasterKey } from './keys/master-key.js';
import { authMigrations } from './migrations/index.js';
import { registerDiscovery } from './oauth/discovery.js';
import { registerIntrospectionEndpoint } from './oauth/introspection-endpoint.js';
import { registerRevocationEndpoint } from './oauth/revocation-endpoint.js';
import { registerTokenEndpoint } from './oauth/token-endpoint.js';
import { ensureFirstAdmin, registerPeopleRoutes, seedDemo } from './people/index.js';
import { syncServiceClients } from './people/seed/service-clients.js';
import { registerRevocationsRoute } from './revocations/revocations-route.js';
import { maxSignedTokenLifetimeMs } from './tokens/lifetimes.js';
import { RevocationFeed } from './tokens/revocation-feed.js';

export const AUTH_VERSION = '0.1.0';

export type BuildAuthOptions = StatefulServiceOptions;

export type AuthService = Service<typeof authConfigSchema> & { readonly authContext: AuthContext };

export async function buildAuth(options: BuildAuthOptions = {}): Promise<AuthService> {
  const app = await createService({
    name: 'auth',
    version: AUTH_VERSION,
    defaultPort: 8081,
    config: authConfigSchema,
    // The chassis opens, migrates, health-checks and closes the database (and its audit outbox).
    database: { migrations: authMigrations },
    ...(options.env ? { env: options.env } : {}),
    ...(options.argv ? { argv: options.argv } : {}),
    ...(options.logDestination ? { logDestination: options.logDestination } : {}),
  });
  const config = app.config;
  const cleanup: (() => Promise<void> | void)[] = [];
  try {
    // Not critical: without Redis, tokens are still issued and verified; login throttling and
    // prompt revocation wake-ups on other instances suffer, and health says so (warn).
    const shared = await openServiceSharedState(app, {
      url: config.redisUrl,
      critical: false,
      provided: options.sharedState,
    });

    const masterKey = await loadMasterKey({
      configured: config.masterKey,
      dataDir: app.dataDir,
      onGenerated: (file) =>
        app.log.warn(
          { file },
          'generated a master key for the signing keys (development only: set RAMPART_AUTH_MASTER_KEY)',
        ),
    });

    const db = app.db as Kysely<TokenTables>;
    const keys = new KeyManager(db, masterKey, {
      alg: config.signingAlg,
      publicationMs: config.keyPublicationSeconds * 1000,
      rotationMs: config.keyRotationDays * 86_400_000,
      maxTokenLifetimeMs: () => maxSignedTokenLifetimeMs(db, config),
      onError: (error) => app.log.error({ err: error }, 'signing-key refresh failed'),
    });
    await keys.start();
    cleanup.push(() => keys.stop());

    const revocations = new RevocationFeed(db, shared);
    await revocations.start();
    cleanup.push(() => revocations.stop());

    const context = createContext({
      config,
      db,
      keys,
      shared,
      revocations,
      audit: createAudit(app.audit, app.log),
      masterKey,
    });
    app.decorate('authContext', context);

    await app.register(formbody, { bodyLimit: 16 * 1024 });
    registerDiscovery(app, context);
    registerTokenEndpoint(app, context);
    registerIntrospectionEndpoint(app, context);
    registerRevocationEndpoint(app, context);
    registerRevocationsRoute(app, context);
    await registerPeopleRoutes(app, context);

    // Seeding runs before the service listens: readiness means the demo logins work.
    const env = options.env ?? process.env;
    const services = await syncServiceClients(context, config.serviceClients);
    if (services.length > 0) app.log.info({ clients: services }, 'service clients registered');
    if (config.demo) {
      const seeded = await seedDemo(context, env);
      app.log.info({ seeded }, 'demo users and clients ready (demo mode: never use in production)');
    } else if (config.bootstrapAdmin) {
      await ensureFirstAdmin(context, { env, dataDir: app.dataDir });
    }

    const stopHousekeeping = startHousekeeping(db, {
      intervalMs: config.housekeepingIntervalSeconds * 1000,
      graceMs: config.refreshReuseGraceSeconds * 1000,
      onError: (error) => app.log.error({ err: error }, 'housekeeping failed'),
      onPurged: (counts) => app.log.debug({ purged: counts }, 'housekeeping'),
    });
    cleanup.push(stopHousekeeping);

    // Long polls and event streams end first, so closing does not wait for their timeouts.
    app.addHook('preClose', async () => {
      await revocations.stop();
    });
    app.addHook('onClose', async () => {
      for (const step of cleanup.reverse()) await step();
    });
  } catch (error) {
    for (const step of cleanup.reverse()) await Promise.resolve(step()).catch(() => undefined);
    await app.close();
    throw error;
  }
  return app as AuthService;
}
