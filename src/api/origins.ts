import { isLoopback } from '../config/parse.js';

/**
 * Where the session's token may go. REST calls: the API server's origin only. Media (recording
 * and message content, which RingCentral serves from its "media API entry point"): also the media
 * origin of the same platform (https://platform.X → https://media.X), and, for a server on a
 * loopback address (the emulator, a tunnel), the same loopback host on another port. Anything
 * else never sees it.
 */

/** Whether a request to `url` may carry the session of `server`. */
export function mayCarrySession(url: URL, server: string): boolean {
  const api = new URL(server);
  if (url.origin === api.origin) return true;
  if (isLoopback(api.hostname)) return url.hostname === api.hostname;
  return url.protocol === 'https:' && url.port === '' && url.hostname === mediaHost(api.hostname);
}

/** platform.ringcentral.com → media.ringcentral.com (and .biz, devtest); other hosts have no known media host. */
function mediaHost(apiHost: string): string | undefined {
  const match = /^platform\.((?:devtest\.)?ringcentral\.(?:com|biz))$/i.exec(apiHost);
  return match ? `media.${match[1]?.toLowerCase()}` : undefined;
}
