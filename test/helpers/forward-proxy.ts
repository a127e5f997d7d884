import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

/**
 * A small forward proxy like the Squid users put on a fixed-IP host (wecom-api.md §8): CONNECT
 * tunnels and absolute-URI requests, optional Basic auth (407 otherwise), and counters so a test can
 * prove traffic really went through it.
 */

export interface ForwardProxy {
  url: string;
  port: number;
  connects: number;
  forwarded: number;
  rejectedAuth: number;
  /** Proxy-Authorization headers seen, decoded (`user:password`). */
  credentials: string[];
  close(): Promise<void>;
}

export async function startForwardProxy(options: { user?: string; password?: string } = {}): Promise<ForwardProxy> {
  const expected = options.user ? `Basic ${Buffer.from(`${options.user}:${options.password ?? ''}`).toString('base64')}` : undefined;
  const sockets = new Set<Socket>();
  const state = { connects: 0, forwarded: 0, rejectedAuth: 0, credentials: [] as string[] };
  const authorized = (header: string | undefined) => {
    if (header?.startsWith('Basic ')) state.credentials.push(Buffer.from(header.slice(6), 'base64').toString('utf8'));
    if (!expected || header === expected) return true;
    state.rejectedAuth++;
    return false;
  };

  const server: Server = createServer((req, res) => {
    if (!authorized(req.headers['proxy-authorization'])) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"' }).end();
      return;
    }
    state.forwarded++;
    const target = new URL(req.url ?? '');
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: req.method, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });

  server.on('connect', (req, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    if (!authorized(req.headers['proxy-authorization'])) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n');
      return;
    }
    state.connects++;
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get connects() { return state.connects; },
    get forwarded() { return state.forwarded; },
    get rejectedAuth() { return state.rejectedAuth; },
    get credentials() { return state.credentials; },
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
