/** Prometheus metrics of the pull-model client, on the service's own registry. */
import { Counter, Gauge, type Registry } from 'prom-client';

export interface ConfigClientMetrics {
  version: Gauge;
  lastFetchSuccess: Gauge;
  watchConnected: Gauge;
  refused: Counter;
}

export function createConfigClientMetrics(
  registry: Registry,
  updatedAt: () => number | undefined,
): ConfigClientMetrics {
  const registers = [registry];
  new Gauge({
    name: 'rampart_config_age_seconds',
    help: 'Seconds since the configuration version in use was written on the config server',
    registers,
    collect() {
      const at = updatedAt();
      if (at !== undefined) this.set(Math.max(0, (Date.now() - at) / 1000));
    },
  });
  return {
    version: new Gauge({
      name: 'rampart_config_version',
      help: 'Configuration version in use (config server)',
      registers,
    }),
    lastFetchSuccess: new Gauge({
      name: 'rampart_config_last_fetch_success_timestamp_seconds',
      help: 'Unix time of the last successful answer from the config server',
      registers,
    }),
    watchConnected: new Gauge({
      name: 'rampart_config_watch_connected',
      help: '1 while the change watch reaches the config server, 0 otherwise',
      registers,
    }),
    refused: new Counter({
      name: 'rampart_config_refused_versions_total',
      help: 'Configuration versions refused because they do not validate',
      registers,
    }),
  };
}
