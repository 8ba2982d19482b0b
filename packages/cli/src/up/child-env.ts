export interface UpSettings {
  /** Absolute path of the data directory. */
  readonly dataDir: string;
  readonly demo: boolean;
  readonly ipcTls: boolean;
}

/**
 * The environment every service starts with: rampart's own, plus what `rampart up` decides.
 * A variable the user set explicitly wins where that is safe (the drain delay); `RAMPART_DEMO`
 * comes from `--demo` only, so a stray export can never seed demo passwords.
 */
export function childEnv(parent: NodeJS.ProcessEnv, settings: UpSettings): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...parent, RAMPART_DATA_DIR: settings.dataDir };
  delete env.RAMPART_DEMO;
  if (settings.demo) env.RAMPART_DEMO = '1';
  if (!settings.ipcTls) env.RAMPART_IPC_TLS = '0';
  // No load balancer to take the instance out of rotation locally, so nothing to wait for.
  env.RAMPART_SHUTDOWN_DRAIN_DELAY_MS ??= '0';
  return env;
}
