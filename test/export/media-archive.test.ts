import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  ATTACHMENTS,
  attachmentsOf,
  formatBytes,
  MediaArchive,
  mediaPath,
  RECORDINGS,
  recordingsOf,
  safeName,
} from '../../src/export/media-archive.js';
import { createLogger } from '../../src/output/logger.js';
import { tempDir } from '../helpers/env.js';

/** The pure parts of the recording archive, and how it reads a manifest a crash cut short. */

const quietLogger = () => {
  const lines: string[] = [];
  const stream = { write: (text: string) => lines.push(text) > 0 } as unknown as NodeJS.WritableStream;
  return { lines, logger: createLogger({ stream }) };
};

describe('recordingsOf', () => {
  it("the call's recording and its legs' own, each once", () => {
    const recording = { id: '1', contentUri: 'https://media.ringcentral.com/a' };
    const record = {
      id: 'C1',
      startTime: '2026-11-29T10:00:00.000Z',
      recording,
      legs: [{ recording }, { recording: { id: '2', contentUri: 'https://media.ringcentral.com/b' } }, {}],
    };
    assert.deepEqual(
      recordingsOf(record).map((r) => [r.fields.callId, r.key, r.contentUri]),
      [
        ['C1', '1', 'https://media.ringcentral.com/a'],
        ['C1', '2', 'https://media.ringcentral.com/b'],
      ],
    );
    assert.deepEqual(recordingsOf({ id: 'C2', startTime: 'x' }), []);
    assert.deepEqual(recordingsOf({ id: 'C3', recording: { id: '3' } }), [], 'no contentUri: nothing to fetch');
  });
});

describe('attachmentsOf', () => {
  it("a message's attachments, keyed by attachment id, named by message and attachment", () => {
    const items = attachmentsOf({
      id: 17,
      creationTime: '2026-11-29T10:00:00.000Z',
      attachments: [
        { id: 170, uri: 'https://media.ringcentral.com/a', type: 'AudioRecording' },
        { id: 171, type: 'Text' },
      ],
    });
    assert.deepEqual(
      items.map((i) => [i.key, i.names, i.fields]),
      [['170', ['17', '170'], { messageId: '17', attachmentId: '170', type: 'AudioRecording', creationTime: '2026-11-29T10:00:00.000Z' }]],
    );
    assert.match(mediaPath(items[0] as (typeof items)[0], 'application/pdf'), /_17_170\.pdf$/);
    assert.equal(ATTACHMENTS.keyField, 'attachmentId');
  });
});

describe('mediaPath', () => {
  it('YYYY/MM/DD/<local start>_<call>_<recording>.<ext from Content-Type>', () => {
    const path = mediaPath({ names: ['AbC-1', '42'], time: '2026-03-04T05:06:07.000Z' }, 'audio/wav');
    const start = new Date('2026-03-04T05:06:07.000Z');
    const day = `${start.getFullYear()}/${String(start.getMonth() + 1).padStart(2, '0')}/${String(start.getDate()).padStart(2, '0')}`;
    assert.ok(path.startsWith(`${day}/`), path);
    assert.match(path, /\/\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d[+-]\d{4}_AbC-1_42\.wav$/);
    assert.match(mediaPath({ names: ['c', '1'], time: '2026-03-04T05:06:07Z' }, 'audio/mpeg; x=1'), /\.mp3$/);
    assert.match(mediaPath({ names: ['c', '1'], time: '2026-03-04T05:06:07Z' }, 'text/html'), /\.bin$/);
  });

  it('ids from the server cannot climb out of the directory', () => {
    assert.equal(safeName('../../etc/passwd'), '______etc_passwd');
    assert.equal(safeName(''), '_');
    const path = mediaPath({ names: ['../x', '/1'], time: 'not a date' }, 'audio/wav');
    assert.equal(path, '0000/00/00/unknown____x__1.wav');
  });

  it('formatBytes', () => {
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(1536), '1.5 KB');
    assert.equal(formatBytes(50 * 1024 * 1024), '50 MB');
  });
});

describe('MediaArchive.open', () => {
  it('drops a manifest line a crash cut short, keeps the whole ones, and creates DIR owner-only', async () => {
    const dir = join(tempDir(), 'archive');
    const { logger } = quietLogger();
    const first = await MediaArchive.open(dir, RECORDINGS, logger);
    await first.close();
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    const whole = `${JSON.stringify({ recordingId: '1', path: 'a' })}\n`;
    writeFileSync(join(dir, 'manifest.ndjson'), `${whole}{"recordingId":"2","pa`);
    const archive = await MediaArchive.open(dir, RECORDINGS, logger);
    await archive.close();
    assert.equal(readFileSync(join(dir, 'manifest.ndjson'), 'utf8'), whole);
  });

  it('a file where DIR should be is a usage error', async () => {
    const file = join(tempDir(), 'file');
    writeFileSync(file, '');
    await assert.rejects(MediaArchive.open(file, RECORDINGS, quietLogger().logger), /--recordings: .* is not a directory/);
  });

  it('two runs on one DIR take turns (the second waits, then exit 75)', async () => {
    const dir = join(tempDir(), 'archive');
    const { logger } = quietLogger();
    const first = await MediaArchive.open(dir, RECORDINGS, logger);
    try {
      await assert.rejects(
        MediaArchive.open(dir, RECORDINGS, logger, 300),
        (error: Error & { exitCode?: number }) => error.exitCode === 75 && /another run is archiving into/.test(error.message),
      );
    } finally {
      await first.close();
    }
  });
});
