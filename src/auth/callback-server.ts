import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { AuthError, CliError } from '../errors.js';
import { callbackPage, PAGE_HEADERS } from './callback-pages.js';

/**
 * The short-lived loopback listener that receives the authorization response (RFC 8252 §7.3).
 * Only GET on the exact redirect path with the right `state` is processed, and only once; the
 * code is exchanged inside the handler (RingCentral codes live 60 s); then the browser is sent
 * to a clean /success or /failure URL so the code leaves the address bar, and every socket closes.
 */

export interface CallbackServerOptions {
  redirectUri: string;
  state: string;
  /** Exchanges the code; a thrown error fails the login. */
  onCode(code: string): Promise<void>;
  /** How long to keep serving the final page after the result is known. */
  lingerMs?: number;
}

export interface CallbackServer {
  /** Settles when a valid callback (or pasted URL) was processed. */
  result: Promise<void>;
  /** Handles a redirect URL pasted into the terminal; says whether it was taken. */
  submit(url: string): Promise<'accepted' | 'wrong-state' | 'not-a-callback' | 'busy'>;
  close(): Promise<void>;
}

type Outcome = { kind: 'code'; code: string } | { kind: 'error'; error: string; description: string } | { kind: 'ignore'; why: string };

export async function startCallbackServer(options: CallbackServerOptions): Promise<CallbackServer> {
  const target = new URL(options.redirectUri);
  const servers = await bindLoopback(target);
  let busy = false;
  /** Set when a browser delivered the result and will come back for the final page. */
  let expectPage = false;
  let finalPage: { ok: boolean; title: string; message: string } | undefined;
  let settle: { resolve: () => void; reject: (error: unknown) => void } | undefined;
  const result = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  result.catch(() => undefined);
  let pageServed: () => void = () => undefined;
  const served = new Promise<void>((resolve) => {
    pageServed = resolve;
  });

  const classify = (params: URLSearchParams): Outcome => {
    if (params.get('state') !== options.state) {
      return { kind: 'ignore', why: 'This sign-in response does not belong to the login in progress (state mismatch). It was ignored.' };
    }
    const error = params.get('error');
    if (error) return { kind: 'error', error, description: params.get('error_description') ?? '' };
    const code = params.get('code');
    if (!code) return { kind: 'ignore', why: 'The sign-in response has no authorization code.' };
    return { kind: 'code', code };
  };

  /** Runs the outcome once; returns the page for the browser. */
  const finish = async (outcome: Outcome & { kind: 'code' | 'error' }): Promise<void> => {
    busy = true;
    if (outcome.kind === 'error') {
      const failure =
        outcome.error === 'access_denied'
          ? new AuthError('access was denied in the browser', 'run "ringcentral login" again and choose Authorize')
          : new CliError(`sign-in failed: ${outcome.error}${outcome.description ? `: ${outcome.description}` : ''}`);
      finalPage = { ok: false, title: 'Sign-in failed', message: failure.message };
      settle?.reject(failure);
      return;
    }
    try {
      await options.onCode(outcome.code);
      finalPage = { ok: true, title: 'Signed in to RingCentral', message: 'The ringcentral command line tool is now signed in.' };
      settle?.resolve();
    } catch (error) {
      finalPage = { ok: false, title: 'Sign-in failed', message: error instanceof Error ? error.message : String(error) };
      settle?.reject(error);
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // A request line no URL parser accepts (`GET //[`) is answered 400; the login keeps waiting.
    if (!URL.canParse(req.url ?? '/', target.href)) {
      res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' }).end('Bad request\n');
      return;
    }
    const url = new URL(req.url ?? '/', target);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { Allow: 'GET', Connection: 'close' }).end();
      return;
    }
    if (url.pathname === '/success' || url.pathname === '/failure') {
      if (req.method === 'GET' && finalPage) {
        res
          .writeHead(finalPage.ok ? 200 : 400, PAGE_HEADERS)
          .end(callbackPage(finalPage.title, finalPage.message, finalPage.ok), pageServed);
        return;
      }
    }
    if (url.pathname !== target.pathname) {
      res.writeHead(404, { ...PAGE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    if (req.method !== 'GET') {
      res.writeHead(405, { Allow: 'GET', Connection: 'close' }).end();
      return;
    }
    const outcome = classify(url.searchParams);
    if (outcome.kind === 'ignore' || busy) {
      const why = outcome.kind === 'ignore' ? outcome.why : 'This login was already completed; this request was ignored.';
      res.writeHead(400, PAGE_HEADERS).end(callbackPage('Sign-in response ignored', why, false));
      return;
    }
    expectPage = true;
    await finish(outcome);
    // 303 to a clean URL: the code leaves the address bar and the history (RFC 9700 §4.2).
    res
      .writeHead(303, {
        Location: finalPage?.ok ? '/success' : '/failure',
        'Cache-Control': 'no-store',
        'Referrer-Policy': 'no-referrer',
        Connection: 'close',
      })
      .end();
  };

  const closeAll = () =>
    Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    ).then(() => undefined);

  for (const server of servers) {
    server.on('request', (req, res) => {
      handle(req, res).catch((error: unknown) => {
        res.destroy();
        settle?.reject(error);
      });
    });
  }

  return {
    result,
    async submit(text) {
      let url: URL;
      try {
        url = new URL(text.trim());
      } catch {
        return 'not-a-callback';
      }
      if (url.pathname !== target.pathname) return 'not-a-callback';
      if (busy) return 'busy';
      if (url.searchParams.get('state') !== options.state) return 'wrong-state';
      const outcome = classify(url.searchParams);
      if (outcome.kind === 'ignore') return 'not-a-callback';
      await finish(outcome);
      return 'accepted';
    },
    /** Closes every socket; once a result is known, first lets the browser fetch its final page (briefly). */
    async close() {
      if (expectPage) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          served,
          new Promise((resolve) => {
            timer = setTimeout(resolve, options.lingerMs ?? 1000);
          }),
        ]);
        clearTimeout(timer);
      }
      await closeAll();
    },
  };
}

/** Binds the redirect URI's port on loopback only: both 127.0.0.1 and ::1 for `localhost`. */
async function bindLoopback(target: URL): Promise<Server[]> {
  const port = Number(target.port);
  const hosts = target.hostname === 'localhost' ? ['127.0.0.1', '::1'] : [target.hostname.replace(/^\[|\]$/g, '')];
  // node:http is loaded only by login: every other command starts without it.
  const { createServer } = await import('node:http');
  const servers: Server[] = [];
  for (const host of hosts) {
    const server = createServer();
    server.keepAliveTimeout = 1000;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ port, host, exclusive: true }, () => resolve());
      });
      servers.push(server);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // No IPv6 on this machine: 127.0.0.1 alone will do for `localhost`.
      if (host === '::1' && hosts.length > 1 && (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT')) continue;
      await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
      throw bindError(error, port, target);
    }
  }
  return servers;
}

function bindError(error: unknown, port: number, target: URL): CliError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return new CliError(`port ${port} is already in use, so the sign-in listener for ${target.origin} cannot start`, {
      hint:
        `stop the program using port ${port} (on macOS the AirPlay Receiver uses 5000), or register another redirect URI ` +
        `for your app, e.g. http://localhost:${port + 1}${target.pathname}, and pass it with --redirect-uri`,
      cause: error,
    });
  }
  if (code === 'EACCES') {
    return new CliError(`not allowed to listen on port ${port}`, {
      hint: 'use a redirect URI with a port above 1023 (--redirect-uri)',
      cause: error,
    });
  }
  return new CliError(`cannot start the sign-in listener on port ${port}: ${code ?? String(error)}`, { cause: error });
}
