/**
 * A real upstream for tests on port 0: echoes what it received (method, url, headers, body) as
 * JSON, and can be told to be slow, to fail with a status, to reset connections or to go down.
 */
import type http from 'node:http';
import { startRestartableServer } from '../../../../packages/chassis/src/test-support/restartable-server.js';

export interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  body: string;
}

export interface EchoUpstream {
  url: string;
  port: number;
  received: Received[];
  /** Next answers: status to send (default 200). */
  status: number;
  /** Delay before the response headers. */
  delayMs: number;
  /** Delay between headers and body (slow body). */
  bodyDelayMs: number;
  /** Destroy the socket instead of answering. */
  reset: boolean;
  goDown(): Promise<void>;
  comeUp(): Promise<void>;
  close(): Promise<void>;
}

export async function startEchoUpstream(name = 'upstream'): Promise<EchoUpstream> {
  const listener = await startRestartableServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const received: Received = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(chunks).toString(),
      };
      echo.received.push(received);
      if (echo.reset) {
        req.socket.destroy();
        return;
      }
      setTimeout(() => {
        if (req.url?.startsWith('/health/ready')) {
          res.writeHead(echo.status === 200 ? 200 : 503).end();
          return;
        }
        const body = JSON.stringify({ upstream: name, ...received, rawHeaders: undefined });
        res.writeHead(echo.status, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        });
        if (echo.bodyDelayMs > 0) {
          res.write(body.slice(0, 5));
          setTimeout(() => res.end(body.slice(5)), echo.bodyDelayMs);
        } else res.end(body);
      }, echo.delayMs);
    });
  });
  listener.server.keepAliveTimeout = 1000;
  const echo: EchoUpstream = {
    url: listener.url,
    port: listener.port,
    received: [],
    status: 200,
    delayMs: 0,
    bodyDelayMs: 0,
    reset: false,
    goDown: () => listener.goDown(),
    comeUp: () => listener.comeUp(),
    close: () => listener.close(),
  };
  return echo;
}
