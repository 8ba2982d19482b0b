/**
 * Graceful shutdown, in the order load balancers and clients need it: readiness fails at once;
 * the server keeps serving for `drainDelayMs` (so endpoints are deregistered before we stop);
 * then it stops accepting, lets in-flight requests finish (answering them with
 * `Connection: close`), closes idle keep-alive connections, runs `onClose` hooks (pools), and
 * force-closes whatever is left after `gracePeriodMs`.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { HealthRegistry } from '../health/health-registry.js';
import type { ExceptionReporter } from '../reporting/exception-reporter.js';

export interface ShutdownSettings {
  drainDelayMs: number;
  gracePeriodMs: number;
}

export function createGracefulShutdown(
  app: FastifyInstance,
  health: HealthRegistry,
  settings: ShutdownSettings,
  reporter: () => ExceptionReporter,
) {
  let shuttingDown: Promise<void> | undefined;
  let forced = false;

  function shutdown(reason = 'shutdown requested'): Promise<void> {
    shuttingDown ??= (async () => {
      health.setState('draining');
      app.log.info(
        { reason, drainDelayMs: settings.drainDelayMs },
        'shutting down: readiness fails now, draining',
      );
      if (settings.drainDelayMs > 0)
        await new Promise((resolve) => setTimeout(resolve, settings.drainDelayMs));
      const force = setTimeout(() => {
        forced = true;
        app.log.warn(
          { gracePeriodMs: settings.gracePeriodMs },
          'grace period over: closing the remaining connections',
        );
        app.server.closeAllConnections();
      }, settings.gracePeriodMs);
      force.unref();
      // Keep-alive connections whose request was in flight become idle once answered; close
      // them as they do instead of waiting for their keep-alive timeout.
      const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
      try {
        await app.close();
      } finally {
        clearInterval(sweep);
        clearTimeout(force);
        health.setState('stopped');
      }
      app.log.info({ forced }, 'stopped');
    })();
    return shuttingDown;
  }

  function exitAfterShutdown(reason: string, code: number): void {
    shutdown(reason).then(
      () => {
        (app.log as unknown as Logger).flush();
        process.exit(forced ? 1 : code);
      },
      (error: unknown) => {
        reporter().report(error, { kind: 'uncaughtException' });
        process.exit(1);
      },
    );
  }

  let installed = false;
  function installProcessHandlers(): void {
    if (installed) return;
    installed = true;
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      signals += 1;
      if (signals > 1) {
        app.log.warn({ signal }, 'second signal: exiting now');
        process.exit(1);
      }
      exitAfterShutdown(signal, 0);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    // A process in an unknown state must not keep serving: report, then shut down and exit 1.
    process.on('uncaughtException', (error) => {
      reporter().report(error, { kind: 'uncaughtException' });
      exitAfterShutdown('uncaught exception', 1);
    });
    process.on('unhandledRejection', (reason) => {
      reporter().report(reason, { kind: 'unhandledRejection' });
      exitAfterShutdown('unhandled rejection', 1);
    });
  }

  return { shutdown, installProcessHandlers };
}
