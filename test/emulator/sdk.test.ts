import assert from 'node:assert/strict';
import { it } from 'node:test';
import { SDK } from '@ringcentral/sdk';
import { APP, type Stats as EmulatorStats } from '../../emulator/context.js';

type Stats = EmulatorStats & { activeSessions: number };

import { useEmulator } from '../helpers/emulator.js';

/** The official SDK is the reference client: if it works against the emulator, so does the wire format. */

it('@ringcentral/sdk logs in with a JWT and pages through the whole call log', async () => {
  const emulator = await useEmulator({ callLog: 2500 });
  const sdk = new SDK({ server: emulator.url, clientId: APP.clientId, clientSecret: APP.clientSecret });
  const platform = sdk.platform();
  await platform.login({ jwt: emulator.jwt });
  const me = (await (await platform.get('/restapi/v1.0/account/~/extension/~')).json()) as { extensionNumber: string };
  assert.equal(me.extensionNumber, '101');

  const dateFrom = new Date(Date.now() - 31 * 86_400_000).toISOString();
  const ids: string[] = [];
  let page = 1;
  for (;;) {
    const res = await platform.get('/restapi/v1.0/account/~/call-log', { dateFrom, perPage: 1000, page });
    const body = (await res.json()) as { records: { id: string }[]; navigation: { nextPage?: unknown } };
    ids.push(...body.records.map((r: { id: string }) => r.id));
    if (!body.navigation.nextPage) break;
    page += 1;
  }
  assert.equal(page, 3);
  assert.equal(ids.length, 2500);
  assert.equal(new Set(ids).size, 2500);

  await platform.logout();
  const stats = (await (await fetch(`${emulator.url}/__emulator/stats`)).json()) as Stats;
  assert.equal(stats.revocations, 1);
  assert.equal(stats.activeSessions, 0);
});

it('@ringcentral/sdk refreshes once after the emulator expires its access token', async () => {
  const emulator = await useEmulator({ callLog: 10 });
  const sdk = new SDK({ server: emulator.url, clientId: APP.clientId, clientSecret: APP.clientSecret, refreshDelayMs: 1 });
  const platform = sdk.platform();
  await platform.login({ jwt: emulator.jwt });
  await fetch(`${emulator.url}/__emulator/expire-tokens`, { method: 'POST' });
  const res = await platform.get('/restapi/v1.0/account/~');
  assert.equal(res.status, 200);
  const stats = (await (await fetch(`${emulator.url}/__emulator/stats`)).json()) as Stats;
  assert.equal(stats.tokenGrants.refresh_token, 1);
});
