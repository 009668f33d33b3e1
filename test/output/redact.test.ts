import assert from 'node:assert/strict';
import { it } from 'node:test';
import { redact } from '../../src/output/redact.js';

it('redact masks codes, tokens, secrets, verifiers, JWTs and Authorization values, and leaves the rest', () => {
  const text = [
    'GET http://localhost:5000/oauth2callback?code=U1BCxyz&state=abc123 200',
    'POST /restapi/oauth/token client_secret=s3cret&code_verifier=verifier123&refresh_token=U1BCrefresh',
    'Authorization: Bearer U1BCaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    'Authorization: Basic ZW11bGF0b3I6c2VjcmV0',
    'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl',
    'token U1BCAAAAAAAAAAAAAAAAAAAAAAAAAA in text',
  ].join('\n');
  const out = redact(text);
  for (const secret of [
    'U1BCxyz',
    'abc123',
    's3cret',
    'verifier123',
    'U1BCrefresh',
    'ZW11bGF0b3I6c2VjcmV0',
    'eyJhbGciOiJIUzI1NiJ9',
    'U1BCAAAA',
  ]) {
    assert.ok(!out.includes(secret), `${secret} leaked: ${out}`);
  }
  assert.match(out, /oauth2callback\?code=\*\*\*&state=\*\*\* 200/);
  assert.match(out, /Bearer \*\*\*/);
});
