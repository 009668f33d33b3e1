// The baseline for `ringcentral extensions -f json`: one plain fetch of the same page, printed as JSON.
const [server, token] = process.argv.slice(2);
const res = await fetch(`${server}/restapi/v1.0/account/~/extension?perPage=1000`, { headers: { Authorization: `Bearer ${token}` } });
if (!res.ok) throw new Error(`HTTP ${res.status}`);
process.stdout.write(`${JSON.stringify((await res.json()).records, null, 2)}\n`);
