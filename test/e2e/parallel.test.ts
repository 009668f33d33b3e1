import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRateLimits } from '../../emulator/options.js';
import { startCli } from '../helpers/cli.js';
import { signedIn } from '../helpers/signed-in.js';

/**
 * Two exports at once for the same user and app share one Heavy budget: they take turns through
 * the shared pacing file, and never draw a 429 (one would start the penalty for both).
 */

describe('parallel exports of one user and app', () => {
  it('both finish, with every record and not one 429, also right after another export', async () => {
    const s = await signedIn({ callLog: 3000, rateLimits: parseRateLimits('heavy=10/2') });
    const args = ['call-log', '--scope', 'account', '--from', '31d', '--page-size', '100', '-f', 'ndjson', '--no-progress'];
    // One export first: the two that follow start while its requests are still in the server's window.
    const alone = await startCli(args, { env: s.env, cwd: s.configDir }).done;
    assert.equal(alone.code, 0, alone.stderr);
    const runs = [startCli(args, { env: s.env, cwd: s.configDir }), startCli(args, { env: s.env, cwd: s.configDir })];
    const results = await Promise.all(runs.map((run) => run.done));
    for (const result of results) {
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout.trim().split('\n').length, 3000);
    }
    const stats = (await (await fetch(`${s.emulator.url}/__emulator/stats`)).json()) as { throttled: number; groups: { heavy: number } };
    assert.equal(stats.throttled, 0, 'no request landed beyond the limit');
    assert.equal(stats.groups.heavy, 90, 'each page asked for once');
  });
});
