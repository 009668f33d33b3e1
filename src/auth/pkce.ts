import { createHash, randomBytes } from 'node:crypto';

/** RFC 7636: a 256-bit verifier (43 base64url chars) and its S256 challenge. */
export interface Pkce {
  verifier: string;
  challenge: string;
  method: 'S256';
}

export function createPkce(random: (size: number) => Buffer = randomBytes): Pkce {
  const verifier = random(32).toString('base64url');
  return { verifier, challenge: challengeFor(verifier), method: 'S256' };
}

export function challengeFor(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** RFC 6749 §10.12: an unguessable `state` bound to this one attempt (256 bits). */
export function createState(random: (size: number) => Buffer = randomBytes): string {
  return random(32).toString('base64url');
}
