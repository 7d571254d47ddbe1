import type { NatsAccess } from './session';
import { streamKind } from './streams';

/** What the Server node shows, as plain data. */
export interface ServerOverview {
  readonly serverName: string;
  readonly serverId: string;
  readonly version: string;
  readonly host: string;
  readonly maxPayload: number;
  readonly tlsRequired: boolean;
  /** Undefined when the server is not part of a cluster. */
  readonly cluster?: { readonly name: string; readonly peers: readonly string[] };
  readonly jetstream: boolean;
  /** Present when JetStream is on and the account may use it. */
  readonly account?: AccountUsage;
}

export interface AccountUsage {
  readonly memoryBytes: number;
  readonly storageBytes: number;
  readonly streams: number;
  readonly consumers: number;
  /** -1 means unlimited, as the server reports it. */
  readonly limits: {
    readonly memoryBytes: number;
    readonly storageBytes: number;
    readonly streams: number;
    readonly consumers: number;
  };
  readonly domain?: string;
  /**
   * The account's streams by what they back: `streams` counts them all, and KV buckets and object stores are streams
   * too (`KV_…`, `OBJ_…`), which the Streams node hides unless `natsK3s.showSystemStreams` is on.
   */
  readonly streamKinds?: { readonly plain: number; readonly kv: number; readonly objectStore: number };
}

/**
 * Reads the connected server's INFO and, when JetStream is on, the account usage. Peers are the client URLs the
 * server advertises for the rest of its cluster (`connect_urls`). A JetStream-enabled server that denies the
 * account JetStream gives `jetstream: true` without `account`.
 */
export async function getServerOverview(access: NatsAccess): Promise<ServerOverview> {
  const nc = access.connection();
  const info = nc.info;
  if (!info) throw new Error('the server sent no INFO');
  let account: AccountUsage | undefined;
  if (info.jetstream) {
    try {
      const a = await (await access.jetstreamManager()).getAccountInfo();
      account = {
        memoryBytes: a.memory,
        storageBytes: a.storage,
        streams: a.streams,
        consumers: a.consumers,
        limits: {
          memoryBytes: a.limits.max_memory,
          storageBytes: a.limits.max_storage,
          streams: a.limits.max_streams,
          consumers: a.limits.max_consumers,
        },
        domain: a.domain || undefined,
        streamKinds: await countStreamKinds(access),
      };
    } catch (err) {
      if ((err as Error).name !== 'JetStreamNotEnabled' && !/not enabled/i.test((err as Error).message)) throw err;
    }
  }
  return {
    serverName: info.server_name,
    serverId: info.server_id,
    version: info.version,
    host: `${info.host}:${info.port}`,
    maxPayload: info.max_payload,
    tlsRequired: Boolean(info.tls_required),
    cluster: info.cluster ? { name: info.cluster, peers: [...(info.connect_urls ?? [])] } : undefined,
    jetstream: Boolean(info.jetstream),
    account,
  };
}

/** Names only (1,024 a page), counted by kind; a server that will not list them leaves the split out. */
async function countStreamKinds(access: NatsAccess): Promise<AccountUsage['streamKinds']> {
  const counts = { plain: 0, kv: 0, objectStore: 0 };
  try {
    for await (const name of (await access.jetstreamManager()).streams.names()) {
      const kind = streamKind(name);
      if (kind === 'kv') counts.kv++;
      else if (kind === 'objectStore') counts.objectStore++;
      else counts.plain++;
    }
  } catch {
    return undefined;
  }
  return counts;
}
