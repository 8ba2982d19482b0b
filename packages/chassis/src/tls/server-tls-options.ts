/**
 * Fastify options for HTTPS with mutual TLS: the server presents its certificate and accepts
 * only clients whose certificate chains to the CA (`requestCert` + `rejectUnauthorized`).
 */
import type { SecureContextOptions } from 'node:tls';
import type { Server } from 'node:https';
import type { TlsMaterial } from './dev-pki.js';

export interface MutualTlsServerOptions {
  https: {
    ca: string | Buffer;
    cert: string | Buffer;
    key: string | Buffer;
    requestCert: true;
    rejectUnauthorized: true;
    minVersion: 'TLSv1.2';
  };
}

/**
 * @example
 * const app = fastify({ ...serverTlsOptions(await loadTlsMaterial(pkiDir, 'orders')) });
 */
export function serverTlsOptions(material: {
  ca: string | Buffer;
  cert: string | Buffer;
  key: string | Buffer;
}): MutualTlsServerOptions {
  for (const name of ['ca', 'cert', 'key'] as const)
    if (!material[name] || material[name].length === 0) throw new TypeError(`invalid tls.${name}: empty`);
  return {
    https: {
      ca: material.ca,
      cert: material.cert,
      key: material.key,
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
    },
  };
}

/**
 * Swaps in renewed certificates without a restart: new connections use them, open ones finish.
 *
 * @example
 * setInterval(async () => { const pki = await ensureDevPki(dir, ['orders']);
 *   if (pki.issued.length) reloadServerTls(app.server, await loadTlsMaterial(dir, 'orders')); }, 86_400_000).unref();
 */
export function reloadServerTls(server: Server, material: TlsMaterial): void {
  const options: SecureContextOptions = {
    ca: material.ca,
    cert: material.cert,
    key: material.key,
    minVersion: 'TLSv1.2',
  };
  server.setSecureContext(options);
}
