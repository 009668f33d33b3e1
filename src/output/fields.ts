import { UsageError } from '../errors.js';
import type { TableColumn } from './stream-table.js';

/**
 * The fields a record type has (dot paths into the API's JSON), the default columns for tables
 * and CSV, and --fields parsing. A path may also name an object (e.g. `from`), which CSV and
 * tables show as JSON.
 */

export interface FieldCatalog {
  all: readonly string[];
  /** CSV/TSV columns without --fields. */
  defaults: readonly string[];
  /** Table columns without --fields (fewer: a table has to fit a terminal). */
  table: readonly TableColumn[];
}

/** A party of a call, as a person reads it: the number (or extension), then the name. */
function party(record: unknown, side: 'from' | 'to'): string {
  const number = valueAt(record, `${side}.phoneNumber`) ?? valueAt(record, `${side}.extensionNumber`);
  const name = valueAt(record, `${side}.name`);
  return [number, name].filter((part) => part !== undefined && part !== '').join(' ');
}

/** The account's own extension in a call: the callee of an inbound call, the caller of an outbound one. */
function ownExtension(record: unknown): unknown {
  return valueAt(record, valueAt(record, 'direction') === 'Inbound' ? 'to.extensionNumber' : 'from.extensionNumber');
}

const PARTY = ['phoneNumber', 'extensionNumber', 'extensionId', 'name', 'location'];

export const CALL_LOG_FIELDS: FieldCatalog = {
  all: [
    'id',
    'uri',
    'sessionId',
    'telephonySessionId',
    'partyId',
    'startTime',
    'duration',
    'durationMs',
    'type',
    'internalType',
    'direction',
    'action',
    'result',
    'reason',
    'reasonDescription',
    'transport',
    ...PARTY.map((f) => `from.${f}`),
    'from.dialerPhoneNumber',
    'from.device.id',
    ...PARTY.map((f) => `to.${f}`),
    'to.dialedPhoneNumber',
    'to.device.id',
    'extension.id',
    'extension.uri',
    'recording.id',
    'recording.type',
    'recording.uri',
    'recording.contentUri',
    'message.id',
    'message.type',
    'message.uri',
    'delegate.id',
    'delegate.name',
    'billing.costIncluded',
    'billing.costPurchased',
    'lastModifiedTime',
    'deleted',
    'legs',
  ],
  defaults: [
    'id',
    'startTime',
    'duration',
    'type',
    'direction',
    'action',
    'result',
    'from.phoneNumber',
    'from.name',
    'to.phoneNumber',
    'to.name',
    'extension.id',
  ],
  table: [
    { header: 'Start', value: 'startTime', kind: 'time', min: 19, max: 19, priority: 0 },
    { header: 'Duration', value: 'duration', kind: 'duration', min: 8, max: 8, priority: 4 },
    { header: 'Direction', value: 'direction', kind: 'text', min: 9, max: 9, priority: 5 },
    { header: 'Result', value: 'result', kind: 'text', min: 14, max: 16, priority: 1 },
    { header: 'From', value: (record) => party(record, 'from'), kind: 'text', min: 14, max: 34, priority: 2 },
    { header: 'To', value: (record) => party(record, 'to'), kind: 'text', min: 14, max: 34, priority: 3 },
    { header: 'Extension', value: ownExtension, kind: 'text', min: 9, max: 9, priority: 6 },
  ],
};

/** A message's first recipient (SMS and faxes may have several; the full list is the `to` field). */
function firstRecipient(record: unknown): string {
  const to = valueAt(record, 'to');
  return Array.isArray(to) && to.length > 0 ? party({ to: to[0] }, 'to') : '';
}

export const MESSAGE_FIELDS: FieldCatalog = {
  all: [
    'id',
    'uri',
    'extensionId',
    'type',
    'creationTime',
    'lastModifiedTime',
    'direction',
    'readStatus',
    'messageStatus',
    'availability',
    'priority',
    'subject',
    ...PARTY.map((f) => `from.${f}`),
    'to',
    'attachments',
    'conversationId',
    'conversation.id',
    'conversation.uri',
    'vmTranscriptionStatus',
    'faxPageCount',
    'faxResolution',
    'coverIndex',
    'coverPageText',
    'smsDeliveryTime',
    'smsSendingAttemptsCount',
    'deliveryErrorCode',
  ],
  defaults: [
    'id',
    'creationTime',
    'type',
    'direction',
    'readStatus',
    'messageStatus',
    'from.phoneNumber',
    'from.extensionNumber',
    'from.name',
    'to',
    'subject',
    'extensionId',
  ],
  table: [
    { header: 'Time', value: 'creationTime', kind: 'time', min: 19, max: 19, priority: 0 },
    { header: 'Type', value: 'type', kind: 'text', min: 9, max: 9, priority: 1 },
    { header: 'Direction', value: 'direction', kind: 'text', min: 9, max: 9, priority: 5 },
    { header: 'From', value: (record) => party(record, 'from'), kind: 'text', min: 14, max: 34, priority: 2 },
    { header: 'To', value: firstRecipient, kind: 'text', min: 14, max: 34, priority: 4 },
    { header: 'Subject', value: 'subject', kind: 'text', min: 12, max: 48, priority: 3 },
    { header: 'Read', value: 'readStatus', kind: 'text', min: 6, max: 6, priority: 6 },
  ],
};

export const EXTENSION_FIELDS: FieldCatalog = {
  all: [
    'id',
    'uri',
    'extensionNumber',
    'name',
    'type',
    'subType',
    'status',
    'hidden',
    'creationTime',
    'contact.firstName',
    'contact.lastName',
    'contact.name',
    'contact.email',
    'contact.businessPhone',
    'contact.mobilePhone',
    'contact.company',
    'contact.jobTitle',
    'contact.department',
    'permissions.admin.enabled',
    'permissions.internationalCalling.enabled',
    'profileImage.uri',
    'site.id',
    'site.name',
  ],
  defaults: ['id', 'extensionNumber', 'name', 'type', 'status', 'contact.email'],
  table: [
    { header: 'Number', value: 'extensionNumber', kind: 'text', min: 6, max: 8, priority: 0 },
    { header: 'Name', value: 'name', kind: 'text', min: 12, max: 32, priority: 1 },
    { header: 'Type', value: 'type', kind: 'text', min: 10, max: 20, priority: 2 },
    { header: 'Status', value: 'status', kind: 'text', min: 9, max: 12, priority: 3 },
    { header: 'Email', value: 'contact.email', kind: 'text', min: 12, max: 40, priority: 4 },
  ],
};

/**
 * What --fields and --json say: `--fields` with no value lists the fields; `--json FIELDS` is gh's
 * shorthand for `-f json --fields FIELDS`.
 */
export function chosenFields(
  options: { fields?: string | boolean | undefined; json?: string | undefined; format?: string | undefined },
  catalog: FieldCatalog,
): { list: boolean; fields: string[] | undefined; format: 'json' | undefined } {
  if (options.json !== undefined) {
    if (options.fields !== undefined) throw new UsageError('--json FIELDS already says the fields: drop --fields');
    if (options.format !== undefined && options.format !== 'json') {
      throw new UsageError(`--json writes JSON: it cannot go with --format ${options.format}`, 'use --fields FIELDS with --format');
    }
    return { list: false, fields: parseFields(options.json, catalog), format: 'json' };
  }
  if (options.fields === true) return { list: true, fields: undefined, format: undefined };
  return { list: false, fields: typeof options.fields === 'string' ? parseFields(options.fields, catalog) : undefined, format: undefined };
}

/** Parses `a,b.c`; every path must be a known field or a parent of some (e.g. `from`). */
export function parseFields(text: string, catalog: FieldCatalog): string[] {
  const fields = text
    .split(',')
    .map((field) => field.trim())
    .filter((field) => field !== '');
  if (fields.length === 0) throw new UsageError('--fields: no field named', 'run with --fields and no value to list them');
  for (const field of fields) {
    if (!catalog.all.some((known) => known === field || known.startsWith(`${field}.`))) {
      throw new UsageError(`--fields: unknown field "${field}"`, 'run with --fields and no value to list the fields');
    }
  }
  return [...new Set(fields)];
}

export function valueAt(record: unknown, path: string): unknown {
  let value = record;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** Keeps only the chosen paths, nested as in the API's JSON (for json and ndjson). */
export function pick(record: unknown, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const value = valueAt(record, field);
    if (value === undefined) continue;
    const keys = field.split('.');
    let target = out;
    for (const key of keys.slice(0, -1)) {
      target[key] ??= {};
      target = target[key] as Record<string, unknown>;
    }
    target[keys[keys.length - 1] ?? field] = value;
  }
  return out;
}

/** One flat cell: scalars as they are, objects and arrays as JSON, absent as empty. */
export function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * A CSV/TSV cell a spreadsheet will not run (OWASP "CSV injection"): a cell starting with `=`, `@`,
 * a tab or a carriage return, or with `+`/`-` unless it is a number or a phone number
 * (`+16505551000`, `-12.5`), gets a leading `'`. Caller-ID names are set by outside callers.
 */
export function spreadsheetSafe(text: string): string {
  if (text === '') return text;
  const first = text[0];
  if (first === '=' || first === '@' || first === '\t' || first === '\r') return `'${text}`;
  if ((first === '+' || first === '-') && !/^[+-]\d+(\.\d+)?$/.test(text)) return `'${text}`;
  return text;
}
