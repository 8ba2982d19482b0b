/**
 * AES-256-GCM for secret values at rest. Each envelope names the key that sealed it (`kid`), so
 * the master key can be rotated: new writes use the current key, old envelopes still open with
 * the previous keys until they are re-encrypted.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export interface SecretEnvelope {
  /** Key id: the first 8 base64url characters of SHA-256(key). */
  kid: string;
  /** 96-bit nonce (NIST SP 800-38D §8.2), base64url. */
  iv: string;
  /** Ciphertext followed by the 128-bit tag, base64url. */
  ct: string;
}

export interface Keyring {
  /** Encrypts with the current key. */
  seal(plaintext: string, context: string): SecretEnvelope;
  /** Decrypts with whichever key the envelope names; throws when that key is unknown or the tag fails. */
  open(envelope: SecretEnvelope, context: string): string;
  readonly currentKid: string;
}

export function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 8);
}

/**
 * `context` (the secret's source and key) is bound as additional authenticated data, so an
 * envelope copied onto another key does not decrypt there.
 */
export function createKeyring(current: Buffer, previous: readonly Buffer[] = []): Keyring {
  const keys = new Map<string, Buffer>();
  for (const key of [...previous, current]) {
    if (key.length !== 32) throw new TypeError('invalid master key: expected 32 bytes');
    keys.set(keyId(key), key);
  }
  const currentKid = keyId(current);
  return {
    currentKid,
    seal(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current, iv);
      cipher.setAAD(Buffer.from(context));
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return { kid: currentKid, iv: iv.toString('base64url'), ct: ct.toString('base64url') };
    },
    open(envelope, context) {
      const key = keys.get(envelope.kid);
      if (!key) throw new Error(`secret sealed with unknown master key ${envelope.kid}`);
      const data = Buffer.from(envelope.ct, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(envelope.iv, 'base64url'));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(data.subarray(data.length - 16));
      return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString(
        'utf8',
      );
    },
  };
}
