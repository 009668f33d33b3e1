import { CliError, UsageError } from '../errors.js';

/**
 * --jq EXPR: a real jq (jq-wasm, jq compiled to WebAssembly, loaded only when --jq is given) over
 * what a command prints as JSON. Strings come out raw and other values as compact JSON, as with
 * `gh --jq`. An expression that does not compile is a usage error before any request.
 */

export interface JqFilter {
  /** Runs the expression over `input` (one JSON document, or NDJSON: one run per line) and returns its output. */
  run(input: string): Promise<string>;
}

type JqModule = typeof import('jq-wasm');

async function loadJq(): Promise<JqModule> {
  const loaded = (await import('jq-wasm')) as JqModule & { default?: JqModule };
  return typeof loaded.raw === 'function' ? loaded : (loaded.default as JqModule);
}

/** The first line of jq's own message, without its "jq: error:" prefix. */
function jqMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n')[0] ?? text).replace(/^jq: error(?: \(at [^)]*\))?: /, '').trim();
}

export async function createJq(expression: string): Promise<JqFilter> {
  const jq = await loadJq();
  try {
    await jq.raw('null', expression, ['-c']);
  } catch (error) {
    const message = jqMessage(error);
    // A filter that compiles may still fail on null (e.g. `.[]`); only a compile error is the user's typo.
    if (/compile error|syntax error|is not defined/.test(error instanceof Error ? error.message : String(error))) {
      throw new UsageError(`--jq: ${message}`, 'check the expression (jq syntax: https://jqlang.org/manual/)');
    }
  }
  return {
    async run(input) {
      if (input.trim() === '') return '';
      try {
        const out = await jq.raw(input, expression, ['-r', '-c']);
        return out === '' || out.endsWith('\n') ? out : `${out}\n`;
      } catch (error) {
        throw new CliError(`--jq: ${jqMessage(error)}`);
      }
    },
  };
}
