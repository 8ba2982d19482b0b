/** `@rampart/config-server`: the pull-model configuration server and its `rampart config` commands. */
export {
  buildConfigServer,
  CONFIG_SERVER_VERSION,
  type BuildConfigServerOptions,
  type ConfigServer,
} from './app.js';
export { configServerSchema, type ConfigServerConfig } from './config.js';
export { configErrors, type ConfigErrorCode } from './errors.js';
export { checkJsonSchema, type SchemaProblem } from './schema/check-json-schema.js';
export { remoteConfigCommand, runRemoteConfig, REMOTE_CONFIG_ACTIONS } from './cli/remote-config-command.js';
export {
  configGet,
  configSet,
  configSetSecret,
  configHistory,
  configDiff,
  configRollback,
  parseAssignment,
} from './cli/config-commands.js';
export { adminApi, AdminApiError, type AdminApi, type CliIo } from './cli/admin-api.js';
