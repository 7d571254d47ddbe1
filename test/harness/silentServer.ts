import { createServer, type Socket } from 'node:net';

/** A loopback TCP port that accepts connections and never sends a byte: what a NATS client meets at a wrong port. */
export interface SilentServer {
  readonly port: number;
  readonly url: string;
  /** Connections accepted so far. */
  accepted(): number;
  /** Connections the client side has not closed yet. */
  open(): number;
  /** Resolves when exactly `count` connections are open; rejects naming the count after `ms`. */
  whenOpen(count: number, ms?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const waiters = new Set<() => void>();
  const changed = () => {
    for (const w of [...waiters]) w();
  };
  const server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      sockets.delete(socket);
      changed();
    });
    changed();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    url: `nats://127.0.0.1:${port}`,
    accepted: () => accepted,
    open: () => sockets.size,
    whenOpen: (count, ms = 10_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (sockets.size !== count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `${sockets.size} connection(s) to the silent port were still open after ${ms} ms, expected ${count}`,
            ),
          );
        }, ms);
        waiters.add(check);
        check();
      }),
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
