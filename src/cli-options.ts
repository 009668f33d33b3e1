import { type Command, InvalidArgumentError, Option } from 'commander';
import { UsageError } from './errors.js';
import { FORMATS } from './output/formats.js';

/**
 * Option parsers and option sets shared by several commands. Bad values become commander
 * errors naming the flag (exit 2). Nothing heavy is imported here: --help must stay fast.
 */

/** messageType values of listMessages in RingCentral's spec. */
export const MESSAGE_TYPES = ['SMS', 'Pager', 'VoiceMail', 'Fax'] as const;

export const EXTENSION_STATUSES = ['Enabled', 'Disabled', 'Frozen', 'NotActivated', 'Unassigned'] as const;
/** AllExtensionTypesEnum in RingCentral's spec. */
export const EXTENSION_TYPES = [
  'User',
  'Department',
  'Announcement',
  'Voicemail',
  'DigitalUser',
  'VirtualUser',
  'FaxUser',
  'PagingOnly',
  'SharedLinesGroup',
  'DelegatedLinesGroup',
  'GroupCallPickup',
  'IvrMenu',
  'ApplicationExtension',
  'ProxyAdmin',
  'RoomConnector',
  'ParkLocation',
  'Limited',
  'Bot',
  'Site',
  'Room',
  'FlexibleUser',
  'TieLine',
  'Unknown',
] as const;

/** The canonical spelling of `text` among `values`, whatever its case; undefined if none. */
function canonical(values: readonly string[], text: string): string | undefined {
  return values.find((value) => value.toLowerCase() === text.toLowerCase());
}

/**
 * An option with fixed values, taken in any case (`--direction inbound`) and handed on in the
 * spelling RingCentral uses; the help and shell completion list them.
 */
export function choiceOption(flags: string, description: string, values: readonly string[]): Option {
  // Shown in one style (lower case, as gh does), taken in any, sent in RingCentral's spelling.
  return new Option(flags, description).choices(values.map((value) => value.toLowerCase())).argParser((text: string) => {
    const value = canonical(values, text);
    if (value === undefined) throw new InvalidArgumentError(`Allowed choices are ${values.map((v) => v.toLowerCase()).join(', ')}.`);
    return value;
  });
}

/** A parser for whole numbers in [min, max]. */
export function wholeNumber(min: number, max: number): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < min || value > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}.`);
    return value;
  };
}

/**
 * A comma-separated list; with `choices`, every item must be one of them, in any case (commander's
 * choices() takes one value). A UsageError passes through commander unchanged, so the message is ours.
 */
export function commaList(choices?: { flag: string; noun: string; values: readonly string[] }): (text: string) => string[] {
  return (text) => {
    const items = text
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
    if (!choices) return items;
    return items.map((item) => {
      const value = canonical(choices.values, item);
      if (value === undefined)
        throw new UsageError(`${choices.flag}: unknown ${choices.noun} "${item}"`, `use ${choices.values.join(', ')}`);
      return value;
    });
  };
}

/** `-o -`: standard output, as for most tools (not a file named "-"). */
export function stdoutDash(text: string): string | undefined {
  return text === '-' ? undefined : text;
}

/** --extension-number: 1 to 8 digits. */
export function extensionNumber(text: string): string {
  if (!/^\d{1,8}$/.test(text)) throw new UsageError(`--extension-number: "${text}" is not an extension number (1 to 8 digits)`);
  return text;
}

export function maxWaitOption(): Option {
  return new Option('--max-wait <seconds>', 'longest total wait for rate limits and retries')
    .argParser(wholeNumber(0, 86_400))
    .default(300);
}

/** Options every export shares (src/export/run-export.ts). */
export function exportOptions(command: Command, formatHelp: string): Command {
  return command
    .addOption(choiceOption('-f, --format <format>', formatHelp, FORMATS))
    .option('--fields [fields]', 'comma-separated fields (dot paths); without a value, list them')
    .option('--json <fields>', 'JSON with these fields (short for -f json --fields FIELDS)')
    .option('--jq <expression>', 'filter the JSON records through jq (one record an input; strings print raw)')
    .option(
      '-o, --output <file>',
      'write to this file (it appears only when the export is complete; the format follows .csv, .tsv, .json, .ndjson/.jsonl; - is stdout)',
      stdoutDash,
    )
    .addOption(new Option('--limit <n>', 'stop after this many records').argParser(wholeNumber(1, 1_000_000_000)))
    .addOption(maxWaitOption())
    .addOption(
      new Option('--max-time <seconds>', 'stop the whole export after this long (exit 75, saying what was written)').argParser(
        wholeNumber(1, 604_800),
      ),
    )
    .option('--raw-csv', "CSV/TSV cells exactly as they came (no ' before a cell a spreadsheet would run as a formula)")
    .option('--utc', 'table times in UTC (default: local time)')
    .option('--no-progress', 'no progress line on stderr');
}
