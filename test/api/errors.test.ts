import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HttpFailure, readFailure, toCliError } from '../../src/api/errors.js';
import { AuthError, ExitCode, PermissionError, TemporaryError } from '../../src/errors.js';

const failure = (status: number, body: string, headers: Record<string, string> = {}) =>
  new HttpFailure(new Response(body, { status, headers: { 'Content-Type': 'application/json', ...headers } }));

describe('readFailure and toCliError', () => {
  it('reads OAuth and REST error bodies, and Retry-After', async () => {
    const oauth = await readFailure(failure(400, '{"error":"invalid_grant","error_description":"Token not found","errorCode":"OAU-213"}'));
    assert.deepEqual([oauth.status, oauth.error, oauth.code, oauth.message], [400, 'invalid_grant', 'OAU-213', 'Token not found']);
    const rest = await readFailure(
      failure(
        429,
        '{"errorCode":"CMN-301","message":"Request rate exceeded","errors":[{"errorCode":"CMN-301","message":"Request rate exceeded"}]}',
        {
          'Retry-After': '7',
        },
      ),
    );
    assert.deepEqual([rest.code, rest.retryAfter], ['CMN-301', '7']);
    const network = await readFailure(new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) }));
    assert.deepEqual([network.status, network.message], [undefined, 'ECONNRESET']);
  });

  it('maps to exit codes by kind: 401 → 4, 403 → PermissionError, 429/5xx/network/HTML → 75', async () => {
    assert.ok((await toCliError(failure(401, '{"errorCode":"AGW-401","message":"Token expired"}'), 'https://x')) instanceof AuthError);
    const denied = await toCliError(
      failure(403, '{"errors":[{"errorCode":"CMN-408","message":"no","permissionName":"FullCompanyCallLog"}]}'),
      'https://x',
    );
    assert.ok(denied instanceof PermissionError);
    assert.equal(denied.permission, 'FullCompanyCallLog');
    assert.match(denied.hint ?? '', /FullCompanyCallLog/);
    for (const error of [failure(503, '{}'), failure(502, '<html>bad gateway</html>'), new TypeError('fetch failed')]) {
      const mapped = await toCliError(error, 'https://x');
      assert.ok(mapped instanceof TemporaryError);
      assert.equal(mapped.exitCode, ExitCode.temporary);
    }
    assert.match((await toCliError(failure(502, '<html>x</html>'), 'https://x')).message, /HTML page instead of RingCentral's JSON/);
    assert.equal((await toCliError(failure(400, '{"message":"bad"}'), 'https://x')).exitCode, ExitCode.failure);
  });
});

describe('a hostile error body', () => {
  it('a 2 MB message is cut to 300 characters, saying how much was left out', async () => {
    const failure = await readFailure(new HttpFailure(new Response(JSON.stringify({ message: 'x'.repeat(2_000_000) }), { status: 400 })));
    assert.equal(failure.message.length < 400, true);
    assert.match(failure.message, /… \(1999700 more characters\)$/);
  });
});
