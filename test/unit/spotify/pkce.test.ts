import { describe, expect, it } from 'vitest';
import { createPkcePair, pkceChallenge, randomState } from '../../../src/spotify/pkce.ts';

describe('PKCE', () => {
  it('computes the S256 challenge of RFC 7636 appendix B', () => {
    expect(pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('makes verifiers of 43-128 unreserved characters, each pair consistent and new', () => {
    const a = createPkcePair();
    const b = createPkcePair();
    expect(a.verifier).toMatch(/^[A-Za-z0-9._~-]{43,128}$/);
    expect(a.challenge).toBe(pkceChallenge(a.verifier));
    expect(a.challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(b.verifier).not.toBe(a.verifier);
  });

  it('makes states of 256 bits that do not repeat', () => {
    const states = new Set(Array.from({ length: 100 }, () => randomState()));
    expect(states.size).toBe(100);
    for (const s of states) expect(Buffer.from(s, 'base64url')).toHaveLength(32);
  });
});
