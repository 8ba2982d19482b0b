/**
 * Runs a service's `main` and turns start-up failures into one line on stderr and a sysexits
 * exit code: 78 for invalid configuration, 69 for an unavailable port or dependency.
 *
 * @example
 * await runService(async () => {
 *   const app = await createService({ name: 'orders', defaultPort: 8091 });
 *   app.get('/orders', { config: { public: true } }, async () => []);
 *   await app.start();
 * });
 */
import { ConfigError } from '../config/config-error.js';
import { EXIT_CONFIG, EXIT_SOFTWARE, StartupError } from './startup-error.js';

export async function runService(main: () => Promise<unknown>): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(EXIT_CONFIG);
    }
    if (error instanceof StartupError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(error.exitCode);
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`failed to start: ${message.split('\n')[0]}\n`);
    if (process.env.RAMPART_DEBUG_STARTUP && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exit(EXIT_SOFTWARE);
  }
}
