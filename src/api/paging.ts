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
  while (next) {
    const page: Page<T> = await client.get<Page<T>>(next, params);
    yield page.records ?? [];
    next = page.navigation?.nextPage?.uri;
    params = undefined;
  }
}
