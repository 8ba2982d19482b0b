/**
 * A real HTTP server on 127.0.0.1 and a free port, for test doubles that must also be able to
 * "go down" (close, dropping every open connection) and "come up" again on the same port.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RestartableServer {
  readonly server: http.Server;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Stops listening and destroys every open connection. */
  goDown(): Promise<void>;
  /** Listens again on the same port. */
  comeUp(): Promise<void>;
  /** goDown() if it is up. */
  close(): Promise<void>;
}

export async function startRestartableServer(handler: http.RequestListener): Promise<RestartableServer> {
  const sockets = new Set<Socket>();
  const server = http.createServer(handler);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const up: RestartableServer = {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    async goDown() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    async comeUp() {
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    },
    async close() {
      if (server.listening) await up.goDown();
    },
  };
  return up;
}
