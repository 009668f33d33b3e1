import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { EmulatorClient, type TruthMessage } from '../../emulator/client.js';
import { parseRateLimits } from '../../emulator/options.js';
import { apiGet, jwtLogin, type Tokens, useEmulator } from '../helpers/emulator.js';
import { assertValid, specValidators } from '../helpers/spec.js';

/** The message store: listMessages, readMessage and readMessageContent as the spec has them, and the ground truth. */

const SCOPES = ['ReadAccounts', 'ReadCallLog', 'ReadMessages'];
const emulator = await useEmulator({ messages: 600, scopes: SCOPES });
const control = new EmulatorClient(emulator.url);
let tokens: Tokens;
let truth: TruthMessage[];
before(async () => {
  tokens = await jwtLogin(emulator);
  truth = await control.messages();
});

const LIST = '/restapi/v1.0/account/~/extension/~/message-store';
const FROM = new Date(Date.now() - 31 * 86_400_000).toISOString();

async function all(path: string, token = tokens.access_token): Promise<Record<string, unknown>[]> {
  const records: Record<string, unknown>[] = [];
  let next: string | undefined = path;
  while (next) {
    const res = await apiGet(emulator, next, token);
    assert.equal(res.status, 200, await res.clone().text());
    const page = (await res.json()) as { records: Record<string, unknown>[]; navigation: { nextPage?: { uri: string } } };
    records.push(...page.records);
    next = page.navigation.nextPage?.uri.replace(emulator.url, '');
  }
  return records;
}

describe('message store', () => {
  it("lists the user's mailbox newest first, by pages, as the ground truth has it", async () => {
    const me = (await (await apiGet(emulator, '/restapi/v1.0/account/~/extension/~', tokens.access_token)).json()) as { id: number };
    const mine = truth.filter((m) => m.extensionId === String(me.id));
    assert.ok(mine.length > 50, `${mine.length} messages`);
    const listed = await all(`${LIST}?dateFrom=${FROM}&perPage=40`);
    assert.deepEqual(
      listed,
      mine.map(({ attachments, ...rest }) => ({ ...rest, attachments: attachments.map(({ bytes, sha256, ...a }) => a) })),
    );
    const types = new Set(mine.map((m) => m.type));
    assert.deepEqual([...types].sort(), ['Fax', 'Pager', 'SMS', 'VoiceMail']);
  });

  it('defaults to the 24 h before dateTo; filters by type, direction and read status', async () => {
    const recent = await all(LIST);
    assert.ok(recent.every((m) => Date.parse(String(m.creationTime)) >= Date.now() - 86_400_000 - 5000));
    const faxIn = await all(`${LIST}?dateFrom=${FROM}&messageType=Fax&direction=Inbound&readStatus=Unread`);
    assert.ok(faxIn.length > 0);
    assert.ok(faxIn.every((m) => m.type === 'Fax' && m.direction === 'Inbound' && m.readStatus === 'Unread'));
    const unknown = await apiGet(emulator, `${LIST}?view=Detailed`, tokens.access_token);
    assert.equal(unknown.status, 400);
  });

  it('attachments are served on the media origin (Medium group) with the ground truth sha256; readMessage returns one', async () => {
    const listed = await all(`${LIST}?dateFrom=${FROM}&messageType=VoiceMail&messageType=Fax&perPage=5`);
    const message = listed[0] as { id: number; attachments: { id: number; uri: string; contentType: string }[] };
    const expected = truth.find((m) => m.id === message.id);
    const before = await control.stats();
    for (const attachment of message.attachments) {
      assert.ok(attachment.uri.startsWith(emulator.mediaUrl));
      const res = await fetch(attachment.uri, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), attachment.contentType);
      const sha = createHash('sha256')
        .update(Buffer.from(await res.arrayBuffer()))
        .digest('hex');
      assert.equal(sha, expected?.attachments.find((a) => a.id === attachment.id)?.sha256);
    }
    assert.equal((await control.stats()).groups.medium - before.groups.medium, message.attachments.length);
    const one = await apiGet(emulator, `${LIST}/${message.id}`, tokens.access_token);
    assert.deepEqual(await one.json(), message);
    assert.equal((await apiGet(emulator, `${LIST}/1`, tokens.access_token)).status, 404);
  });

  it('needs ReadMessages; another user’s mailbox only for admins', async () => {
    const plain = await useEmulator({ messages: 50 });
    const token = (await jwtLogin(plain)).access_token;
    const denied = await apiGet(plain, LIST, token);
    assert.equal(denied.status, 403);
    assert.match(await denied.text(), /ReadMessages/);
    const other = truth.find((m) => m.extensionId !== truth[0]?.extensionId && m.extensionId !== '')?.extensionId;
    const admin = await apiGet(emulator, `/restapi/v1.0/account/~/extension/${other}/message-store?dateFrom=${FROM}`, tokens.access_token);
    assert.equal(admin.status, 200);
    const user = (await jwtLogin(emulator, await control.jwt('102'))).access_token;
    const refused = await apiGet(emulator, `/restapi/v1.0/account/~/extension/${other}/message-store`, user);
    assert.equal(refused.status, 403);
  });

  it('messages added now are listed and in the ground truth', async () => {
    const [id] = await control.addMessages({ count: 1, extensionNumber: '101' });
    const listed = await all(LIST);
    assert.ok(listed.some((m) => String(m.id) === id));
    assert.ok((await control.messages()).some((m) => String(m.id) === id));
  });

  it('the Light limit applies to listMessages', async () => {
    const limited = await useEmulator({ messages: 50, scopes: SCOPES, rateLimits: parseRateLimits('light=2/60') });
    const token = (await jwtLogin(limited)).access_token;
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await apiGet(limited, LIST, token)).status);
    assert.deepEqual(statuses, [200, 200, 429]);
  });
});

for (const spec of specValidators()) {
  describe(`message store contract with ${spec.name}`, () => {
    it('listMessages matches GetMessageList; readMessage matches GetMessageInfoResponse', async () => {
      const path = '/restapi/v1.0/account/{accountId}/extension/{extensionId}/message-store';
      const list = (await (await apiGet(emulator, `${LIST}?dateFrom=${FROM}&perPage=200`, tokens.access_token)).json()) as {
        records: { id: number }[];
      };
      assertValid(spec.response(path, 'get', '200'), list, 'message list');
      const one = await (await apiGet(emulator, `${LIST}/${list.records[0]?.id}`, tokens.access_token)).json();
      assertValid(spec.schema('GetMessageInfoResponse'), one, 'message');
    });
  });
}
