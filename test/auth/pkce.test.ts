import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { it } from 'node:test';
import { challengeFor, createPkce, createState } from '../../src/auth/pkce.js';

it('the verifier is 43 base64url chars and the challenge is BASE64URL(SHA256(verifier))', () => {
  const pkce = createPkce();
  assert.match(pkce.verifier, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(pkce.challenge, createHash('sha256').update(pkce.verifier).digest('base64url'));
  assert.equal(pkce.method, 'S256');
});

it('matches RFC 7636 appendix B', () => {
  assert.equal(challengeFor('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
});

it('draws from the CSPRNG: 32 random bytes each, never reused', () => {
  const sizes: number[] = [];
  const fake = (size: number) => {
    sizes.push(size);
    return Buffer.alloc(size, 7);
  };
  createPkce(fake);
  createState(fake);
  assert.deepEqual(sizes, [32, 32]);
  const seen = new Set(Array.from({ length: 200 }, () => `${createPkce().verifier}|${createState()}`));
  assert.equal(seen.size, 200);
  assert.match(createState(), /^[A-Za-z0-9_-]{43}$/);
});
