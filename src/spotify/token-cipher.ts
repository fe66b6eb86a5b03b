import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { parseEncryptionKey } from '../config/spotify.ts';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Prefix of every sealed value, so that a later format can be told apart. */
const VERSION = 'v1';

/** A sealed value could not be opened: another key, or a changed or truncated value. */
export class TokenDecryptError extends Error {
  override readonly name = 'TokenDecryptError';
}

/**
 * AES-256-GCM for the Spotify tokens at rest. Each value gets a fresh 96-bit IV; the associated data
 * (the guild id) binds a sealed value to its row, so that a value copied into another guild's row
 * does not open there.
 */
export class TokenCipher {
  private readonly key: Buffer;

  /** @throws Error when the key is not 32 bytes (see {@link parseEncryptionKey}). */
  constructor(key: Buffer | string) {
    this.key = typeof key === 'string' ? parseEncryptionKey(key) : Buffer.from(key);
    if (this.key.length !== KEY_BYTES) throw new Error('TokenCipher needs a 32-byte key');
  }

  /** `v1.<base64url(iv | tag | ciphertext)>` */
  seal(plaintext: string, associatedData: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  /** @throws TokenDecryptError when the value was not sealed with this key and associated data. */
  open(sealed: string, associatedData: string): string {
    const [version, payload] = sealed.split('.', 2);
    if (version !== VERSION || !payload) throw new TokenDecryptError('unknown sealed token format');
    const raw = Buffer.from(payload, 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new TokenDecryptError('sealed token is truncated');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(associatedData, 'utf8'));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new TokenDecryptError('sealed token does not open with this key');
    }
  }
}
