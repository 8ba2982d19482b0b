/**
 * Holds the route table in force and replaces it when the file changes. A new table is swapped
 * in only when it is entirely valid; otherwise the error is logged, counted, and the old table
 * keeps serving.
 */
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { GatewayMetrics } from '../observability/gateway-metrics.js';
import { loadRouteFile, RouteTableError } from './load-routes.js';
import type { RouteRegistry } from './route-registry.js';
import type { RouteTable } from './route-table.js';

export interface ActiveRoutesOptions {
  file: string;
  env: Readonly<Record<string, string | undefined>>;
  registry: RouteRegistry;
  metrics: GatewayMetrics;
  log: FastifyBaseLogger;
  /** Debounce of file events (editors write in several steps). */
  debounceMs?: number;
}

export class ActiveRoutes {
  #table!: RouteTable;
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  #reloading: Promise<boolean> | undefined;
  #listeners = new Set<(ok: boolean) => void>();

  private constructor(private readonly options: ActiveRoutesOptions) {}

  /** Loads the first table; an invalid one fails start-up (never the first request). */
  static async load(options: ActiveRoutesOptions): Promise<ActiveRoutes> {
    const active = new ActiveRoutes(options);
    const routes = await loadRouteFile(options.file, options.env);
    active.#install(options.registry.compile(routes));
    return active;
  }

  get table(): RouteTable {
    return this.#table;
  }

  /** Re-reads the file; resolves true when the new table is in force. */
  reload(): Promise<boolean> {
    this.#reloading ??= this.#reload().finally(() => (this.#reloading = undefined));
    return this.#reloading;
  }

  /** Calls `listener` after every reload attempt (tests wait on it). */
  onReload(listener: (ok: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  watch(): void {
    const dir = path.dirname(this.options.file);
    const base = path.basename(this.options.file);
    // Watch the directory: editors and config tools replace the file (rename), which a file watch misses.
    this.#watcher = watch(dir, (_event, name) => {
      if (name !== null && name !== base) return;
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => void this.reload(), this.options.debounceMs ?? 100);
    });
    this.#watcher.on('error', (error) => this.options.log.warn({ err: error }, 'route file watch failed'));
    this.#watcher.unref();
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#watcher?.close();
  }

  #install(table: RouteTable): void {
    this.#table = table;
    this.options.registry.activate(table);
    this.options.metrics.routes.set(table.routes.length);
  }

  async #reload(): Promise<boolean> {
    const { log, metrics, file, env, registry } = this.options;
    let ok = false;
    try {
      const routes = await loadRouteFile(file, env);
      this.#install(registry.compile(routes));
      metrics.configReloads.inc({ outcome: 'success' });
      log.info({ file, routes: routes.length }, 'route table reloaded');
      ok = true;
    } catch (error) {
      metrics.configReloads.inc({ outcome: 'rejected' });
      const problems = error instanceof RouteTableError ? error.problems : [(error as Error).message];
      log.error(
        { file, problems, routes: this.#table.routes.length },
        'route table rejected; the previous table keeps serving',
      );
    }
    for (const listener of this.#listeners) listener(ok);
    return ok;
  }
}
