import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { ProbeTls } from '../services.js';

/**
 * One readiness probe: true when `GET http://127.0.0.1:<port>/health/ready` answers 200 within
 * `timeoutMs`. Never throws: a refused connection or a timeout just means "not ready yet".
 *
 * `agent: false` opens a fresh connection that closes after the answer, so a probe never holds a
 * keep-alive socket that would slow down the service's graceful shutdown.
 */
export function probeReady(
  port: number,
  timeoutMs = 1000,
  tls?: ProbeTls,
  path = '/health/ready',
): Promise<boolean> {
  return new Promise((resolve) => {
    const options = { host: '127.0.0.1', port, path, agent: false, timeout: timeoutMs };
    // Under mutual TLS the probe presents rampart's own certificate, signed by the dev CA.
    const request = (tls ? https : http).get(
      tls
        ? {
            ...options,
            servername: 'localhost',
            ca: readFileSync(tls.ca),
            cert: readFileSync(tls.cert),
            key: readFileSync(tls.key),
          }
        : options,
      (response) => {
        response.resume();
        resolve(response.statusCode === 200);
      },
    );
    request.once('timeout', () => request.destroy());
    request.once('error', () => resolve(false));
  });
}
