import { createHash, randomBytes } from 'node:crypto';

/** A PKCE pair (RFC 7636): the verifier stays here, the S256 challenge goes to the authorize URL. */
export interface PkcePair {
  verifier: string;
  challenge: string;
}

/**
 * A new verifier of 86 characters (64 random bytes in base64url, inside RFC 7636's 43..128 range of
 * unreserved characters) and its S256 challenge.
 */
export function createPkcePair(): PkcePair {
  const verifier = randomBytes(64).toString('base64url');
  return { verifier, challenge: pkceChallenge(verifier) };
}

/** The S256 challenge of a verifier: base64url(SHA-256(verifier)), without padding. */
export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** An unguessable OAuth `state` value (256 bits, base64url). */
export function randomState(): string {
  return randomBytes(32).toString('base64url');
}
