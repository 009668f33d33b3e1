import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EmulatorClient } from '../../emulator/client.js';
import { mulberry32 } from '../../emulator/data/random.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/env.js';
import { killMidExport, signedIn } from '../helpers/signed-in.js';

/**
 * The randomized lifecycle test of scheduled exports (seeded, so a failure repeats): between ten
 * runs, calls start at random offsets (up to 3 h back) and last up to 2 h, finish early, change,
 * vanish, and the clock jumps; one run of each kind is SIGKILLed mid-way. The plain runs' files
 * hold every final call once; the --changes runs, applied as upserts, equal the ground truth.
 */

const SEED = Number(process.env.LIFECYCLE_SEED ?? 20261129);
const s = await signedIn({ callLog: 200 });
const control = new EmulatorClient(s.emulator.url);
const rng = mulberry32(SEED);
const between = (low: number, high: number) => Math.floor(low + rng() * (high - low + 1));
const pickFrom = <T>(items: T[]): T | undefined => items[Math.floor(rng() * items.length)];

type Line = Record<string, unknown> & { id: string };
const linesOf = (file: string): Line[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Line)
    : [];

describe(`scheduled exports over a living call log (seed ${SEED})`, () => {
  it('plain runs: every final call exactly once; --changes as upserts: the ground truth, lastModifiedTime included', async () => {
    const dir = tempDir();
    const plainState = join(dir, 'plain.json');
    const changesState = join(dir, 'changes.json');
    const from = new Date(Date.now() - 40 * 86_400_000).toISOString();
    const plainFiles: string[] = [];
    const changeFiles: string[] = [];
    const export1 = async (kind: 'plain' | 'changes', run: number, extra: string[]) => {
      const file = join(dir, `${kind}-${run}.ndjson`);
      const state = kind === 'plain' ? plainState : changesState;
      const args = ['call-log', '--since-state', state, '-f', 'ndjson', '-o', file, ...(kind === 'changes' ? ['--changes'] : []), ...extra];
      const result = await runCli(args, { env: s.env, cwd: s.configDir });
      assert.equal(result.code, 0, `${kind} run ${run}: ${result.stderr}`);
      (kind === 'plain' ? plainFiles : changeFiles).push(file);
    };
    const killMidway = async (kind: 'plain' | 'changes', run: number) => {
      const file = join(dir, `${kind}-${run}-killed.ndjson`);
      const state = kind === 'plain' ? plainState : changesState;
      const before = readFileSync(state, 'utf8');
      await killMidExport(s, ['call-log', '--since-state', state, '-o', file, ...(kind === 'changes' ? ['--changes'] : [])], 800);
      assert.equal(readFileSync(state, 'utf8'), before, 'a killed run leaves the state as it was');
      assert.equal(existsSync(file), false, 'and no output file');
    };

    const added: string[] = [];
    const deleted = new Set<string>();
    for (let run = 0; run < 10; run++) {
      if (run > 0) {
        const newCalls = await control.addCalls({ count: between(1, 6), startedAgo: between(0, 3 * 3600), duration: between(0, 2 * 3600) });
        added.push(...newCalls);
        for (let i = between(0, 2); i > 0; i--) await control.finishCall(pickFrom(added) ?? '');
        const truth = await control.callLog({ final: true });
        for (let i = between(0, 3); i > 0; i--) {
          const target = pickFrom(rng() < 0.5 ? added : truth.map((r) => r.id));
          if (target) await control.modifyCall(target);
        }
        if (rng() < 0.6) {
          const target = pickFrom(rng() < 0.7 ? added : truth.map((r) => r.id));
          if (target) {
            await control.deleteCall(target);
            deleted.add(target);
          }
        }
        // Sometimes a few seconds (a final record still inside its lag), sometimes most of an hour.
        await control.advance(rng() < 0.3 ? between(1, 25) : between(60, 2400));
      }
      if (run === 4) await killMidway('plain', run);
      if (run === 6) await killMidway('changes', run);
      await export1('plain', run, run === 0 ? ['--from', from] : []);
      await export1('changes', run, run === 0 ? ['--from', from] : []);
    }
    // Everything ends and settles; one more run of each.
    for (const id of added) await control.finishCall(id);
    await control.advance(60);
    await export1('plain', 10, []);
    await export1('changes', 10, []);

    const final = (await control.callLog({ final: true, view: 'Detailed' })).filter((r) => r.startTime >= from);
    const everExisted = new Set((await control.callLog({ final: true, deleted: true })).map((r) => r.id));

    const exported = plainFiles.flatMap(linesOf);
    const ids = exported.map((r) => r.id);
    assert.equal(exported.filter((r) => r.result === 'In Progress').length, 0, 'no In Progress record');
    assert.equal(new Set(ids).size, ids.length, `no call twice: ${ids.filter((id, i) => ids.indexOf(id) !== i).join(', ')}`);
    const missing = final.filter((r) => !ids.includes(r.id)).map((r) => r.id);
    assert.deepEqual(missing, [], 'no final call missing');
    assert.deepEqual(
      ids.filter((id) => !everExisted.has(id)),
      [],
      'nothing that never existed',
    );
    assert.ok(
      ids.every((id) => final.some((r) => r.id === id) || deleted.has(id)),
      'anything beyond the truth was deleted after its export',
    );

    const table = new Map<string, Line>();
    for (const line of changeFiles.flatMap(linesOf)) {
      if (line.deleted === true) table.delete(line.id);
      else table.set(line.id, line);
    }
    assert.deepEqual([...table.keys()].sort(), final.map((r) => r.id).sort(), 'upserts give the final, undeleted calls');
    for (const record of final) {
      assert.equal(table.get(record.id)?.lastModifiedTime, record.lastModifiedTime, `lastModifiedTime of ${record.id}`);
      assert.notEqual(table.get(record.id)?.result, 'In Progress');
    }
    assert.ok(added.length >= 9 && deleted.size >= 1, `the scenario did something (${added.length} added, ${deleted.size} deleted)`);
  });
});
