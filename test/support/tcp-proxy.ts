// A loopback TCP proxy in front of a shared server (the Postgres at 127.0.0.1:5432), so a test can
// take "the database" away without touching the server other tests use:
//   pass       forward both ways (the normal state);
//   refuse     the server is down: open connections are reset and nothing listens on the port,
//              so new connections are refused (ECONNREFUSED);
//   blackhole  the server or the network hangs: connections are accepted, nothing is forwarded
//              either way, nothing is ever answered. Connections caught in it stay dead after
//              resume() (their packets are gone, as when the server went away behind a silent
//              network): only the client can give up on them.
// resume() goes back to pass for new connections.
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

export type ProxyMode = 'pass' | 'refuse' | 'blackhole';

export interface TcpProxy {
  readonly port: number;
  /** `url` with its host and port replaced by this proxy's. */
  urlThrough(url: string): string;
  refuse(): void;
  blackhole(): void;
  /** Back to pass (listening again after refuse). */
  resume(): Promise<void>;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  server: Socket | null;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: ProxyMode = 'pass';
  const pairs = new Set<Pair>();

  const drop = (pair: Pair) => {
    pairs.delete(pair);
    pair.client.destroy();
    pair.server?.destroy();
  };

  const server: Server = createServer((client) => {
    const pair: Pair = { client, server: null };
    pairs.add(pair);
    client.on('error', () => drop(pair));
    client.on('close', () => drop(pair));
    // A connection accepted while refuse() is still closing the listener is refused too.
    if (mode === 'refuse') {
      client.resetAndDestroy();
      return;
    }
    if (mode === 'blackhole') {
      // Read and discard, so the client's writes never block: the bytes just vanish.
      client.on('data', () => {});
      return;
    }
    const upstream = connect(target);
    pair.server = upstream;
    upstream.on('error', () => drop(pair));
    upstream.on('close', () => drop(pair));
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const listen = (on: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(on, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const { port } = server.address() as AddressInfo;
  let listening: Promise<void> = Promise.resolve();

  return {
    port,
    urlThrough(url) {
      const parsed = new URL(url);
      parsed.hostname = '127.0.0.1';
      parsed.port = String(port);
      return parsed.toString();
    },
    refuse() {
      if (mode !== 'refuse') listening = listening.then(() => new Promise<void>((resolve) => server.close(() => resolve())));
      mode = 'refuse';
      for (const pair of [...pairs]) {
        pairs.delete(pair);
        pair.client.resetAndDestroy();
        pair.server?.destroy();
      }
    },
    blackhole() {
      mode = 'blackhole';
      for (const pair of pairs) {
        if (!pair.server) continue;
        // Nothing more goes either way; the client keeps a connection that never answers.
        pair.client.unpipe(pair.server);
        pair.server.unpipe(pair.client);
        pair.client.on('data', () => {});
        pair.server.removeAllListeners('close');
        pair.server.removeAllListeners('error');
        pair.server.on('error', () => {});
        pair.server.destroy();
        pair.server = null;
      }
    },
    async resume() {
      // Listening again on the same port: the clients' URL names it.
      if (mode === 'refuse') listening = listening.then(() => listen(port));
      mode = 'pass';
      await listening;
    },
    async close() {
      for (const pair of [...pairs]) drop(pair);
      await listening;
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
