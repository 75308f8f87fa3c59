// Tells a slow statement from a server that stopped answering. postgres.js waits for an answer as
// long as its socket is open, and a hung server or a silent network keeps it open: the query
// waits for ever, holding its pool connection (a report never answered; a pool that fills up
// with such connections never answers again). Silence alone proves nothing: a statement may run
// until its statement timeout without a byte coming back. So once a connection has waited
// `stallMs`, the server is asked something it answers at once however busy it is: a new
// connection's SSLRequest, which Postgres answers with one byte before any authentication (and
// drops without a log line when the client leaves then). No answer within `probeTimeoutMs`:
// every connection still waiting is destroyed, its query failing with ETIMEDOUT (read as "the
// store is unavailable"); while the server stays silent, each new wait is probed at once.
import type { Socket } from 'node:net';

export interface ServerWatchOptions {
  /** How long a connection waits for a byte before the server is probed. */
  stallMs: number;
  /** How long the probe waits for the server's answer. */
  probeTimeoutMs: number;
}

export interface ServerWatch {
  /** Watches a pool connection; `openProbe` opens a raw connection to the same server. */
  watch(socket: Socket, openProbe: () => Socket): Socket;
  /** Calls `listener` each time a probe goes unanswered; returns the unsubscribe. */
  onSilent(listener: () => void): () => void;
}

/** SSLRequest: length 8, code 80877103. */
const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);
/** How often waiting connections are looked at. */
const TICK_MS = 100;

interface Waiting {
  /** bytesRead when the last write went out. */
  readAtWrite: number;
  /** When the first write not yet followed by a byte from the server went out. */
  since: number | null;
}

/** True when the server behind `socket` answers the SSLRequest within `timeoutMs`. */
function serverAnswers(socket: Socket, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (answered: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answered);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('data', () => done(true));
    socket.once('error', () => done(false));
    socket.once('close', () => done(false));
    socket.write(SSL_REQUEST);
  });
}

export function createServerWatch(options: ServerWatchOptions): ServerWatch {
  const sockets = new Map<Socket, Waiting>();
  let openProbe: (() => Socket) | null = null;
  let timer: NodeJS.Timeout | undefined;
  let probing = false;
  /** The last probe went unanswered. */
  let silent = false;
  let answeredAt = 0;
  const silenceListeners = new Set<() => void>();

  function waitingSockets(): Socket[] {
    const waiting: Socket[] = [];
    for (const [socket, state] of sockets) {
      if (socket.destroyed) sockets.delete(socket);
      else if (state.since !== null && socket.bytesRead === state.readAtWrite) waiting.push(socket);
      else state.since = null;
    }
    return waiting;
  }

  function tick(): void {
    const now = Date.now();
    const waiting = waitingSockets();
    if (sockets.size === 0) {
      clearInterval(timer);
      timer = undefined;
      return;
    }
    const stalled = waiting.some((socket) => silent || now - Math.max(sockets.get(socket)!.since!, answeredAt) >= options.stallMs);
    if (!stalled || probing || !openProbe) return;
    probing = true;
    void serverAnswers(openProbe(), options.probeTimeoutMs).then((answered) => {
      probing = false;
      silent = !answered;
      if (answered) {
        answeredAt = Date.now();
        return;
      }
      const error = Object.assign(new Error(`the database server did not answer within ${options.probeTimeoutMs} ms`), { code: 'ETIMEDOUT' });
      for (const socket of waitingSockets()) socket.destroy(error);
      for (const listener of [...silenceListeners]) listener();
    });
  }

  return {
    onSilent(listener) {
      silenceListeners.add(listener);
      return () => silenceListeners.delete(listener);
    },
    watch(socket, probe) {
      openProbe = probe;
      const state: Waiting = { readAtWrite: 0, since: null };
      sockets.set(socket, state);
      // Every write is seen here (a poll of the byte counts cannot order a write and a read
      // between two looks). Writes that bypass it (TLS, which drives the handle itself) are not
      // watched: such a connection is never given up, as before.
      const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
      socket.write = ((...args: unknown[]) => {
        if (state.since === null || socket.bytesRead !== state.readAtWrite) state.since = Date.now();
        state.readAtWrite = socket.bytesRead;
        return write(...args);
      }) as Socket['write'];
      if (!timer) {
        timer = setInterval(tick, TICK_MS);
        timer.unref();
      }
      return socket;
    },
  };
}
