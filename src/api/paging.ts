import { CliError } from '../errors.js';
import type { ApiClient } from './client.js';

interface Page<T> {
  records?: T[];
  navigation?: { nextPage?: { uri?: string } };
}

/**
 * Follows `navigation.nextPage` until it is absent. The call log has no totals and no lastPage,
 * so the link is the only reliable end marker (the extension list has both, but the same rule works).
 */
export async function* followPages<T>(client: ApiClient, path: string, query: Record<string, unknown>): AsyncGenerator<T[]> {
  let next: string | undefined = path;
  let params: Record<string, unknown> | undefined = query;
  const seen = new Set<string>();
  while (next) {
    const { records, link }: { records: T[]; link: string | undefined } = await fetchPage<T>(client, next, params);
    if (link !== undefined) {
      // A link back to a page already read would loop for ever.
      if (seen.has(link)) throw new CliError(`RingCentral's answer links back to a page already read (${link}): stopping`);
      seen.add(link);
    }
    next = link;
    params = undefined;
    yield records;
  }
}

/** One page, taken apart at once: nothing of it but its records stays alive while they are used. */
async function fetchPage<T>(
  client: ApiClient,
  path: string,
  params: Record<string, unknown> | undefined,
): Promise<{ records: T[]; link: string | undefined }> {
  const page = await client.get<Page<T>>(path, params);
  return { records: page.records ?? [], link: page.navigation?.nextPage?.uri };
}
