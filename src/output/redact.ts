const SECRET_PARAMS = /((?:^|[?&#\s])(?:code|access_token|refresh_token|code_verifier|client_secret|assertion|token|state)=)[^&#\s]+/gim;
const BEARER = /\b(bearer|basic)\s+[\w\-.~+/=]+/gi;
const TOKEN_LIKE = /\bU1BC[\w-]{20,}/g;
const JWT_LIKE = /\beyJ[\w-]+\.[\w-]+\.[\w-]+/g;

/** Masks anything that looks like a credential, so debug output is safe to paste into an issue. */
export function redact(text: string): string {
  return text.replace(SECRET_PARAMS, '$1***').replace(BEARER, '$1 ***').replace(TOKEN_LIKE, '***').replace(JWT_LIKE, '***');
}
