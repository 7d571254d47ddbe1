import type { ClusterInfo, ConsumerInfo, StreamInfo } from '@nats-io/jetstream';
import { placementOf, type Placement } from '../placement';
import { ConnectionLostError } from '../natsErrors';
import type { NatsAccess } from '../session';
import { disabledFeatures, type DisabledFeature } from './serverFeatures';
import { gatherReplies, NotSystemAccountError, type ServerReply } from './systemRequest';

/** One server's JetStream, as a row of `nats server report jetstream`. */
export interface JetStreamServerRow {
  readonly name: string;
  readonly version: string;
  readonly cluster?: string;
  readonly streams: number;
  readonly consumers: number;
  readonly messages: number;
  readonly bytes: number;
  readonly memoryBytes: number;
  readonly storageBytes: number;
  readonly apiRequests: number;
  readonly apiErrors: number;
  readonly metaLeader: boolean;
}

/** A stream or one of its consumers, with where its replicas stand (as `nats server check stream` reports it). */
export interface ReplicatedAsset {
  readonly account?: string;
  readonly stream: string;
  /** Undefined for the stream itself. */
  readonly consumer?: string;
  readonly replicas: number;
  /** Undefined on a server outside a cluster. */
  readonly placement?: Placement;
  /** Set only where the server reports it (2.11+). */
  readonly paused?: boolean;
}

export interface JetStreamHealth {
  /** `system`: every server's JSZ through `$SYS`; `account`: the connection's account through its JetStream API. */
  readonly source: 'system' | 'account';
  /** The meta group: its leader and each peer's state. Undefined when the account cannot see it or no cluster. */
  readonly meta?: Placement;
  readonly servers: readonly JetStreamServerRow[];
  readonly assets: readonly ReplicatedAsset[];
  readonly disabled: readonly DisabledFeature[];
  readonly notes: readonly string[];
}

/**
 * JSZ never flags a replica offline (stream info does); like `nats server check stream`'s seen threshold, a replica
 * that is not current and has not been heard from for this long is reported offline rather than lagging.
 */
export const OFFLINE_AFTER_MS = 10_000;

/** Most streams plus consumers the report lists; beyond it the report says how many were left out. */
export const MAX_ASSETS = 10_000;

export const META_NEEDS_SYSTEM =
  "The meta group and each server's JetStream usage need the system account: connect as a user of the account the server config names in system_account. Streams and consumers below are this account's only.";

interface ReplicaJson {
  name: string;
  current: boolean;
  offline?: boolean;
  active: number;
  lag?: number;
}
interface ClusterJson {
  name?: string;
  leader?: string;
  replicas?: ReplicaJson[];
}
interface ConsumerJson {
  name: string;
  cluster?: ClusterJson;
  config?: { num_replicas?: number };
  paused?: boolean;
}
interface StreamJson {
  name: string;
  cluster?: ClusterJson;
  config?: { num_replicas?: number };
  consumer_detail?: ConsumerJson[];
}
interface Jsz {
  memory?: number;
  storage?: number;
  streams?: number;
  consumers?: number;
  messages?: number;
  bytes?: number;
  api?: { total?: number; errors?: number };
  meta_cluster?: { name?: string; leader?: string; replicas?: ReplicaJson[]; cluster_size?: number };
  account_details?: { name: string; stream_detail?: StreamJson[] }[];
}

/**
 * The cluster's JetStream health. With the system account: every server's JSZ (usage, the meta group as its leader
 * sees it, and every account's streams and consumers with their replicas). Otherwise the account's own streams and
 * consumers through the JetStream API, and a note on what the system account would add.
 */
export async function jetstreamHealth(access: NatsAccess, maxWaitMs = 3_000): Promise<JetStreamHealth> {
  const nc = access.connection();
  const info = nc.info;
  // No INFO while the client reconnects to another server (the one it was on went away).
  if (!info) throw new ConnectionLostError('reading the cluster');
  const expected = info.cluster ? new Set(info.connect_urls ?? []).size || undefined : 1;
  try {
    const jsz = await gatherReplies<Jsz>(
      nc,
      '$SYS.REQ.SERVER.PING.JSZ',
      { accounts: true, streams: true, consumer: true, config: true },
      { maxWaitMs, expected },
    );
    return fromJsz(jsz.replies, [...jsz.problems]);
  } catch (err) {
    if (!(err instanceof NotSystemAccountError)) throw err;
  }
  return fromAccount(access, info.version);
}

function fromJsz(replies: readonly ServerReply<Jsz>[], notes: string[]): JetStreamHealth {
  const disabled = disabledFeatures(replies.map((r) => r.server.ver));
  const pauseKnown = !disabled.some((d) => d.feature === 'consumerPause');
  const withJs = replies.filter((r) => r.data.meta_cluster || r.data.api);
  const leaderName = withJs.find((r) => r.data.meta_cluster?.leader)?.data.meta_cluster?.leader;
  // Only the meta leader knows how far each peer is behind.
  const leaderReply = withJs.find((r) => r.server.name === leaderName);
  const metaJson = leaderReply?.data.meta_cluster ?? withJs[0]?.data.meta_cluster;
  const meta = metaJson
    ? placementOf(
        {
          name: metaJson.name ?? '',
          leader: metaJson.leader ?? '',
          replicas: replicasOf(metaJson.replicas),
        } as ClusterInfo,
        metaJson.cluster_size ?? 0,
      )
    : undefined;
  if (metaJson && !leaderName)
    notes.push('The meta group has no leader: JetStream cannot create, update or delete assets until one is elected.');
  const servers = withJs
    .map(
      ({ server, data }): JetStreamServerRow => ({
        name: server.name,
        version: server.ver,
        cluster: server.cluster,
        streams: data.streams ?? 0,
        consumers: data.consumers ?? 0,
        messages: data.messages ?? 0,
        bytes: data.bytes ?? 0,
        memoryBytes: data.memory ?? 0,
        storageBytes: data.storage ?? 0,
        apiRequests: data.api?.total ?? 0,
        apiErrors: data.api?.errors ?? 0,
        metaLeader: server.name === leaderName,
      }),
    )
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  // Each replica's server lists the asset; the leader's view is the one that knows the followers' lag.
  const best = new Map<string, { fromLeader: boolean; asset: ReplicatedAsset }>();
  const offer = (key: string, from: string, cluster: ClusterJson | undefined, make: () => ReplicatedAsset) => {
    const fromLeader = Boolean(cluster?.leader && cluster.leader === from);
    const known = best.get(key);
    if (!known || (fromLeader && !known.fromLeader)) best.set(key, { fromLeader, asset: make() });
  };
  for (const { server, data } of withJs) {
    for (const account of data.account_details ?? []) {
      for (const s of account.stream_detail ?? []) {
        const replicas = s.config?.num_replicas ?? (s.cluster?.replicas?.length ?? 0) + 1;
        offer(`${account.name}\u0000${s.name}`, server.name, s.cluster, () => ({
          account: account.name,
          stream: s.name,
          replicas,
          placement: placementOf(clusterInfo(s.cluster), replicas),
        }));
        for (const c of s.consumer_detail ?? []) {
          const cr = c.config?.num_replicas || replicas;
          offer(`${account.name}\u0000${s.name}\u0000${c.name}`, server.name, c.cluster, () => ({
            account: account.name,
            stream: s.name,
            consumer: c.name,
            replicas: cr,
            placement: placementOf(clusterInfo(c.cluster), cr),
            // The server leaves `paused` out when false.
            ...(pauseKnown ? { paused: c.paused === true } : {}),
          }));
        }
      }
    }
  }
  const assets = sortAssets([...best.values()].map((b) => b.asset));
  if (assets.length > MAX_ASSETS) notes.push(leftOut(assets.length));
  return {
    source: 'system',
    meta,
    servers,
    assets: assets.slice(0, MAX_ASSETS),
    disabled,
    notes,
  };
}

async function fromAccount(access: NatsAccess, version: string): Promise<JetStreamHealth> {
  const jsm = await access.jetstreamManager();
  const disabled = disabledFeatures([version]);
  const pauseKnown = !disabled.some((d) => d.feature === 'consumerPause');
  const assets: ReplicatedAsset[] = [];
  let total = 0;
  for await (const s of jsm.streams.list() as AsyncIterable<StreamInfo>) {
    total += 1 + (s.state.consumer_count ?? 0);
    if (assets.length >= MAX_ASSETS) continue;
    const replicas = s.config.num_replicas;
    assets.push({ stream: s.config.name, replicas, placement: placementOf(s.cluster, replicas) });
    if (!s.state.consumer_count) continue;
    for await (const c of jsm.consumers.list(s.config.name) as AsyncIterable<ConsumerInfo>) {
      if (assets.length >= MAX_ASSETS) break;
      const cr = c.config.num_replicas || replicas;
      assets.push({
        stream: s.config.name,
        consumer: c.name,
        replicas: cr,
        placement: placementOf(c.cluster, cr),
        ...(pauseKnown ? { paused: c.paused === true } : {}),
      });
    }
  }
  const notes = [META_NEEDS_SYSTEM];
  if (total > MAX_ASSETS) notes.push(leftOut(total));
  return {
    source: 'account',
    servers: [],
    assets: sortAssets(assets),
    disabled,
    notes,
  };
}

function replicasOf(list: ReplicaJson[] | undefined): ClusterInfo['replicas'] {
  return (list ?? []).map((r) => ({
    ...r,
    lag: r.lag ?? 0,
    offline: r.offline || (!r.current && (r.active ?? 0) / 1e6 >= OFFLINE_AFTER_MS),
  })) as ClusterInfo['replicas'];
}

function clusterInfo(c: ClusterJson | undefined): ClusterInfo | undefined {
  return c
    ? ({ name: c.name ?? '', leader: c.leader ?? '', replicas: replicasOf(c.replicas) } as ClusterInfo)
    : undefined;
}

function sortAssets(assets: ReplicatedAsset[]): ReplicatedAsset[] {
  const key = (a: ReplicatedAsset) => `${a.account ?? ''}\u0000${a.stream}\u0000${a.consumer ?? ''}`;
  return assets.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function leftOut(total: number): string {
  return `The cluster has ${total} streams and consumers; only the first ${MAX_ASSETS} are listed.`;
}
