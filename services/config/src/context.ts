/** What the config server's routes share. */
import type { ConfigCore } from './core/config-core.js';
import type { ChangeBus } from './notify/change-bus.js';

export interface ConfigContext {
  core: ConfigCore;
  bus: ChangeBus;
  readers: Readonly<Record<string, readonly string[]>>;
  longPollMs: number;
}
