/** The dev PKI and mutual TLS, with real HTTPS servers on port 0. */
import 'reflect-metadata';
import { mkdtempSync, statSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import * as x509 from '@peculiar/x509';
import fastify, { type FastifyInstance } from 'fastify';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDevPki, loadTlsMaterial, type TlsMaterial } from './dev-pki.js';
import { reloadServerTls, serverTlsOptions } from './server-tls-options.js';

const tmp = (name: string) => mkdtempSync(path.join(tmpdir(), `rampart-${name}-`));

describe('ensureDevPki', () => {
  it('creates a CA and per-service certificates once, with private keys mode 0600', async () => {
    const dir = tmp('pki');
    const first = await ensureDevPki(dir, ['orders', 'accounts']);
    expect(first.issued).toEqual(['ca', 'orders', 'accounts']);
    for (const file of ['ca.key', 'orders.key', 'accounts.key'])
      expect(statSync(path.join(dir, file)).mode & 0o777).toBe(0o600);
    const cert = new x509.X509Certificate(readFileSync(path.join(dir, 'orders.crt'), 'utf8'));
    const ca = new x509.X509Certificate(readFileSync(path.join(dir, 'ca.crt'), 'utf8'));
    expect(cert.issuer).toBe(ca.subject);
    expect(cert.publicKey.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-256' });
    const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
    expect(san?.names.toJSON()).toEqual([
      { type: 'dns', value: 'localhost' },
      { type: 'ip', value: '127.0.0.1' },
      { type: 'ip', value: '::1' },
    ]);
    expect(ca.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(true);
    const second = await ensureDevPki(dir, ['orders', 'accounts']);
    expect(second.issued).toEqual([]);
    expect(readFileSync(path.join(dir, 'orders.crt'), 'utf8')).toBe(cert.toString('pem') + '\n');
  });

  it('renews a certificate close to expiry, and one not signed by the current CA', async () => {
    const dir = tmp('pki-renew');
    await ensureDevPki(dir, ['orders'], { validityDays: 10, renewWithinDays: 5 });
    expect((await ensureDevPki(dir, ['orders'], { validityDays: 10, renewWithinDays: 5 })).issued).toEqual(
      [],
    );
    // Now ask for 20 days' headroom: the 10-day certificate is "about to expire".
    const renewed = await ensureDevPki(dir, ['orders'], { validityDays: 90, renewWithinDays: 20 });
    expect(renewed.issued).toEqual(['orders']);
    expect(renewed.services.orders!.notAfter.getTime()).toBeGreaterThan(Date.now() + 80 * 86_400_000);
    // A certificate from another CA dropped into the directory is replaced.
    const other = tmp('pki-other');
    await ensureDevPki(other, ['orders']);
    writeFileSync(path.join(dir, 'orders.crt'), readFileSync(path.join(other, 'orders.crt')));
    writeFileSync(path.join(dir, 'orders.key'), readFileSync(path.join(other, 'orders.key')));
    expect((await ensureDevPki(dir, ['orders'])).issued).toEqual(['orders']);
  });

  it('refuses service names that would escape the directory', async () => {
    await expect(ensureDevPki(tmp('pki-bad'), ['../etc'])).rejects.toThrow(/invalid service name/);
  });
});

describe('mutual TLS', () => {
  let dir: string;
  let server: FastifyInstance;
  let url: string;
  let orders: TlsMaterial;
  let stranger: TlsMaterial;

  beforeAll(async () => {
    dir = tmp('mtls');
    await ensureDevPki(dir, ['orders', 'accounts']);
    const otherDir = tmp('mtls-other');
    await ensureDevPki(otherDir, ['orders']);
    orders = await loadTlsMaterial(dir, 'orders');
    stranger = await loadTlsMaterial(otherDir, 'orders');
    server = fastify({ ...serverTlsOptions(await loadTlsMaterial(dir, 'accounts')) });
    server.get('/who', async (req) => {
      const socket = req.raw.socket as TLSSocket;
      return { peer: socket.getPeerCertificate().subject?.CN, authorized: socket.authorized };
    });
    await server.listen({ port: 0, host: '127.0.0.1' });
    url = `https://localhost:${(server.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await server.close();
  });

  async function get(connect: Agent.Options['connect']): Promise<unknown> {
    const agent = new Agent({ connect });
    try {
      const response = await request(`${url}/who`, { dispatcher: agent });
      return await response.body.json();
    } finally {
      await agent.close();
    }
  }

  it('accepts a client whose certificate the CA signed', async () => {
    expect(await get({ ca: orders.ca, cert: orders.cert, key: orders.key })).toEqual({
      peer: 'orders',
      authorized: true,
    });
  });

  it('refuses a client certificate from another CA', async () => {
    await expect(get({ ca: orders.ca, cert: stranger.cert, key: stranger.key })).rejects.toThrow();
  });

  it('refuses a client without a certificate', async () => {
    await expect(get({ ca: orders.ca })).rejects.toThrow();
  });

  it('lets the client refuse a server from another CA', async () => {
    await expect(get({ ca: stranger.ca, cert: orders.cert, key: orders.key })).rejects.toThrow(/certificate/);
  });

  it('swaps in a renewed certificate without a restart', async () => {
    await ensureDevPki(dir, ['accounts'], { validityDays: 200, renewWithinDays: 100 });
    reloadServerTls(server.server as never, await loadTlsMaterial(dir, 'accounts'));
    expect(await get({ ca: orders.ca, cert: orders.cert, key: orders.key })).toEqual({
      peer: 'orders',
      authorized: true,
    });
  });
});
