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
      recordingShare: 0.55,
      rateLimits: parseRateLimits('heavy=10/2'),
    });
    const truth = await new EmulatorClient(s.emulator.url).recordings();
    const recordedCalls = new Set(truth.map((t) => t.callId)).size;
    assert.ok(recordedCalls >= 560 && recordedCalls <= 660, `${recordedCalls} of 2,000 calls recorded (about 30%)`);
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

/** A small recorded account where downloads take a while (so a run can be stopped mid-download). */
function slowMedia(extra: Parameters<typeof signedIn>[0] = {}): Promise<SignedIn> {
  return signedIn({
    callLog: 300,
    scopes: WITH_RECORDINGS,
    recordingShare: 1,
    recordingBytes: 300_000,
    mediaBandwidth: 1_000_000,
    rateLimits: parseRateLimits('heavy=20/1'),
    ...extra,
  });
}

/** Resolves once the manifest lists more than `listed` recordings and a download is under way (a partial file with bytes in it). */
async function downloading(dir: string, listed: number, timeoutMs = 30_000): Promise<void> {
  const partial = join(dir, '.partial');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const names = existsSync(partial) ? readdirSync(partial) : [];
    const started = names.some((name) => (statSync(join(partial, name), { throwIfNoEntry: false })?.size ?? 0) > 0);
    if (started && manifestOf(dir).length > listed) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('no download started');
}

describe('call-log --recordings, interrupted', () => {
  it('SIGKILLed three times mid-download, then rerun: the same archive as an uninterrupted run, resumed with Range', async () => {
    const s = await slowMedia();
    const dir = tempDir();
    const to = new Date(Date.now() - 3600_000).toISOString();
    const from = new Date(Date.now() - 4 * 86_400_000).toISOString();
    const args = (archive: string) => ['call-log', '--from', from, '--to', to, '-o', join(dir, 'calls.ndjson'), '--recordings', archive];
    const whole = join(dir, 'whole');
    const reference = await runCli(args(whole), { env: s.env, cwd: s.configDir, timeoutMs: 120_000 });
    assert.equal(reference.code, 0, reference.stderr);
    const expected = manifestOf(whole);
    assert.ok(expected.length >= 8, `${expected.length} recordings in range`);
    const control = new EmulatorClient(s.emulator.url);
    const partialBefore = (await control.stats()).media.partial;

    const killed = join(dir, 'killed');
    for (let kill = 0; kill < 3; kill++) {
      const run = startCli(args(killed), { env: s.env, cwd: s.configDir, timeoutMs: 120_000 });
      // Each run first completes one more recording (the first resumes the one cut short), then is killed mid-download.
      await downloading(killed, manifestOf(killed).length);
      run.child.kill('SIGKILL');
      await run.done;
      const partial = readdirSync(join(killed, '.partial'));
      assert.ok(partial.length <= 1, `at most one partial download: ${partial}`);
      for (const entry of manifestOf(killed))
        assert.equal(sha256(join(killed, entry.path)), entry.sha256, 'what the manifest lists is whole');
      assert.deepEqual(
        filesIn(killed),
        manifestOf(killed)
          .map((e) => e.path)
          .sort(),
        'no file under its final name before it is complete',
      );
    }
    const rerun = await runCli(args(killed), { env: s.env, cwd: s.configDir, timeoutMs: 120_000 });
    assert.equal(rerun.code, 0, rerun.stderr);
    const sortById = (entries: Entry[]) => [...entries].sort((a, b) => a.recordingId.localeCompare(b.recordingId));
    assert.deepEqual(sortById(manifestOf(killed)), sortById(expected), 'the same manifest (order aside)');
    assert.deepEqual(filesIn(killed), filesIn(whole));
    for (const entry of expected) assert.equal(sha256(join(killed, entry.path)), entry.sha256);
    assert.deepEqual(readdirSync(join(killed, '.partial')), []);
    assert.ok((await control.stats()).media.partial > partialBefore, 'a partial download was resumed with Range');
    assert.match(rerun.stderr, /were there already/);
  });

  it('a nightly --since-state run archives each new recording once', async () => {
    const s = await slowMedia({ mediaBandwidth: undefined });
    const control = new EmulatorClient(s.emulator.url);
    const dir = tempDir();
    const archive = join(dir, 'archive');
    const nightly = (n: number) =>
      runCli(['call-log', '--since-state', join(dir, 'state.json'), '-o', join(dir, `calls-${n}.ndjson`), '--recordings', archive], {
        env: s.env,
        cwd: s.configDir,
        timeoutMs: 120_000,
      });
    const first = await nightly(1);
    assert.equal(first.code, 0, first.stderr);
    const afterFirst = manifestOf(archive).length;
    assert.ok(afterFirst > 0);
    const [id = ''] = await control.addCalls({ startedAgo: 120, duration: 60 });
    await control.advance(120);
    await control.modifyCall(id);
    await control.advance(60);
    const second = await nightly(2);
    assert.equal(second.code, 0, second.stderr);
    const added = manifestOf(archive).slice(afterFirst);
    const truth = (await control.recordings()).filter((r) => r.callId === id);
    assert.ok(truth.length > 0);
    assert.deepEqual(
      added.map((e) => `${e.callId} ${e.recordingId} ${e.sha256}`).sort(),
      truth.map((r) => `${r.callId} ${r.recordingId} ${r.sha256}`).sort(),
      'only the new call’s recordings, once',
    );
  });
});

/** A listener that records each request's headers and answers with `answer`. */
async function recorder(host: string, answer: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void) {
  const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    answer(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { seen, origin: `http://${host}:${(server.address() as AddressInfo).port}` };
}

const CDN_BYTES = Buffer.from('ID3 not really audio, but bytes from elsewhere');

describe('call-log --recordings, where the token goes', () => {
  it('a contentUri on a foreign host is skipped with a warning and never sent the token', async () => {
    const foreign = await recorder('127.0.0.2', (_req, res) => res.end('x'));
    const s = await slowMedia({ mediaOrigin: foreign.origin, mediaBandwidth: undefined });
    const dir = tempDir();
    const result = await runCli(['call-log', '--from', '3d', '-o', join(dir, 'calls.ndjson'), '--recordings', join(dir, 'a')], {
      env: s.env,
      cwd: s.configDir,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stderr,
      /recording \d+ of call \S+: its address is on 127\.0\.0\.2:\d+, not RingCentral's API or media servers: skipped \(the session is never sent there\)/,
    );
    assert.equal(foreign.seen.length, 0, 'nothing was sent to the foreign host');
    assert.deepEqual(manifestOf(join(dir, 'a')), []);
    assert.match(result.stderr, /skipped \(see the warnings above\)/);
  });

  it('a redirect from the media server to another host is followed without the token', async () => {
    const cdn = await recorder('127.0.0.2', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'audio/mpeg', 'Content-Length': CDN_BYTES.length });
      res.end(CDN_BYTES);
    });
    const media = await recorder('127.0.0.1', (req, res) => {
      res.writeHead(302, { Location: `${cdn.origin}/signed${req.url}?sig=secret-signature` });
      res.end();
    });
    const s = await slowMedia({ mediaOrigin: media.origin, mediaBandwidth: undefined });
    const dir = tempDir();
    const archive = join(dir, 'a');
    const result = await runCli(['call-log', '--from', '3d', '-o', join(dir, 'calls.ndjson'), '--recordings', archive, '--debug'], {
      env: s.env,
      cwd: s.configDir,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.ok(
      media.seen.length > 0 && media.seen.every((r) => /^Bearer /.test(r.headers.authorization ?? '')),
      'the media origin gets the token',
    );
    assert.equal(cdn.seen.length, media.seen.length);
    assert.ok(
      cdn.seen.every((r) => r.headers.authorization === undefined),
      'the other host never does',
    );
    const entries = manifestOf(archive);
    assert.equal(entries.length, media.seen.length);
    const expected = createHash('sha256').update(CDN_BYTES).digest('hex');
    assert.ok(entries.every((e) => e.sha256 === expected && e.path.endsWith('.mp3')));
    assert.doesNotMatch(result.stderr, /secret-signature/, 'a redirect’s signature is not logged');
  });

  it('without ReadCallRecording: exit 4 naming it, before any request for the call log or a recording', async () => {
    const s = await signedIn({ callLog: 300 });
    const dir = tempDir();
    const before = await new EmulatorClient(s.emulator.url).stats();
    const result = await runCli(['call-log', '--from', '3d', '--recordings', join(dir, 'a')], { env: s.env, cwd: s.configDir });
    assert.equal(result.code, 4, result.stderr);
    assert.match(result.stderr, /lacks the ReadCallRecording permission\); nothing was downloaded/);
    assert.match(result.stderr, /hint: add "Read Call Recording" to the app's permissions/);
    assert.equal(result.stdout, '');
    const stats = await new EmulatorClient(s.emulator.url).stats();
    assert.equal(stats.groups.heavy, before.groups.heavy, 'no call-log request');
    assert.equal(stats.media.whole + stats.media.partial, 0);
  });
});
