import http from 'node:http';

/**
 * One readiness probe: true when `GET http://127.0.0.1:<port>/health/ready` answers 200 within
 * `timeoutMs`. Never throws: a refused connection or a timeout just means "not ready yet".
 *
 * `agent: false` opens a fresh connection that closes after the answer, so a probe never holds a
 * keep-alive socket that would slow down the service's graceful shutdown.
 */
export function probeReady(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get(
      { host: '127.0.0.1', port, path: '/health/ready', agent: false, timeout: timeoutMs },
      (response) => {
        response.resume();
        resolve(response.statusCode === 200);
      },
    );
    request.once('timeout', () => request.destroy());
    request.once('error', () => resolve(false));
  });
}
