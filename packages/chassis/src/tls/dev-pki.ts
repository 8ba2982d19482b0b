/**
 * The dev PKI for mutual TLS between services: a CA (ECDSA P-256) and one certificate per
 * service (serverAuth + clientAuth; SANs localhost, 127.0.0.1, ::1), made on first run in a
 * directory (`ca.crt`, `ca.key`, `<service>.crt`, `<service>.key`; keys mode 0600) and renewed
 * when they come within `renewWithinDays` of expiry or were not signed by the current CA.
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as x509 from '@peculiar/x509';
import { fromPem, readIfExists, toPem, writeAtomic } from './pem.js';

x509.cryptoProvider.set(webcrypto as never);

type CryptoKey = webcrypto.CryptoKey;

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const DAY = 86_400_000;
const SERVICE_NAME = /^[a-z][a-z0-9-]{0,62}$/;

export interface DevPkiOptions {
  /** Service certificate lifetime (default 90 days). */
  validityDays?: number;
  /** Renew a certificate with less than this left (default 30 days). */
  renewWithinDays?: number;
  /** CA lifetime (default 3650 days). */
  caValidityDays?: number;
  /** Extra DNS names for every service certificate. */
  hosts?: string[];
}

export interface ServiceCertificate {
  cert: string;
  key: string;
  notAfter: Date;
}

export interface DevPki {
  dir: string;
  /** Path of the CA certificate. */
  ca: string;
  /** Paths of each service's certificate and key. */
  services: Record<string, ServiceCertificate>;
  /** What this call (re)issued: `'ca'` and/or service names. */
  issued: string[];
}

/** PEM contents for one service, as `serverTlsOptions()` and `createServiceClient({ tls })` take them. */
export interface TlsMaterial {
  ca: string;
  cert: string;
  key: string;
}

type KeyPair = { privateKey: CryptoKey; publicKey: CryptoKey };

async function generateKeys(): Promise<KeyPair> {
  return await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
}

async function exportKey(key: CryptoKey): Promise<string> {
  return toPem(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

async function importCaKey(pem: string): Promise<CryptoKey> {
  return await webcrypto.subtle.importKey('pkcs8', fromPem(pem, 'PRIVATE KEY'), ALGORITHM, false, ['sign']);
}

function validity(days: number): { notBefore: Date; notAfter: Date } {
  const notBefore = new Date(Date.now() - 5 * 60_000); // tolerate a little clock skew between processes
  return { notBefore, notAfter: new Date(notBefore.getTime() + days * DAY) };
}

async function createCa(days: number): Promise<{ cert: x509.X509Certificate; keys: KeyPair }> {
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: 'CN=Rampart development CA, O=Rampart',
    keys: keys as never,
    signingAlgorithm: ALGORITHM,
    ...validity(days),
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, keys };
}

async function createServiceCert(
  service: string,
  ca: { cert: x509.X509Certificate; key: CryptoKey },
  days: number,
  hosts: string[],
): Promise<{ cert: x509.X509Certificate; key: CryptoKey }> {
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.create({
    subject: `CN=${service}, O=Rampart`,
    issuer: ca.cert.subject,
    publicKey: keys.publicKey as never,
    signingKey: ca.key as never,
    signingAlgorithm: ALGORITHM,
    ...validity(days),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([
        x509.ExtendedKeyUsage.serverAuth,
        x509.ExtendedKeyUsage.clientAuth,
      ]),
      new x509.SubjectAlternativeNameExtension([
        ...['localhost', ...hosts].map((value) => ({ type: 'dns' as const, value })),
        { type: 'ip', value: '127.0.0.1' },
        { type: 'ip', value: '::1' },
      ]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
    ],
  });
  return { cert, key: keys.privateKey };
}

function expiresSoon(cert: x509.X509Certificate, withinDays: number): boolean {
  return cert.notAfter.getTime() - Date.now() < withinDays * DAY;
}

async function issuedBy(cert: x509.X509Certificate, ca: x509.X509Certificate): Promise<boolean> {
  try {
    return (
      cert.issuer === ca.subject && (await cert.verify({ publicKey: ca.publicKey, signatureOnly: true }))
    );
  } catch {
    return false;
  }
}

/**
 * Creates the dev CA and service certificates on first run and renews them before expiry.
 * Safe to call on every start.
 *
 * @example
 * const pki = await ensureDevPki('.rampart/pki', ['auth', 'gateway', 'orders']);
 * const tls = await loadTlsMaterial(pki.dir, 'orders');
 */
export async function ensureDevPki(
  dir: string,
  services: string[],
  options: DevPkiOptions = {},
): Promise<DevPki> {
  for (const service of services)
    if (!SERVICE_NAME.test(service))
      throw new TypeError(`invalid service name ${JSON.stringify(service)} for a certificate`);
  const validityDays = options.validityDays ?? 90;
  const renewWithinDays = options.renewWithinDays ?? 30;
  const caDays = options.caValidityDays ?? 3650;
  if (renewWithinDays >= validityDays)
    throw new TypeError('invalid renewWithinDays: must be less than validityDays');
  const root = path.resolve(dir);
  await fs.mkdir(root, { recursive: true, mode: 0o700 });
  const issued: string[] = [];
  const caPath = path.join(root, 'ca.crt');
  const caKeyPath = path.join(root, 'ca.key');

  let ca: { cert: x509.X509Certificate; key: CryptoKey } | undefined;
  const [caPem, caKeyPem] = [await readIfExists(caPath), await readIfExists(caKeyPath)];
  if (caPem && caKeyPem) {
    const cert = new x509.X509Certificate(caPem);
    if (!expiresSoon(cert, Math.min(renewWithinDays * 2, caDays / 2)))
      ca = { cert, key: await importCaKey(caKeyPem) };
  }
  if (!ca) {
    const created = await createCa(caDays);
    await writeAtomic(caKeyPath, await exportKey(created.keys.privateKey), 0o600);
    await writeAtomic(caPath, created.cert.toString('pem') + '\n', 0o644);
    ca = { cert: created.cert, key: created.keys.privateKey };
    issued.push('ca');
  }

  const result: Record<string, ServiceCertificate> = {};
  for (const service of services) {
    const certPath = path.join(root, `${service}.crt`);
    const keyPath = path.join(root, `${service}.key`);
    const existing = await readIfExists(certPath);
    let cert = existing && (await readIfExists(keyPath)) ? new x509.X509Certificate(existing) : undefined;
    if (!cert || expiresSoon(cert, renewWithinDays) || !(await issuedBy(cert, ca.cert))) {
      const created = await createServiceCert(service, ca, validityDays, options.hosts ?? []);
      // Key first: a reader that sees the new certificate must also find its key.
      await writeAtomic(keyPath, await exportKey(created.key), 0o600);
      await writeAtomic(certPath, created.cert.toString('pem') + '\n', 0o644);
      cert = created.cert;
      issued.push(service);
    }
    result[service] = { cert: certPath, key: keyPath, notAfter: cert.notAfter };
  }
  return { dir: root, ca: caPath, services: result, issued };
}

/** Reads one service's CA, certificate and key (PEM) from a dev PKI directory. */
export async function loadTlsMaterial(dir: string, service: string): Promise<TlsMaterial> {
  const root = path.resolve(dir);
  const [ca, cert, key] = await Promise.all(
    ['ca.crt', `${service}.crt`, `${service}.key`].map((name) => fs.readFile(path.join(root, name), 'utf8')),
  );
  return { ca: ca!, cert: cert!, key: key! };
}
