/**
 * What `rampart up` runs and with which settings: every platform service, the dev PKI for mutual
 * TLS between them, one OAuth client secret per service (made once, kept 0600 in the data
 * directory, handed to the auth server and to the service), and the URLs that tie them together.
 *
 * Topology on one machine: the gateway (8080, plain HTTP) is the only public door and the
 * issuer's URL. Internal services serve HTTPS with mutual TLS; the gateway reaches them with its
 * certificate, orders reaches accounts with its own. Services fetch the issuer's keys, the
 * revocation feed and their own tokens at the issuer URL, through the gateway.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureDevPki } from '@rampart/chassis';
import { PLATFORM, type PlatformServiceName, type ServiceDefinition } from '../services.js';

export const ISSUER = 'http://localhost:8080';

/** Services that authenticate to the auth server as OAuth clients (client credentials). */
const CLIENTS = ['gateway', 'config', 'orders', 'accounts'] as const;

export interface PlatformPlanOptions {
  dataDir: string;
  ipcTls: boolean;
}

export async function platformPlan({ dataDir, ipcTls }: PlatformPlanOptions): Promise<ServiceDefinition[]> {
  const secrets = loadOrCreateSecrets(path.join(dataDir, 'service-secrets.json'));
  const pkiDir = path.join(dataDir, 'pki');
  if (ipcTls) await renewDevPki(dataDir);
  const file = (name: string) => path.join(pkiDir, name);
  const scheme = ipcTls ? 'https' : 'http';
  const urlOf = (name: PlatformServiceName) => {
    const service = PLATFORM.find((s) => s.name === name)!;
    return `${service.internal ? scheme : 'http'}://localhost:${service.port}`;
  };
  const tlsFor = (name: string): NodeJS.ProcessEnv =>
    ipcTls
      ? {
          RAMPART_TLS_CA: file('ca.crt'),
          [`${env(name)}_TLS_CERT`]: file(`${name}.crt`),
          [`${env(name)}_TLS_KEY`]: file(`${name}.key`),
        }
      : {};

  const perService: Record<PlatformServiceName, NodeJS.ProcessEnv> = {
    auth: {
      RAMPART_AUTH_ISSUER: ISSUER,
      RAMPART_AUTH_SERVICE_CLIENTS: JSON.stringify({
        ...Object.fromEntries(CLIENTS.map((c) => [c, secrets[c]])),
        gateway: { secret: secrets.gateway, redirectUris: [`${ISSUER}/auth/callback`] },
      }),
      // Logins arrive through the gateway: its X-Forwarded-For names the person's address.
      RAMPART_AUTH_TRUST_PROXY: 'loopback',
      ...tlsFor('auth'),
    },
    config: { RAMPART_CONFIG_SECURITY_CLIENT_SECRET: secrets.config, ...tlsFor('config') },
    accounts: { RAMPART_ACCOUNTS_SECURITY_CLIENT_SECRET: secrets.accounts, ...tlsFor('accounts') },
    orders: {
      RAMPART_ORDERS_SECURITY_CLIENT_SECRET: secrets.orders,
      RAMPART_ORDERS_SERVICES: JSON.stringify({ accounts: urlOf('accounts') }),
      ...tlsFor('orders'),
    },
    gateway: {
      RAMPART_GATEWAY_ISSUER: ISSUER,
      RAMPART_GATEWAY_CLIENT_SECRET: secrets.gateway,
      RAMPART_GATEWAY_UPSTREAM_AUTH: urlOf('auth'),
      RAMPART_GATEWAY_UPSTREAM_CONFIG: urlOf('config'),
      RAMPART_GATEWAY_UPSTREAM_ORDERS: urlOf('orders'),
      RAMPART_GATEWAY_UPSTREAM_ACCOUNTS: urlOf('accounts'),
      // The gateway's listener is public (no client certificates); its calls upstream use mTLS.
      ...(ipcTls
        ? {
            RAMPART_GATEWAY_UPSTREAM_TLS_CA: file('ca.crt'),
            RAMPART_GATEWAY_UPSTREAM_TLS_CERT: file('gateway.crt'),
            RAMPART_GATEWAY_UPSTREAM_TLS_KEY: file('gateway.key'),
          }
        : {}),
    },
  };

  return PLATFORM.map((service) => ({
    name: service.name,
    port: service.port,
    entry: service.entry,
    url: urlOf(service.name),
    env: { RAMPART_SECURITY_ISSUER: ISSUER, ...perService[service.name] },
    ...(service.internal ? {} : { readyPath: '/.well-known/openid-configuration' }),
    ...(ipcTls && service.internal
      ? { probeTls: { ca: file('ca.crt'), cert: file('rampart.crt'), key: file('rampart.key') } }
      : {}),
  }));
}

function env(service: string): string {
  return `RAMPART_${service.toUpperCase()}`;
}

/** One 256-bit secret per service client, made on first run and kept (mode 0600). */
function loadOrCreateSecrets(file: string): Record<(typeof CLIENTS)[number], string> {
  const existing = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
  let changed = false;
  for (const client of CLIENTS) {
    if (typeof existing[client] !== 'string' || existing[client].length < 32) {
      existing[client] = randomBytes(32).toString('base64url');
      changed = true;
    }
  }
  if (changed) writeFileSync(file, `${JSON.stringify(existing, null, 2)}\n`, { mode: 0o600 });
  return existing;
}

/**
 * Makes the dev CA and the certificates on first run, and renews any within 30 days of expiry;
 * running services re-read their files (`tls.reloadIntervalMs`) and use the new ones.
 */
export async function renewDevPki(dataDir: string): Promise<string[]> {
  const pki = await ensureDevPki(path.join(dataDir, 'pki'), [...PLATFORM.map((s) => s.name), 'rampart']);
  return pki.issued;
}
