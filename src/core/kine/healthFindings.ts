import type { Placement } from '../nats/placement';

export type FindingSeverity = 'error' | 'warning' | 'info';

/** One risky condition of a kine bucket: what is seen, the failure it leads to, and what to do about it. */
export interface HealthFinding {
  readonly severity: FindingSeverity;
  /** Stable code for tests, JSON and the UI. */
  readonly code: string;
  /** What the figures show, in one sentence. */
  readonly seen: string;
  /** The failure it predicts, naming the kine issue where users met it. */
  readonly predicts: string;
  /** The next step. */
  readonly action: string;
}

/** The figures the rules read; `bucketHealth` gathers them from the bucket, tests write them by hand. */
export interface HealthFacts {
  readonly bucket: string;
  readonly liveKeys: number;
  readonly deletedKeysStored: number;
  /** False when the keys could not be counted (a scan that timed out); the key rules are then skipped. */
  readonly keysKnown?: boolean;
  readonly messages: number;
  readonly bytes: number;
  readonly history: number;
  readonly replicas: number;
  readonly newestRevision: number;
  readonly compactRevision?: number;
  /** When the compaction key was last written. */
  readonly compactedAt?: Date;
  readonly allowDirect: boolean;
  /** The stream's RAFT group; undefined on a single server. */
  readonly placement?: Placement;
  /** How many servers the NATS cluster has, as far as the server told us (1 outside a cluster). */
  readonly clusterSize: number;
  /** The time the figures were read, for the compaction's age. */
  readonly now: Date;
}

/**
 * kine waits this long for its start-up replay of the whole stream, then gives up and K3s exits
 * (kine 0.17.5 `pkg/drivers/nats/kv.go` waitReady: `time.NewTimer(time.Minute)`).
 */
export const KINE_READY_TIMEOUT_S = 60;

/**
 * Replay speed, estimated from the one measured report (kine#720, kine-format.md §9): a 1.294 GiB stream replayed in
 * 83 s before kine 0.16.4 and in about 10 s after its replay fix. Disks and CPUs differ, so these are estimates.
 */
const REPLAY_SAMPLE_BYTES = 1.294 * 2 ** 30;
export const REPLAY_BYTES_PER_S_OLD = REPLAY_SAMPLE_BYTES / 83;
export const REPLAY_BYTES_PER_S_NEW = REPLAY_SAMPLE_BYTES / 10;

/** Below this many messages, history and deleted keys cost too little time to mention. */
export const HISTORY_MIN_MESSAGES = 10_000;
/** Stored messages per live key above which history and deleted keys, not live objects, dominate the replay. */
export const HISTORY_RATIO = 5;

/** kube-apiserver compacts every 5 minutes by default (`--etcd-compaction-interval`). */
export const APISERVER_COMPACTION_INTERVAL_S = 300;
/**
 * kine keeps 1000 revisions when it compacts by itself (`--compact-min-retain`, `pkg/app/app.go`); a compaction
 * revision ten times that far behind the newest one means compaction has stalled or never runs (an estimate: a very
 * busy cluster writes that many revisions within one interval).
 */
export const COMPACTION_LAG_REVISIONS = 10_000;
export const KINE_COMPACT_MIN_RETAIN = 1000;

/** Every finding for the facts, errors first. Pure: the same facts give the same findings. */
export function healthFindings(f: HealthFacts): HealthFinding[] {
  const out: HealthFinding[] = [];
  const add = (severity: FindingSeverity, code: string, seen: string, predicts: string, action: string) =>
    out.push({ severity, code, seen, predicts, action });
  const stream = `KV_${f.bucket}`;
  const mib = (f.bytes / 2 ** 20).toFixed(1);

  // Replay: kine reads every stored message into its in-memory index before it serves anything.
  const replayNew = f.bytes / REPLAY_BYTES_PER_S_NEW;
  const replayOld = f.bytes / REPLAY_BYTES_PER_S_OLD;
  if (replayNew >= KINE_READY_TIMEOUT_S)
    add(
      'error',
      'replay-timeout',
      `${stream} holds ${f.messages} messages (${mib} MiB); kine replays all of them at every start, an estimated ${Math.round(replayNew)} s even with kine 0.16.4 or newer.`,
      `kine gives up after ${KINE_READY_TIMEOUT_S} s ("timeout waiting for btree to be ready") and K3s restart-loops (kine#720).`,
      `Lower the history (revHistory on a new bucket) and move the live keys to a new bucket; the estimate assumes #720's disk speed.`,
    );
  else if (replayOld >= KINE_READY_TIMEOUT_S || replayNew >= KINE_READY_TIMEOUT_S / 2)
    add(
      'warning',
      'replay-slow',
      `${stream} holds ${f.messages} messages (${mib} MiB): an estimated ${Math.round(replayNew)} s to replay with kine 0.16.4 or newer, ${Math.round(replayOld)} s with older kine.`,
      `A K3s whose kine is older than 0.16.4 times out at start after ${KINE_READY_TIMEOUT_S} s and restart-loops (kine#720); newer ones start slowly.`,
      'Run a K3s release with kine 0.16.4 or newer, and keep the history small (see the history finding).',
    );

  // History and deleted keys: kine never purges either, so they grow the replay with no live object behind them.
  const keysKnown = f.keysKnown !== false;
  if (!keysKnown)
    add(
      'warning',
      'keys-unknown',
      `The key scan of ${stream} timed out while a replica is down, so live and deleted keys were not counted.`,
      "The server gave the scan's consumer to a server that did not answer; the other figures and findings stand.",
      'Bring the replica back (see the replica finding) and run the health check again for the key figures.',
    );
  const perLive = f.liveKeys === 0 ? f.messages : f.messages / f.liveKeys;
  if (keysKnown && f.messages >= HISTORY_MIN_MESSAGES && perLive >= HISTORY_RATIO)
    add(
      'warning',
      'history-heavy',
      `${f.messages} stored messages for ${f.liveKeys} live keys (${perLive.toFixed(1)} per key; history ${f.history}, ${f.deletedKeysStored} deleted keys still stored).`,
      `Every start replays all of them, so start-up time grows with churn, not with the cluster's size (kine#720).`,
      `Use a smaller revHistory (2 is kine's minimum) for a new bucket, or lower it on this one with 'nats stream edit ${stream} --max-msgs-per-subject N' while K3s is stopped, then start K3s with the same revHistory in its endpoint.`,
    );
  if (keysKnown && f.deletedKeysStored >= HISTORY_MIN_MESSAGES / f.history && f.deletedKeysStored > f.liveKeys)
    add(
      'info',
      'deleted-keys',
      `${f.deletedKeysStored} deleted keys are still stored, more than the ${f.liveKeys} live ones: kine keeps up to ${f.history} messages and a delete marker of each.`,
      'They cost replay time and disk and are never cleaned up by kine (kine#720).',
      'Nothing breaks yet; watch the history finding, which says when they dominate.',
    );

  // Compaction: kine stores kube-apiserver's compaction in compact_rev_key_apiserver and serves no older revision.
  if (f.compactRevision === undefined) {
    if (f.newestRevision > COMPACTION_LAG_REVISIONS)
      add(
        'info',
        'compaction-none',
        `No compaction revision is stored, though the bucket is at revision ${f.newestRevision}.`,
        'Watches may resume from any old revision, which kine serves by reading the stream from there; kine older than 0.13.16 never stores one.',
        'Check that kube-apiserver compacts (--etcd-compaction-interval, 5m by default) and that K3s runs kine 0.14.10 or newer.',
      );
  } else {
    const behind = f.newestRevision - f.compactRevision;
    const ageS = f.compactedAt ? (f.now.getTime() - f.compactedAt.getTime()) / 1000 : undefined;
    const age = ageS === undefined ? '' : `, last written ${Math.round(ageS / 60)} min ago`;
    const interval = `kube-apiserver compacts every ${APISERVER_COMPACTION_INTERVAL_S / 60} min by default`;
    if (ageS !== undefined && ageS >= 3 * APISERVER_COMPACTION_INTERVAL_S && behind > KINE_COMPACT_MIN_RETAIN)
      add(
        'warning',
        'compaction-stalled',
        `The compaction revision ${f.compactRevision} is ${behind} revisions behind the newest (${f.newestRevision})${age}; ${interval}.`,
        'Compaction has stalled: watches may resume from ever older revisions, which kine serves by reading the stream from there on, and nothing old is ever reported compacted.',
        "Look for compaction errors in K3s's log; one apiserver compacts for all, so check that one is running and reaches kine.",
      );
    else if (behind >= COMPACTION_LAG_REVISIONS)
      add(
        ageS === undefined ? 'warning' : 'info',
        'compaction-behind',
        `The compaction revision ${f.compactRevision} is ${behind} revisions behind the newest (${f.newestRevision})${age}; ${interval}.`,
        ageS === undefined
          ? 'Compaction may have stalled (the key carries no time): a watch that resumes from an old revision makes kine read the stream from there on (the threshold is an estimate).'
          : 'Compaction runs, but the cluster writes more revisions between two compactions than kine keeps by itself (an estimate): a watch that resumes from the compaction revision makes kine read all of them.',
        ageS === undefined
          ? "Look for compaction errors in K3s's log."
          : 'Find the writer that churns most (top resource types above), often leases or events, and slow it down.',
      );
  }

  // Cluster state of the stream: the RAFT group kine's reads and writes go through.
  const p = f.placement;
  if (p && !p.leader)
    add(
      'error',
      'no-leader',
      `${stream} has no leader: its replicas are electing one or too few are up for a majority.`,
      'Every kine write and its start time out ("Failed to create health key: context deadline exceeded"), and the apiserver reports "illegal resource version from storage: 0" (kine#274).',
      'Bring the offline NATS servers back; with fewer than a majority up, the stream cannot elect a leader.',
    );
  for (const r of p?.replicas ?? []) {
    if (r.leader || r.state === 'current') continue;
    const offline = r.state === 'offline';
    add(
      'warning',
      offline ? 'replica-offline' : 'replica-lagging',
      offline
        ? `Replica ${r.name} of ${stream} is offline${r.lastSeenMs >= 1000 ? ` (last seen ${Math.round(r.lastSeenMs / 1000)} s ago)` : ''}.`
        : `Replica ${r.name} of ${stream} is not current${r.lag > 0 ? `: ${r.lag} operations behind the leader` : ''}.`,
      f.allowDirect
        ? 'Direct gets are on (kine turns them on), so any replica answers reads: one that lags serves old objects, which after a restart looks like an inconsistent cluster (kine#406). One more lost replica ends the majority (kine#274).'
        : 'One more lost replica ends the majority and every write times out (kine#274).',
      offline
        ? `Restart NATS server ${r.name}; it catches up by itself. If it stays behind, 'nats stream cluster step-down ${stream}' or scaling to R1 and back resynchronises it.`
        : "Wait for it to catch up; if the lag keeps growing, check that server's disk and network.",
    );
  }
  if (f.replicas === 1 && f.clusterSize > 1)
    add(
      'warning',
      'single-replica',
      `${stream} has 1 replica on a cluster of ${f.clusterSize} NATS servers.`,
      'When the one server that holds it restarts or fails, the datastore is gone for every K3s server, and its data with that disk (kine#406, #274).',
      `Use replicas=3 in the endpoint for a new bucket, or 'nats stream edit ${stream} --replicas 3' and then the same replicas=3 in the endpoint (kine refuses to start when they differ).`,
    );
  if (f.replicas > 1 && f.replicas % 2 === 0)
    add(
      'info',
      'even-replicas',
      `${stream} has ${f.replicas} replicas.`,
      `An even number tolerates no more failures than ${f.replicas - 1} replicas (a majority of ${f.replicas} is ${f.replicas / 2 + 1}).`,
      'Use an odd number: 3 or 5.',
    );
  if (!f.allowDirect)
    add(
      'info',
      'direct-off',
      `${stream} has direct gets off.`,
      'kine 0.11.0 to 0.11.6 turned them off and reads could time out; newer kine turns them back on at start.',
      'Nothing to do if K3s runs kine 0.11.7 or newer; it fixes this when it starts.',
    );
  const order: Record<FindingSeverity, number> = { error: 0, warning: 1, info: 2 };
  return out.sort((a, b) => order[a.severity] - order[b.severity]);
}
