import { UsageError } from '../errors.js';

const STATUSES = ['Enabled', 'Disabled', 'Frozen', 'NotActivated', 'Unassigned'];

/** --status values are checked here (commander's choices() takes one value, these are lists). */
export function validateExtensionFilters<T extends { status?: unknown; extensionNumber?: unknown }>(options: T): T {
  for (const status of (options.status as string[] | undefined) ?? []) {
    if (!STATUSES.includes(status)) throw new UsageError(`--status: unknown status "${status}"`, `use ${STATUSES.join(', ')}`);
  }
  if (options.extensionNumber !== undefined && !/^\d{1,8}$/.test(String(options.extensionNumber))) {
    throw new UsageError(`--extension-number: "${String(options.extensionNumber)}" is not an extension number (1 to 8 digits)`);
  }
  return options;
}
