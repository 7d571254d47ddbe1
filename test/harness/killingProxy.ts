import { connect, createServer, type Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of a real nats-server that SIGKILLs the server the first time a chunk matching a
 * trigger passes, so a test can kill the server at a known point of a client's conversation (for example while a key
 * scan's deliveries are on their way). From a downstream trigger's chunk on, nothing more reaches the client.
 */
export interface KillingProxy {
  readonly url: string;
  /** When the server was killed (Date.now()), or undefined. */
  killedAt(): number | undefined;
  stop(): Promise<void>;
}

export interface KillTrigger {
  /** 'up': bytes the client sends; 'down': bytes the server sends. */
  readonly direction: 'up' | 'down';
  /** Text the chunk must contain, e.g. `$JS.API.CONSUMER.CREATE` or `$JS.ACK`. */
  readonly contains: string;
  /** Matching chunks to let through before the kill (default 0). */
  readonly skip?: number;
}

export async function startKillingProxy(
  serverPort: number,
  serverPid: number,
  trigger: KillTrigger,
): Promise<KillingProxy> {
  let killedAt: number | undefined;
  let skip = trigger.skip ?? 0;
  const sockets = new Set<Socket>();
  const fire = (chunk: Buffer, direction: KillTrigger['direction']): boolean => {
    if (
      killedAt !== undefined ||
      direction !== trigger.direction ||
      !chunk.toString('latin1').includes(trigger.contains)
    )
      return false;
    if (skip-- > 0) return false;
    killedAt = Date.now();
    process.kill(serverPid, 'SIGKILL');
    return true;
  };
  const server = createServer((client) => {
    const upstream = connect(serverPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    client.on('data', (chunk: Buffer) => {
      fire(chunk, 'up');
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      // Bytes the server wrote before it died may still arrive; a dead server sends nothing, so neither does the proxy.
      if (!fire(chunk, 'down') && killedAt === undefined) client.write(chunk);
    });
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `nats://127.0.0.1:${port}`,
    killedAt: () => killedAt,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
