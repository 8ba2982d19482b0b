/**
 * `@rampart/chassis`: what every Rampart service is built on — configuration, logs, metrics,
 * health, errors and graceful shutdown in one call.
 */
// First: keeps Node's nextTick fast for the life of the process (see the module).
import './runtime/pin-tick-object.js';
import './service/fastify-augmentation.js';
import './audit/request-audit.js';
import './service/wire-security.js';

export { Type, type Static, type TObject } from '@sinclair/typebox';
export {
  createService,
  type CreateServiceOptions,
  type Service,
  type ServiceAddress,
  type ServiceDecorations,
  type StartOptions,
} from './service/create-service.js';
export { runService } from './lifecycle/run-service.js';
export {
  StartupError,
  EXIT_CONFIG,
  EXIT_UNAVAILABLE,
  EXIT_NOPERM,
  EXIT_SOFTWARE,
} from './lifecycle/startup-error.js';
export {
  loadConfig,
  serviceConfigSchema,
  type LoadConfigOptions,
  type LoadedConfig,
  type ConfigEntry,
  type ConfigLayer,
  type ServiceConfig,
} from './config/load-config.js';
export { ConfigError, formatProblem, type ConfigProblem } from './config/config-error.js';
export { baseConfigSchema, type BaseConfig, type LogLevelName } from './config/base-schema.js';
export { configLeaves, type ConfigKeyOptions, type ConfigLeaf } from './config/config-schema.js';
export { maskValue, maskUrlPassword, MASK } from './config/mask.js';
export {
  RampartError,
  defineErrors,
  rampartError,
  type ErrorDefinition,
  type RampartErrorOptions,
} from './errors/rampart-error.js';
export { chassisErrors, type ChassisErrorCode, problemType } from './errors/codes.js';
export { toProblem, sendProblem, PROBLEM_CONTENT_TYPE, type Problem } from './errors/problem-handler.js';
export {
  HealthRegistry,
  type HealthCheck,
  type CheckResult,
  type HealthReport,
  type HealthStatus,
  type CheckDetail,
} from './health/health-registry.js';
export { HEALTH_CONTENT_TYPE } from './health/health-routes.js';
export { DURATION_BUCKETS, UNMATCHED_ROUTE, normalizeMethod } from './metrics/http-metrics.js';
export { HotHistogram, type HistogramSeries } from './metrics/hot-path-metrics.js';
export type { ServiceMetrics } from './metrics/metrics-plugin.js';
export {
  openServiceSharedState,
  type ServiceSharedStateOptions,
  type StatefulServiceOptions,
} from './state/service-shared-state.js';
export { createLogger, type CreateLoggerOptions } from './logging/create-logger.js';
export { redactDeep, redactUrl, isSensitiveKey, REDACTED } from './logging/redact.js';
export { createInfoLineWriter, type InfoLineWriter, type LineValue } from './logging/line-writer.js';
export type { ExceptionReporter, ExceptionContext } from './reporting/exception-reporter.js';
export {
  withDatabaseUrl,
  openServiceDatabase,
  defaultDatabaseUrl,
  chassisMigrations,
  type DatabaseOptions,
} from './database/service-database.js';
export { isPostgres, addSerialPrimaryKey } from './database/dialect.js';
export {
  createAuditLog,
  type AuditLog,
  type AuditEvent,
  type AuditActor,
  type AuditOutcome,
  type StoredAuditEvent,
} from './audit/audit-log.js';
export { traceIdOf, type RequestAuditOptions } from './audit/request-audit.js';
export { composeServiceSchema, type ServiceFeatures } from './service/service-schema.js';
export type { SecurityFeature } from './service/wire-security.js';
export * from './security/index.js';
export * from './acl/index.js';
export * from './client/index.js';
export * from './tls/index.js';
export * from './config-client/index.js';
export {
  loadMasterKeyBytes,
  parseMasterKeyBytes,
  type LoadMasterKeyBytesOptions,
} from './secrets/master-key.js';
