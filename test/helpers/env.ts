import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

/** A temporary config dir, removed when the test file ends: tests never touch a real sign-in. */
export function tempDir(prefix = 'rc-cli-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A port that was free a moment ago (for redirect URIs, so parallel test files never collide). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Environment for a CLI run against the emulator: isolated config, no .env, no color, no browser. */
export function cliEnv(configDir: string, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    RINGCENTRAL_CONFIG_DIR: configDir,
    RC_SERVER_URL: undefined,
    RC_CLIENT_ID: undefined,
    RC_CLIENT_SECRET: undefined,
    RC_REDIRECT_URL: undefined,
    RC_JWT: undefined,
    RC_PROFILE: undefined,
    BROWSER: 'none',
    ...extra,
  };
}
