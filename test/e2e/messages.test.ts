import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { EmulatorClient, type TruthMessage } from '../../emulator/client.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/env.js';
import { signedIn, signedInAs } from '../helpers/signed-in.js';

/**
 * `ringcentral messages`: the message store exported in every format equals the ground truth;
 * --all-extensions walks every mailbox; --attachments archives each attachment once with the right
 * bytes; --since-state writes each message once across runs.
 */

const SCOPES = ['ReadAccounts', 'ReadCallLog', 'ReadMessages'];
const FROM = new Date(Date.now() - 31 * 86_400_000).toISOString();
const s = await signedIn({ messages: 900, scopes: SCOPES });
const control = new EmulatorClient(s.emulator.url);
const run = (args: string[]) => runCli(args, { env: s.env, cwd: s.configDir, timeoutMs: 120_000 });

/** The API's record: the ground truth without its bytes and sha256. */
const apiRecord = ({ attachments, ...rest }: TruthMessage) => ({
  ...rest,
  attachments: attachments.map(({ bytes: _bytes, sha256: _sha, ...attachment }) => attachment),
});
const lines = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** The signed-in user's (demo@example.com, extension 101) mailbox in the ground truth. */
async function myMailbox(): Promise<TruthMessage[]> {
  const me = s.emulator.context.dataset.extensions.find((ext) => ext.extensionNumber === '101')?.id;
  return (await control.messages()).filter((m) => m.extensionId === String(me));
}

describe('messages', () => {
  it('json, ndjson, csv and tsv each hold exactly the mailbox the ground truth has', async () => {
    const truth = await myMailbox();
    assert.ok(truth.length > 100, `${truth.length} messages`);
    const dir = tempDir();
    for (const format of ['json', 'ndjson', 'csv', 'tsv']) {
      const file = join(dir, `messages.${format}`);
      const result = await run(['messages', '--from', FROM, '-o', file]);
      assert.equal(result.code, 0, result.stderr);
      const text = readFileSync(file, 'utf8');
      if (format === 'json' || format === 'ndjson') {
        const records = format === 'json' ? (JSON.parse(text) as Record<string, unknown>[]) : lines(text);
        assert.deepEqual(records, truth.map(apiRecord), format);
      } else {
        const rows = parse(text, { columns: true, delimiter: format === 'tsv' ? '\t' : ',' }) as Record<string, string>[];
        assert.deepEqual(
          rows.map((r) => [r.id, r.creationTime, r.type, r.direction, r.readStatus, r.subject, r.to]),
          truth.map((m) => [String(m.id), m.creationTime, m.type, m.direction, m.readStatus, m.subject, JSON.stringify(m.to)]),
          format,
        );
      }
    }
  });

  it('filters by type, direction and read status as the API does', async () => {
    const truth = (await myMailbox()).filter(
      (m) => ['VoiceMail', 'Fax'].includes(m.type) && m.direction === 'Inbound' && m.readStatus === 'Unread',
    );
    const result = await run(['messages', '--from', FROM, '--type', 'voicemail,FAX', '--direction', 'inbound', '--read-status', 'unread']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(
      lines(result.stdout).map((m) => m.id),
      truth.map((m) => m.id),
    );
    const bad = await run(['messages', '--type', 'letter']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--type: unknown message type "letter"/);
  });

  it('--all-extensions: every mailbox (an admin); a user who is not an admin gets exit 4 with a hint', async () => {
    const truth = await control.messages();
    const result = await run(['messages', '--all-extensions', '--from', FROM, '--json', 'id,extensionId']);
    assert.equal(result.code, 0, result.stderr);
    const ids = (JSON.parse(result.stdout) as { id: number }[]).map((m) => m.id).sort();
    assert.deepEqual(ids, truth.map((m) => m.id).sort());
    const scoped = await run(['messages', '--scope', 'account', '--from', FROM, '--json', 'id']);
    assert.equal(scoped.code, 0, scoped.stderr);
    assert.deepEqual((JSON.parse(scoped.stdout) as { id: number }[]).map((m) => m.id).sort(), ids, '--scope account is --all-extensions');
    const both = await run(['messages', '--scope', 'extension', '--all-extensions']);
    assert.equal(both.code, 2);
    const user = await signedInAs('user@example.com', 'user-password', { messages: 100, scopes: SCOPES });
    const refused = await runCli(['messages', '--all-extensions'], { env: user.env, cwd: user.configDir });
    assert.equal(refused.code, 4, refused.stderr);
    assert.match(refused.stderr, /hint: --all-extensions reads every user's mailbox: sign in as an admin/);
  });

  it('--attachments: every attachment of the exported messages once, with the ground truth bytes', async () => {
    const truth = (await myMailbox()).filter((m) => Date.parse(m.creationTime) >= Date.now() - 10 * 86_400_000);
    const dir = tempDir();
    const archive = join(dir, 'attachments');
    const result = await run(['messages', '--from', '10d', '-o', join(dir, 'm.ndjson'), '--attachments', archive]);
    assert.equal(result.code, 0, result.stderr);
    const manifest = lines(readFileSync(join(archive, 'manifest.ndjson'), 'utf8')) as Record<string, string>[];
    const expected = truth.flatMap((m) => m.attachments.map((a) => ({ messageId: String(m.id), ...a })));
    assert.deepEqual(manifest.map((e) => e.attachmentId).sort(), expected.map((a) => String(a.id)).sort());
    for (const entry of manifest) {
      const attachment = expected.find((a) => String(a.id) === entry.attachmentId);
      assert.equal(entry.messageId, attachment?.messageId);
      assert.equal(entry.sha256, attachment?.sha256);
      assert.equal(entry.contentType, attachment?.contentType);
      const bytes = readFileSync(join(archive, entry.path ?? ''));
      assert.equal(createHash('sha256').update(bytes).digest('hex'), entry.sha256);
    }
    assert.ok(manifest.some((e) => e.path?.endsWith('.pdf')) && manifest.some((e) => e.path?.endsWith('.mp3')));
    const again = await run(['messages', '--from', '10d', '-o', join(dir, 'm2.ndjson'), '--attachments', archive]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(lines(readFileSync(join(archive, 'manifest.ndjson'), 'utf8')).length, manifest.length, 'a rerun fetches nothing again');
    assert.match(again.stderr, /Archived 0 attachments .*were there already/);
  });

  it('--since-state: each message once across runs, new ones in the next run', async () => {
    const dir = tempDir();
    const state = join(dir, 'state.json');
    const first = await run(['messages', '--since-state', state, '--from', '3d', '-o', join(dir, '1.ndjson')]);
    assert.equal(first.code, 0, first.stderr);
    const added = await control.addMessages({ count: 4, extensionNumber: '101' });
    await control.advance(2);
    const second = await run(['messages', '--since-state', state, '-o', join(dir, '2.ndjson')]);
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(
      lines(readFileSync(join(dir, '2.ndjson'), 'utf8'))
        .map((m) => String(m.id))
        .sort(),
      [...added].sort(),
    );
    const third = await run(['messages', '--since-state', state, '-o', join(dir, '3.ndjson')]);
    assert.equal(third.code, 0, third.stderr);
    assert.equal(readFileSync(join(dir, '3.ndjson'), 'utf8'), '');
    const wrong = await run(['call-log', '--since-state', state]);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /belongs to the messages of one mailbox/);
  });

  it('without ReadMessages: exit 4 naming it', async () => {
    const plain = await signedIn({ messages: 50 });
    const result = await runCli(['messages'], { env: plain.env, cwd: plain.configDir });
    assert.equal(result.code, 4, result.stderr);
    assert.match(result.stderr, /ReadMessages/);
    assert.match(result.stderr, /hint: add "Read Messages"/);
  });
});
