import { clusterSizeOf } from '../nats/clusterSize';
import { placementOf, type Placement } from '../nats/placement';
import { streamReportRow, type StreamReportRow } from '../nats/streamReport';
import { healthFindings, type HealthFinding } from './healthFindings';
import { COMPACT_KEY } from './classify';
import type { KineBucket } from './kineBucket';
import { getObject } from './kineObject';
import { listTopLevel } from './kineTree';
import { KineKeyNotFoundError } from './bucketErrors';

export interface KineBucketHealth {
  readonly bucket: string;
  readonly liveKeys: number;
  /** Keys whose newest entry is a delete marker but whose messages are still stored (kine never purges). */
  readonly deletedKeysStored: number;
  readonly storedKeys: number;
  readonly messages: number;
  readonly bytes: number;
  /** messages / live keys: how much history and churn each live object costs. */
  readonly messagesPerLiveKey: number;
  /** revHistory (max messages per subject). */
  readonly history: number;
  readonly oldestRevision: number;
  readonly newestRevision: number;
  /** From `compact_rev_key_apiserver` (`<ver>|<rev>`); undefined when the bucket stores none or a bare version. */
  readonly compactRevision?: number;
  /** Resource types by stored revisions, largest first (leases and events churn). */
  readonly topResources: readonly {
    readonly resource: string;
    readonly revisions: number;
    readonly storedKeys: number;
  }[];
  readonly report: StreamReportRow;
  /** False when the key scan timed out while a replica was down: the key counts are then 0, not measured. */
  readonly keysKnown: boolean;
  /** When the compaction key was last written. */
  readonly compactedAt?: Date;
  readonly allowDirect: boolean;
  /** The stream's leader and replicas; undefined on a single server. */
  readonly placement?: Placement;
  /** Servers in the NATS cluster, from the connect URLs the server advertises (1 outside a cluster). */
  readonly clusterSize: number;
  /** Risky conditions, errors first (healthFindings.ts). */
  readonly findings: readonly HealthFinding[];
}

/** Gathers the health figures: one subject-count listing, one headers-only key scan, and the compaction key. */
export async function bucketHealth(b: KineBucket, options: { top?: number } = {}): Promise<KineBucketHealth> {
  const info = await b.info();
  const placement = placementOf(info.cluster, info.config.num_replicas);
  let top: Awaited<ReturnType<typeof listTopLevel>>;
  let counts: Map<string, number>;
  let keysKnown = true;
  try {
    [top, counts] = await Promise.all([listTopLevel(b), b.subjectCounts('>')]);
  } catch (err) {
    // With a replica offline the server can place the scan's consumer on it and never answer: the cluster findings
    // are what the user needs then, so they are reported without the key figures.
    if (!placement?.degraded || (err as Error).name !== 'TimeoutError') throw err;
    keysKnown = false;
    top = { resources: [], other: { liveKeys: 0, storedKeys: 0 } } as unknown as typeof top;
    counts = new Map();
  }
  const liveKeys = top.resources.reduce((n, r) => n + r.liveKeys, 0) + top.other.liveKeys;
  const storedKeys = top.resources.reduce((n, r) => n + r.storedKeys, 0) + top.other.storedKeys;
  const revisions = new Map<string, number>();
  for (const r of top.resources) revisions.set(r.kvPrefix, 0);
  for (const [kvKey, n] of counts) {
    // Resource prefixes are 2 or 3 tokens; try the longer one first.
    const dots = [kvKey.indexOf('.'), -1, -1];
    dots[1] = dots[0] < 0 ? -1 : kvKey.indexOf('.', dots[0] + 1);
    dots[2] = dots[1] < 0 ? -1 : kvKey.indexOf('.', dots[1] + 1);
    for (const d of [dots[2], dots[1]]) {
      const prefix = d < 0 ? undefined : kvKey.slice(0, d);
      if (prefix !== undefined && revisions.has(prefix)) {
        revisions.set(prefix, revisions.get(prefix)! + n);
        break;
      }
    }
  }
  let compactRevision: number | undefined;
  let compactedAt: Date | undefined;
  try {
    const compact = await getObject(b, COMPACT_KEY);
    const c = compact.decoded?.value?.compaction;
    if (c && compact.state !== 'deleted' && compact.decoded?.value?.text?.includes('|')) {
      compactRevision = c.revision;
      compactedAt = compact.time;
    }
  } catch (err) {
    if (!(err instanceof KineKeyNotFoundError)) throw err;
  }
  const clusterSize = clusterSizeOf(b.nc.info, placement);
  const facts = {
    bucket: b.bucket,
    liveKeys,
    deletedKeysStored: storedKeys - liveKeys,
    keysKnown,
    messages: info.state.messages,
    bytes: info.state.bytes,
    history: info.config.max_msgs_per_subject,
    replicas: info.config.num_replicas,
    newestRevision: info.state.last_seq,
    compactRevision,
    compactedAt,
    allowDirect: info.config.allow_direct ?? false,
    placement,
    clusterSize,
    now: new Date(),
  };
  return {
    bucket: b.bucket,
    liveKeys,
    deletedKeysStored: storedKeys - liveKeys,
    storedKeys,
    messages: info.state.messages,
    bytes: info.state.bytes,
    messagesPerLiveKey: liveKeys === 0 ? 0 : Math.round((info.state.messages / liveKeys) * 100) / 100,
    history: info.config.max_msgs_per_subject,
    oldestRevision: info.state.first_seq,
    newestRevision: info.state.last_seq,
    compactRevision,
    topResources: top.resources
      .map((r) => ({ resource: r.resource, revisions: revisions.get(r.kvPrefix) ?? 0, storedKeys: r.storedKeys }))
      .sort((x, y) => y.revisions - x.revisions)
      .slice(0, options.top ?? 10),
    report: streamReportRow(info),
    keysKnown,
    compactedAt,
    allowDirect: facts.allowDirect,
    placement,
    clusterSize,
    findings: healthFindings(facts),
  };
}
