/** What a command reads and writes; the bin passes the real process, tests pass their own. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { readonly isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Where SIGINT and SIGTERM come from: `process`, or an EventEmitter in tests. */
  readonly signals: Pick<NodeJS.EventEmitter, 'on' | 'off'>;
}

/** One `rampart <name>` sub-command. */
export interface Command {
  /** One line for `rampart --help`. */
  readonly summary: string;
  /** Printed by `rampart <name> --help` and after a usage error. */
  readonly usage: string;
  /** Resolves with the process exit code; throws UsageError for a bad command line. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}
