import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

/** A temporary config dir, removed when the test file ends: tests never touch a real sign-in. */
export function tempDir(prefix = 'rc-cli-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export { freePort } from '../../emulator/client.js';

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
