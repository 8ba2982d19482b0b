/**
 * A signing key in memory: its public JWK for the JWKS and a compact-JWS signer on a cached
 * `KeyObject` (no per-token key import). The signature itself is computed on libuv's thread
 * pool: an ES256 signature costs ~30 µs of CPU, the largest share of a token request, and the
 * event loop keeps parsing and answering other requests meanwhile.
 */
import { createPrivateKey, generateKeyPairSync, sign, type JsonWebKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';

export type SigningAlg = 'ES256' | 'EdDSA' | 'RS256';

export interface SigningKey {
  kid: string;
  alg: SigningAlg;
  publicJwk: JWK;
  /** Signs a JWT: `header` gets `alg` and `kid`. */
  signJwt(payload: object, header?: Record<string, unknown>): Promise<string>;
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
  // The few headers in use ({ typ }) are encoded once per key.
  const headers = new Map<string, string>();
  const encodedHeader = (header: Record<string, unknown>): string => {
    const names = Object.keys(header);
    if (names.length !== 1 || typeof header.typ !== 'string') return b64({ ...header, alg, kid });
    let encoded = headers.get(header.typ);
    if (encoded === undefined) {
      encoded = b64({ typ: header.typ, alg, kid });
      headers.set(header.typ, encoded);
    }
    return encoded;
  };
  return {
    kid,
    alg,
    publicJwk,
    signJwt(payload, header = {}) {
      const input = `${encodedHeader(header)}.${b64(payload)}`;
      return new Promise((resolve, reject) => {
        // With a callback, node:crypto signs on the thread pool.
        sign(digest, Buffer.from(input), signOptions, (error, signature) => {
          if (error) reject(error);
          else resolve(`${input}.${signature.toString('base64url')}`);
        });
      });
    },
  };
}
