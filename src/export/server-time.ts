import type { ApiClient } from '../api/client.js';
import { readMe } from '../api/endpoints.js';

/**
 * The server's present, from the Date header of its answers (one cheap request when none came
 * yet): a --since-state checkpoint is taken from it, never from the local clock, which may be
 * wrong or jump back. `fallback` when the server sends no usable Date.
 */
export async function serverPresent(client: ApiClient, fallback: Date): Promise<Date> {
  if (!client.serverNow()) await readMe(client);
  return client.serverNow() ?? fallback;
}
