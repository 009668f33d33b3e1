import assert from 'node:assert/strict';
import { it } from 'node:test';
import { platformFor } from '../../src/api/platform.js';
import { SERVERS } from '../../src/config/parse.js';
import { createLogger } from '../../src/output/logger.js';

it("the SDK's own sandbox notice is silenced (the CLI says it once, in its words), and console.warn is restored", async () => {
  const seen: unknown[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => seen.push(args);
  try {
    await platformFor({ server: SERVERS.sandbox, clientId: 'x', clientSecret: 'y' }, createLogger());
    assert.deepEqual(seen, []);
    console.warn('still mine');
    assert.equal(seen.length, 1);
  } finally {
    console.warn = original;
  }
});
