// The minimal baseline: page the emulator's call log with plain fetch and write JSON lines.
// Usage: node bench/baseline.mjs SERVER ACCESS_TOKEN DATE_FROM DATE_TO > out.ndjson
import { once } from 'node:events';

const [server, token, dateFrom, dateTo] = process.argv.slice(2);
let next = `${server}/restapi/v1.0/account/~/call-log?${new URLSearchParams({ dateFrom, dateTo, perPage: '1000', view: 'Simple' })}`;
while (next) {
  const res = await fetch(next, { headers: { Authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const page = await res.json();
  const text = page.records.map((record) => `${JSON.stringify(record)}\n`).join('');
  if (!process.stdout.write(text)) await once(process.stdout, 'drain');
  next = page.navigation.nextPage?.uri;
}
