import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { OutStream } from '../io.js';
import { chosenFields, type FieldCatalog } from '../output/fields.js';
import type { Format } from '../output/formats.js';
import { checkOutputTarget } from '../output/sinks.js';

/**
 * What a dated export (`call-log`, `messages`) checks before anything else: the fields (`--fields`
 * alone lists them: nothing more to do), the output target, and the options that go with
 * --since-state. Returns the chosen fields, or undefined when the fields were listed.
 */
export function prepareExport(
  options: {
    fields?: string | boolean | undefined;
    json?: string | undefined;
    format?: Format | undefined;
    output?: string | undefined;
    sinceState?: string | undefined;
    resetState?: boolean | undefined;
  },
  catalog: FieldCatalog,
  stdout: OutStream,
): { fields: string[] | undefined } | undefined {
  const chosen = chosenFields(options, catalog);
  if (chosen.list) {
    stdout.write(`${catalog.all.join('\n')}\n`);
    return undefined;
  }
  if (chosen.format) options.format = chosen.format;
  if (options.output) checkOutputTarget(options.output);
  if (options.output && options.sinceState && resolve(options.output) === resolve(options.sinceState)) {
    throw new UsageError(
      '--output and --since-state name the same file',
      'the state file is rewritten after every run: give each its own file',
    );
  }
  if (options.resetState && options.sinceState === undefined) throw new UsageError('--reset-state goes with --since-state FILE');
  return { fields: chosen.fields };
}
