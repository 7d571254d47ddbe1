import { readFileSync } from 'node:fs';
import { credsAuthenticator, type NatsConnection } from '@nats-io/transport-node';
import { KineBucket } from '../core/kine/kineBucket';
import { DEFAULT_CONNECT_TIMEOUT_MS } from '../core/nats/connectionDefaults';
import { connectNats } from '../core/nats/connectNats';
import type { KineOptions } from './kineOptions';

/** The default server of every kine command, as kine itself dials it. */
export const DEFAULT_KINE_SERVER = 'nats://127.0.0.1:4222';

/** Connects as the options say (no reconnects: a CLI run reports a lost server instead), runs `fn`, always closes. */
export async function withConnection<T>(url: string, opts: KineOptions, fn: (nc: NatsConnection) => Promise<T>): Promise<T> {
  const nc = await connectNats({
    servers: url.split(',').map((s) => s.trim()).filter(Boolean),
    name: 'nats-k3s kine',
    timeout: opts.timeout !== undefined ? Number(opts.timeout) : DEFAULT_CONNECT_TIMEOUT_MS,
    reconnect: false,
    authenticator: opts.creds ? credsAuthenticator(readFileSync(opts.creds)) : undefined,
  });
  try {
    return await fn(nc);
  } finally {
    await nc.close();
  }
}

/** `withConnection`, then the bucket the options name (default `kine`). */
export function withBucket(url: string, opts: KineOptions, fn: (b: KineBucket) => Promise<number>): Promise<number> {
  return withConnection(url, opts, async (nc) => fn(await KineBucket.open(nc, opts.bucket ?? 'kine')));
}
