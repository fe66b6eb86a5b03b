import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseEncryptionKey } from '../../../src/config/spotify.ts';
import { TokenCipher, TokenDecryptError } from '../../../src/spotify/token-cipher.ts';
import { plainForms } from './plain-forms.ts';

const KEY = randomBytes(32);
const G = '100000000000000001';

describe('TOKEN_ENCRYPTION_KEY', () => {
  it('reads 64 hex characters, base64 and base64url as the same 32 bytes', () => {
    expect(parseEncryptionKey(KEY.toString('hex'))).toEqual(KEY);
    expect(parseEncryptionKey(KEY.toString('hex').toUpperCase())).toEqual(KEY);
    expect(parseEncryptionKey(KEY.toString('base64'))).toEqual(KEY);
    expect(parseEncryptionKey(` ${KEY.toString('base64url')}\n`)).toEqual(KEY);
  });

  it.each([
    ['too short in hex', 'ab'.repeat(31)],
    ['16 bytes of base64', randomBytes(16).toString('base64')],
    ['a passphrase', 'correct horse battery staple'],
    ['empty', ''],
  ])('refuses a key that is %s', (_, key) => {
    expect(() => parseEncryptionKey(key)).toThrow(/TOKEN_ENCRYPTION_KEY must be 32 bytes/);
  });
});

describe('TokenCipher', () => {
  const cipher = new TokenCipher(KEY);
  const secret = 'BQDa-access-token-value_0123456789';

  it('opens what it sealed', () => {
    expect(cipher.open(cipher.seal(secret, G), G)).toBe(secret);
  });

  it('never shows the token in clear, hex or base64, and seals the same value differently each time', () => {
    const a = cipher.seal(secret, G);
    const b = cipher.seal(secret, G);
    expect(a).not.toBe(b);
    for (const form of plainForms(secret)) expect(a).not.toContain(form);
  });

  it('refuses another key', () => {
    const sealed = cipher.seal(secret, G);
    expect(() => new TokenCipher(randomBytes(32)).open(sealed, G)).toThrow(TokenDecryptError);
  });

  it("refuses a value moved to another guild's row", () => {
    const sealed = cipher.seal(secret, G);
    expect(() => cipher.open(sealed, '100000000000000002')).toThrow(TokenDecryptError);
  });

  it('refuses a changed or truncated value', () => {
    const sealed = cipher.seal(secret, G);
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;
    expect(() => cipher.open(`v1.${raw.toString('base64url')}`, G)).toThrow(TokenDecryptError);
    expect(() => cipher.open(sealed.slice(0, 20), G)).toThrow(TokenDecryptError);
    expect(() => cipher.open('v2.abc', G)).toThrow(TokenDecryptError);
  });
});
