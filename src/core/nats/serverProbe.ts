import { connectNats } from './connectNats';
import { jetstreamManager } from '@nats-io/jetstream';
import { DEFAULT_CONNECT_TIMEOUT_MS } from './connectionDefaults';

/** What one look at a NATS server tells: plain data for the tree and the CLI. */
export interface ServerSummary {
  readonly url: string;
  readonly serverName: string;
  readonly version: string;
  readonly cluster?: string;
  readonly maxPayload: number;
  /** Undefined when the server runs without JetStream. */
  readonly jetstream?: JetStreamUsage;
}

export interface JetStreamUsage {
  readonly streams: number;
  readonly consumers: number;
  readonly memoryBytes: number;
  readonly storageBytes: number;
}

export interface ProbeOptions {
  readonly timeoutMs?: number;
}

/**
 * Connects once, reads the server's INFO and, when JetStream is on, the account usage, then closes.
 * Never retries: a refused or unreachable server rejects within `timeoutMs` (see `explainNatsError`).
 */
export async function probeServer(url: string, options: ProbeOptions = {}): Promise<ServerSummary> {
  const nc = await connectNats({
    servers: url.split(',').map((s) => s.trim()).filter(Boolean),
    name: 'nats-k3s probe',
    timeout: options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    reconnect: false,
  });
  try {
    const info = nc.info;
    if (!info) throw new Error('the server sent no INFO');
    let jetstream: JetStreamUsage | undefined;
    if (info.jetstream) {
      const jsm = await jetstreamManager(nc, { timeout: options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS });
      const account = await jsm.getAccountInfo();
      jetstream = {
        streams: account.streams,
        consumers: account.consumers,
        memoryBytes: account.memory,
        storageBytes: account.storage,
      };
    }
    return {
      url,
      serverName: info.server_name,
      version: info.version,
      cluster: info.cluster,
      maxPayload: info.max_payload,
      jetstream,
    };
  } finally {
    await nc.close();
  }
}
