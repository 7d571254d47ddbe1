import type { ClusterInfo } from '@nats-io/jetstream';

/** How one replica of a clustered stream stands, as its RAFT leader reports it. */
export type ReplicaState = 'current' | 'lagging' | 'offline';

export interface ReplicaView {
  readonly name: string;
  readonly leader: boolean;
  readonly state: ReplicaState;
  /** Operations behind the leader (0 for the leader). */
  readonly lag: number;
  /** Milliseconds since the leader last heard from it (0 for the leader). */
  readonly lastSeenMs: number;
}

/** Where a stream (or a KV bucket's stream) lives in a cluster: its leader and each replica's state. */
export interface Placement {
  readonly cluster?: string;
  /** Undefined while the replicas have no leader (an election, or no quorum). */
  readonly leader?: string;
  readonly replicas: readonly ReplicaView[];
  /** True when a replica is lagging or offline, or there is no leader. */
  readonly degraded: boolean;
}

/**
 * Reads the `cluster` block of stream info. Undefined on a server outside a cluster, where it names no cluster and no
 * peers, so single servers show no placement at all.
 */
export function placementOf(cluster: ClusterInfo | undefined, configuredReplicas: number): Placement | undefined {
  if (!cluster?.name && !cluster?.replicas?.length) return undefined;
  const replicas: ReplicaView[] = [];
  if (cluster.leader) replicas.push({ name: cluster.leader, leader: true, state: 'current', lag: 0, lastSeenMs: 0 });
  for (const p of cluster.replicas ?? []) {
    replicas.push({
      name: p.name,
      leader: false,
      state: p.offline ? 'offline' : p.current ? 'current' : 'lagging',
      lag: p.lag ?? 0,
      lastSeenMs: Math.round((p.active ?? 0) / 1e6),
    });
  }
  replicas.sort((a, b) =>
    a.leader !== b.leader ? (a.leader ? -1 : 1) : a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  const degraded =
    !cluster.leader ||
    replicas.some((r) => r.state !== 'current') ||
    (configuredReplicas > 1 && replicas.length < configuredReplicas);
  return { cluster: cluster.name, leader: cluster.leader || undefined, replicas, degraded };
}

/** One short phrase for a tree row: `leader n1`, `leader n1, n3 offline`, `no leader`. */
export function placementPhrase(p: Placement): string {
  if (!p.leader) return 'no leader';
  const troubled = p.replicas.filter((r) => r.state !== 'current').map((r) => `${r.name} ${r.state}`);
  return [`leader ${p.leader}`, ...troubled].join(', ');
}

/** One line per replica, for a tooltip or an info view. */
export function placementLines(p: Placement): string[] {
  const lines = p.replicas.map((r) => {
    if (r.leader) return `${r.name}: leader`;
    const seen = r.lastSeenMs >= 1000 ? `, last seen ${(r.lastSeenMs / 1000).toFixed(1)} s ago` : '';
    const lag = r.lag > 0 ? `, ${r.lag} behind` : '';
    return `${r.name}: ${r.state}${lag}${seen}`;
  });
  if (!p.leader) lines.unshift('no leader: the replicas are electing one, or too few of them are up for a majority');
  return lines;
}
