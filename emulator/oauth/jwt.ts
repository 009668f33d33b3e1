import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

/** HS256 JWT credentials, shaped like the ones the RingCentral Developer Console issues. */

export interface JwtClaims {
  aud: string;
  sub: string;
  iss: string;
  iat: number;
  exp: number;
  jti: string;
}

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export function signJwt(claims: Omit<JwtClaims, 'jti' | 'iat'> & { iat?: number }, secret: string): string {
  const body = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ jti: randomUUID(), iat: Math.floor(Date.now() / 1000), ...claims })}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

export type JwtCheck = { ok: true; claims: JwtClaims } | { ok: false; reason: 'malformed' | 'signature' | 'expired' };

export function verifyJwt(jwt: string, secret: string, now: number): JwtCheck {
  const parts = jwt.split('.');
  const [header, payload, signature] = parts;
  if (parts.length !== 3 || !header || !payload || !signature) return { ok: false, reason: 'malformed' };
  let claims: Partial<JwtClaims>;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<JwtClaims>;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature' };
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now) return { ok: false, reason: 'expired' };
  return { ok: true, claims: claims as JwtClaims };
}
