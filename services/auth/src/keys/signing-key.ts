/**
 * A signing key in memory: its public JWK for the JWKS and a synchronous compact-JWS signer on a
 * cached `KeyObject` (node:crypto signs in microseconds; no per-token key import).
 */
import { createPrivateKey, generateKeyPairSync, sign, type JsonWebKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';

export type SigningAlg = 'ES256' | 'EdDSA' | 'RS256';

export interface SigningKey {
  kid: string;
  alg: SigningAlg;
  publicJwk: JWK;
  /** Signs a JWT: `header` gets `alg` and `kid`. */
  signJwt(payload: object, header?: Record<string, unknown>): string;
}

export interface GeneratedKey {
  kid: string;
  alg: SigningAlg;
  publicJwk: JWK;
  privateJwk: JWK;
}

export async function generateSigningKey(alg: SigningAlg): Promise<GeneratedKey> {
  const pair =
    alg === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : alg === 'EdDSA'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicJwk = pair.publicKey.export({ format: 'jwk' }) as JWK;
  const privateJwk = pair.privateKey.export({ format: 'jwk' }) as JWK;
  // RFC 7638 thumbprint as kid: stable and unique per key.
  const kid = await calculateJwkThumbprint(publicJwk);
  return { kid, alg, publicJwk: { ...publicJwk, kid, alg, use: 'sig' }, privateJwk };
}

function b64(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function signingKey(kid: string, alg: SigningAlg, publicJwk: JWK, privateJwk: JWK): SigningKey {
  const key: KeyObject = createPrivateKey({ key: privateJwk as JsonWebKey, format: 'jwk' });
  const digest = alg === 'EdDSA' ? null : 'sha256';
  // ES256 signatures are the raw r||s concatenation in JWS (RFC 7518 §3.4), not DER.
  const signOptions = alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' as const } : key;
  return {
    kid,
    alg,
    publicJwk,
    signJwt(payload, header = {}) {
      const input = `${b64({ ...header, alg, kid })}.${b64(payload)}`;
      return `${input}.${sign(digest, Buffer.from(input), signOptions).toString('base64url')}`;
    },
  };
}
