import { createServer } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { after } from 'node:test';

/**
 * A tiny HTTP CONNECT proxy (what undici's ProxyAgent speaks) that sends every tunnel to one
 * upstream port and records the CONNECT targets and the request lines that pass through.
 */
export async function useCountingProxy(upstreamPort: number): Promise<{ url: string; tunnels: string[]; requests: string[] }> {
  const tunnels: string[] = [];
  const requests: string[] = [];
  const server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req, client, head) => {
    tunnels.push(req.url ?? '');
    const upstream = connect(upstreamPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      client.on('data', (chunk: Buffer) => {
        for (const match of chunk.toString('latin1').matchAll(/^(GET|POST|PUT|PATCH|DELETE) (\S+) HTTP\/1\.1\r$/gm))
          requests.push(`${match[1]} ${match[2]}`);
      });
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, tunnels, requests };
}
