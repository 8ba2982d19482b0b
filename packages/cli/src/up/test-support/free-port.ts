import net from 'node:net';

/**
 * A TCP port that was free a moment ago: bind port 0, read the port, close. Services in the
 * registry need a known port before they start, so tests cannot hand them port 0 directly.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}
