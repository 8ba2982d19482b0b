export { runCli, usage } from './cli.js';
export type { CliIo, Command } from './command.js';
export { PLATFORM, type ServiceDefinition } from './services.js';
export { platformPlan, ISSUER } from './up/platform-plan.js';
export { runUp } from './up/up-command.js';
export { Supervisor, type SupervisorOptions, type NoticeLevel } from './up/supervisor.js';
export { EX_USAGE, UsageError } from './usage-error.js';
