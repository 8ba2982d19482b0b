export { runCli, usage } from './cli.js';
export type { CliIo, Command } from './command.js';
export { platformServices, type ServiceDefinition } from './services.js';
export { runUp } from './up/up-command.js';
export { Supervisor, type SupervisorOptions, type NoticeLevel } from './up/supervisor.js';
export { EX_USAGE, UsageError } from './usage-error.js';
