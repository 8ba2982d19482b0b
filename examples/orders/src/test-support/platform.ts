/**
 * The demo pair for tests: a fake issuer, accounts and orders on port 0 with real HTTP between
 * them, each with its own database, and helpers to mint tokens and call the services.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildAccounts, type AccountsService } from '@rampart/example-accounts';
import {
  startFakeIssuer,
  type FakeIssuer,
} from '../../../../packages/chassis/src/security/test-support/fake-issuer.js';
import { captureLogs } from '../../../../packages/chassis/src/test-support/log-capture.js';
import { buildOrders, type OrdersService } from '../index.js';

export interface CallResult {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface Platform {
  issuer: FakeIssuer;
  accounts: AccountsService;
  orders: OrdersService;
  /** A user token for both services (`aud: ['orders', 'accounts']`), as the gateway would forward it. */
  userToken(sub: string, roles: string[], claims?: Record<string, unknown>): Promise<string>;
  /** A client-credentials token from the issuer's token endpoint (RFC 6749 §4.4). */
  serviceToken(clientId: string, secret: string, scope: string): Promise<string>;
  call(
    service: 'orders' | 'accounts',
    method: string,
    route: string,
    token?: string,
    body?: unknown,
  ): Promise<CallResult>;
  /** Takes accounts down (its port stops answering) for outage tests. */
  stopAccounts(): Promise<void>;
  close(): Promise<void>;
}

const dataDir = (name: string) => mkdtempSync(path.join(tmpdir(), `rampart-${name}-`));

export async function startPlatform(databaseUrls: { orders: string; accounts: string }): Promise<Platform> {
  const issuer = await startFakeIssuer({ holdMs: 300 });
  issuer.clients.set('accounts', 'accounts-secret');
  const common = (svc: 'ORDERS' | 'ACCOUNTS') => ({
    PORT: '0',
    HOST: '127.0.0.1',
    [`RAMPART_${svc}_SECURITY_ISSUER`]: issuer.issuer,
    [`RAMPART_${svc}_SECURITY_CLIENT_SECRET`]: `${svc.toLowerCase()}-secret`,
  });
  const accounts = await buildAccounts({
    env: {
      ...common('ACCOUNTS'),
      RAMPART_DATA_DIR: dataDir('accounts'),
      DATABASE_URL: databaseUrls.accounts,
    },
    argv: [],
    logDestination: captureLogs(),
  });
  const accountsUrl = (await accounts.start({ handleSignals: false })).url;
  const orders = await buildOrders({
    env: {
      ...common('ORDERS'),
      RAMPART_DATA_DIR: dataDir('orders'),
      DATABASE_URL: databaseUrls.orders,
      RAMPART_ORDERS_SERVICES: JSON.stringify({ accounts: accountsUrl }),
    },
    argv: [],
    logDestination: captureLogs(),
  });
  const ordersUrl = (await orders.start({ handleSignals: false })).url;
  const urls = { orders: ordersUrl, accounts: accountsUrl };
  let accountsUp = true;

  return {
    issuer,
    accounts,
    orders,
    userToken: (sub, roles, claims = {}) =>
      issuer.sign({ sub, client_id: 'demo-spa', roles, aud: ['orders', 'accounts'], ...claims }),
    async serviceToken(clientId, secret, scope) {
      const res = await fetch(`${issuer.url}/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource: 'orders' }).toString(),
      });
      if (!res.ok) throw new Error(`token endpoint answered ${res.status}`);
      return ((await res.json()) as { access_token: string }).access_token;
    },
    async call(service, method, route, token, body) {
      const headers: Record<string, string> = {};
      if (token) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${urls[service]}${route}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
    },
    async stopAccounts() {
      accountsUp = false;
      await accounts.close();
    },
    async close() {
      await orders.close();
      if (accountsUp) await accounts.close();
      await issuer.close();
    },
  };
}
