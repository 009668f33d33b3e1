import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { EmulatorClient, type TruthRecording } from '../../emulator/client.js';
import { parseRateLimits } from '../../emulator/options.js';
import { runCli, startCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/env.js';
import { type SignedIn, signedIn } from '../helpers/signed-in.js';

/**
 * `call-log --recordings DIR`: every recording of the exported calls once, with the right bytes,
 * under faults and a tight Heavy limit; runs SIGKILLed mid-download and rerun end identical; a
 * contentUri on a foreign host never gets the token; a missing permission is exit 4 up front.
 */

const WITH_RECORDINGS = ['ReadAccounts', 'ReadCallLog', 'ReadCallRecording'];
const FROM = new Date(Date.now() - 40 * 86_400_000).toISOString();

interface Entry {
  callId: string;
  recordingId: string;
  path: string;
  bytes: number;
  contentType: string;
  sha256: string;
}

const manifestOf = (dir: string): Entry[] =>
  existsSync(join(dir, 'manifest.ndjson'))
    ? readFileSync(join(dir, 'manifest.ndjson'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Entry)
    : [];

/** Every file under DIR (relative), but the manifest, its lock and the partial-download folder. */
function filesIn(dir: string): string[] {
  const found: string[] = [];
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) {
        if (name !== '.partial' && !name.endsWith('.lock')) walk(path);
      } else if (name !== 'manifest.ndjson') found.push(relative(dir, path));
    }
  };
  walk(dir);
  return found.sort();
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** The archive holds exactly the ground truth's recordings, once each, each file with its sha256. */
function assertArchive(dir: string, truth: TruthRecording[]): void {
  const entries = manifestOf(dir);
  const ids = entries.map((e) => e.recordingId);
  assert.equal(new Set(ids).size, ids.length, 'no recording twice in the manifest');
  assert.deepEqual([...ids].sort(), truth.map((t) => t.recordingId).sort(), 'the manifest lists every recording');
  const byId = new Map(truth.map((t) => [t.recordingId, t]));
  for (const entry of entries) {
    const expected = byId.get(entry.recordingId);
    assert.equal(entry.callId, expected?.callId);
    assert.equal(entry.sha256, expected?.sha256, `sha256 of ${entry.recordingId}`);
    assert.equal(entry.bytes, expected?.bytes);
    assert.equal(entry.contentType, expected?.contentType);
    assert.match(entry.path, /^\d{4}\/\d\d\/\d\d\/\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d[+-]\d{4}_[A-Za-z0-9_-]+_\d+\.(mp3|wav)$/);
    assert.equal(entry.path.endsWith(expected?.contentType === 'audio/mpeg' ? '.mp3' : '.wav'), true);
    assert.equal(sha256(join(dir, entry.path)), entry.sha256, `file ${entry.path}`);
  }
  assert.deepEqual(filesIn(dir), entries.map((e) => e.path).sort(), 'no other file, no partial file under a final name');
  assert.deepEqual(readdirSync(join(dir, '.partial')), [], 'no partial download left');
}

describe('call-log --recordings', () => {
  it('2,000 calls, ~30% recorded, faults and heavy=10/2: every recording once with the right sha256, 0 × 429', async () => {
    const s = await signedIn({
      callLog: 2000,
      scopes: WITH_RECORDINGS,
      recordingShare: 0.45,
      rateLimits: parseRateLimits('heavy=10/2'),
    });
    const truth = await new EmulatorClient(s.emulator.url).recordings();
    const recordedCalls = new Set(truth.map((t) => t.callId)).size;
    assert.ok(recordedCalls > 500 && recordedCalls < 700, `${recordedCalls} of 2,000 calls recorded`);
    assert.ok(truth.length > recordedCalls, 'some legs carry a recording of their own');
    s.emulator.setFaults('500:0.05,503:0.05,reset:0.05');
    const dir = tempDir();
    const archive = join(dir, 'archive');
    const result = await runCli(
      ['call-log', '--from', FROM, '-o', join(dir, 'calls.ndjson'), '--recordings', archive, '--max-wait', '600'],
      {
        env: s.env,
        cwd: s.configDir,
        timeoutMs: 400_000,
      },
    );
    assert.equal(result.code, 0, result.stderr);
    const calls = readFileSync(join(dir, 'calls.ndjson'), 'utf8').split('\n').filter(Boolean);
    assert.equal(calls.length, 2000);
    assertArchive(archive, truth);
    const stats = await new EmulatorClient(s.emulator.url).stats();
    assert.equal(stats.throttled, 0, '0 × 429');
    assert.ok(stats.faults > 20, `${stats.faults} faults injected`);
    assert.match(result.stderr, new RegExp(`Archived ${truth.length.toLocaleString('en-US')} recordings`));
  });
});
