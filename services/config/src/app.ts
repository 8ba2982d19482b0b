/**
 * `buildConfigServer()`: the pull-model configuration server as a chassis service — versioned,
 * layered configuration per application and profile, validated writes, encrypted secrets,
 * long-poll change notification across instances.
 */
import type { Kysely } from 'kysely';
import {
  createService,
  openServiceSharedState,
  type Service,
  type StatefulServiceOptions,
} from '@rampart/chassis';
import { configServerSchema } from './config.js';
import type { ConfigContext } from './context.js';
import { ConfigCore } from './core/config-core.js';
import { configMigrations } from './migrations/index.js';
import { ChangeBus } from './notify/change-bus.js';
import { registerAdminRoutes } from './routes/admin-routes.js';
import { registerReadRoutes } from './routes/read-routes.js';
import { rejectTraversal } from './routes/reject-traversal.js';
import { registerSchemaRoutes } from './routes/schema-routes.js';
import { createKeyring } from './secrets/cipher.js';
import { loadMasterKey, parseMasterKey } from './secrets/master-key.js';
import { ConfigStore } from './store/config-store.js';
import { seedFromDirectory } from './store/seed.js';
import type { ConfigTables } from './store/tables.js';

export const CONFIG_SERVER_VERSION = '0.1.0';

export type BuildConfigServerOptions = StatefulServiceOptions;

export type ConfigServer = Service<typeof configServerSchema> & {
  readonly configCore: ConfigCore;
  readonly changeBus: ChangeBus;
};

export async function buildConfigServer(options: BuildConfigServerOptions = {}): Promise<ConfigServer> {
  const app = await createService({
    name: 'config',
    version: CONFIG_SERVER_VERSION,
    defaultPort: 8082,
    config: configServerSchema,
    database: { migrations: configMigrations },
    security: {},
    ...(options.env ? { env: options.env } : {}),
    ...(options.argv ? { argv: options.argv } : {}),
    ...(options.logDestination ? { logDestination: options.logDestination } : {}),
  });
  const config = app.config;
  try {
    const masterKey = await loadMasterKey({
      configured: config.masterKey,
      dataDir: app.dataDir,
      onGenerated: (file) =>
        app.log.warn(
          { file },
          'generated a master key for secrets (development only: set RAMPART_CONFIG_MASTER_KEY)',
        ),
    });
    const previous = config.previousMasterKeys.map((k, i) => parseMasterKey(k, `previousMasterKeys[${i}]`));
    const core = new ConfigCore(
      new ConfigStore(app.db as Kysely<ConfigTables>),
      createKeyring(masterKey, previous),
    );

    // Critical: long polls on other instances hear of new versions only through it.
    const shared = await openServiceSharedState(app, {
      url: config.redisUrl,
      critical: true,
      provided: options.sharedState,
    });
    const bus = new ChangeBus(shared);
    await bus.start();
    // Long polls answer at once when shutdown begins, instead of holding the drain for 25 s.
    app.addHook('preClose', () => bus.close());

    if (config.seedDir) {
      const seeded = await seedFromDirectory(core, config.seedDir);
      if (seeded.length > 0)
        app.log.info({ files: seeded, dir: config.seedDir }, 'seeded the configuration store');
    }

    const context: ConfigContext = {
      core,
      bus,
      readers: config.readers,
      longPollMs: config.longPollSeconds * 1000,
    };
    rejectTraversal(app);
    registerReadRoutes(app, context);
    registerSchemaRoutes(app, context);
    registerAdminRoutes(app, context);
    app.decorate('configCore', core);
    app.decorate('changeBus', bus);
    return app as ConfigServer;
  } catch (error) {
    await app.close();
    throw error;
  }
}
