/** Mutual TLS between services: the dev CA, per-service certificates, server options. */
export {
  ensureDevPki,
  loadTlsMaterial,
  type DevPki,
  type DevPkiOptions,
  type ServiceCertificate,
  type TlsMaterial,
} from './dev-pki.js';
export { serverTlsOptions, reloadServerTls, type MutualTlsServerOptions } from './server-tls-options.js';
export { loadTlsFiles } from './load-tls-files.js';
export { watchTlsFiles, type WatchTlsFilesOptions } from './watch-tls-files.js';
