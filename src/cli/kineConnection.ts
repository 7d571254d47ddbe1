import { readFileSync } from 'node:fs';
import { credsAuthenticator, type ConnectionOptions, type NatsConnection } from '@nats-io/transport-node';
import { KineBucket } from '../core/kine/kineBucket';
import { readEndpoint } from '../core/kine/readEndpoint';
import { DEFAULT_CONNECT_TIMEOUT_MS } from '../core/nats/connectionDefaults';
import { connectNats } from '../core/nats/connectNats';
import { UsageError } from './cliArgs';
import { FileError } from './fileError';
import type { KineOptions } from './kineOptions';

/** The default server of every kine command, as kine itself dials it. */
export const DEFAULT_KINE_SERVER = 'nats://127.0.0.1:4222';

/** Where and how a kine command connects, from `--server` (URL credentials and `?bucket=` included) and the flags. */
export interface KineTarget {
  /** Server URLs without credentials: safe to print. */
  readonly servers: readonly string[];
  readonly bucket: string;
  readonly user?: string;
  readonly password?: string;
  readonly token?: string;
  readonly credsFile?: string;
  readonly timeoutMs: number;
}

/**
 * Reads the target from the options; throws `UsageError` for an empty or unreadable `--server`, clashing credentials
 * or a bad `--timeout`. Flags win over credentials in the URL, so `kine endpoint`'s own output works as `--server`.
 */
export function kineTarget(opts: KineOptions): KineTarget {
  let parts: ReturnType<typeof readEndpoint>;
  try {
    parts = readEndpoint(opts.server ?? DEFAULT_KINE_SERVER);
  } catch (err) {
    throw new UsageError(`--server ${(err as Error).message}`);
  }
  if (parts.servers.length === 0) throw new UsageError('--server needs a URL, e.g. nats://127.0.0.1:4222.');
  const fromFlags = opts.user !== undefined || opts.password !== undefined || opts.token !== undefined;
  const user = fromFlags ? opts.user : parts.user;
  const password = fromFlags ? opts.password : parts.password;
  const token = fromFlags ? opts.token : parts.token;
  if (password !== undefined && user === undefined) throw new UsageError('--password needs --user.');
  if (token !== undefined && user !== undefined)
    throw new UsageError('Give either a token or a user and password, not both.');
  if (opts.creds !== undefined && (token !== undefined || user !== undefined))
    throw new UsageError('Give either --creds or a user, password or token, not both.');
  const timeoutMs = opts.timeout === undefined ? DEFAULT_CONNECT_TIMEOUT_MS : Number(opts.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
    throw new UsageError('--timeout must be a whole number of milliseconds, e.g. 5000.');
  const bucket = opts.bucket ?? parts.bucket ?? 'kine';
  // kine and nats.js accept the same names; checked here so a typo is not answered in the library's words.
  if (!/^[A-Za-z0-9_-]+$/.test(bucket))
    throw new UsageError(`--bucket '${bucket}' is not a KV bucket name: use letters, digits, - and _.`);
  return { servers: parts.servers, bucket, user, password, token, credsFile: opts.creds, timeoutMs };
}

/** Whether the target carries any credentials (so an authorization failure blames them, not their absence). */
export function hasCredentials(t: KineTarget): boolean {
  return t.user !== undefined || t.token !== undefined || t.credsFile !== undefined;
}

/** Connects as the target says (no reconnects: a CLI run reports a lost server instead), runs `fn`, always closes. */
export async function withConnection<T>(t: KineTarget, fn: (nc: NatsConnection) => Promise<T>): Promise<T> {
  const options: ConnectionOptions = {
    servers: [...t.servers],
    name: 'nats-k3s kine',
    timeout: t.timeoutMs,
    reconnect: false,
  };
  if (t.credsFile !== undefined) options.authenticator = credsAuthenticator(readCredsFile(t.credsFile));
  else if (t.token !== undefined) options.token = t.token;
  else if (t.user !== undefined) {
    options.user = t.user;
    options.pass = t.password ?? '';
  }
  const nc = await connectNats(options);
  try {
    return await fn(nc);
  } finally {
    await nc.close();
  }
}

/** `withConnection`, then the target's bucket. */
export function withBucket(t: KineTarget, fn: (b: KineBucket) => Promise<number>): Promise<number> {
  return withConnection(t, async (nc) => fn(await KineBucket.open(nc, t.bucket)));
}

function readCredsFile(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new FileError(file, 'read', err);
  }
}
