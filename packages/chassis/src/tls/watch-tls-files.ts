/**
 * Certificates are renewed before they expire (`ensureDevPki` in `rampart up`, or your own PKI
 * writing new files): a running service re-reads its `tls.*` files periodically and swaps in what
 * changed — new connections use the new certificate, open ones finish on the old.
 */
import type { Server } from 'node:https';
import { loadTlsFiles } from './load-tls-files.js';
import type { TlsMaterial } from './dev-pki.js';
import { reloadServerTls } from './server-tls-options.js';

export interface WatchTlsFilesOptions {
  paths: { ca: string; cert: string; key: string };
  current: TlsMaterial;
  server: () => Server;
  intervalMs: number;
  onReload: () => void;
  onError: (error: unknown) => void;
}

/** Returns a function that stops watching. */
export function watchTlsFiles(options: WatchTlsFilesOptions): () => void {
  let current = options.current;
  const timer = setInterval(() => {
    loadTlsFiles(options.paths).then(
      (next) => {
        if (next.ca === current.ca && next.cert === current.cert && next.key === current.key) return;
        reloadServerTls(options.server(), next);
        current = next;
        options.onReload();
      },
      // A half-written renewal is retried on the next tick; the current certificate stays.
      options.onError,
    );
  }, options.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
