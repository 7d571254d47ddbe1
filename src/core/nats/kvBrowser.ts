import { Kvm, KvWatchInclude, type KV, type KvEntry } from '@nats-io/kv';
import { assertWritable, BucketNotFoundError, CancelledError, throwIfCancelled } from './natsErrors';
import { DEFAULT_PAYLOAD_CAP, payloadView, type PayloadView } from './payload';
import { placementOf, type Placement } from './placement';
import type { NatsAccess } from './session';

export interface BucketSummary {
  readonly bucket: string;
  /** Distinct keys stored; a deleted or purged key counts until its marker is gone. */
  readonly keys: number;
  /** Every entry kept: each key's history and delete markers included. */
  readonly values: number;
  readonly history: number;
  /** 0 means values never expire. */
  readonly ttlMs: number;
  readonly bytes: number;
  readonly storage: 'file' | 'memory';
  readonly replicas: number;
  readonly description?: string;
  /** Leader and replica states of the bucket's stream when the server is part of a cluster. */
  readonly placement?: Placement;
}

export type KvOperation = 'PUT' | 'DEL' | 'PURGE';

/** One revision of a key as plain data. */
export interface KvEntryView {
  readonly bucket: string;
  readonly key: string;
  readonly revision: number;
  /** ISO time. */
  readonly created: string;
  readonly operation: KvOperation;
  readonly payload: PayloadView;
}

/** One node of a key level: a token under a prefix, which may be a key itself and/or have keys below it. */
export interface KeyLevelChild {
  readonly token: string;
  /** The full key or prefix this child stands for (`prefix.token`). */
  readonly path: string;
  readonly isKey: boolean;
  /** Keys below this child (not counting the child itself); when `estimated`, deleted ones included. */
  readonly descendants: number;
  /** True when `descendants` counts stored subjects from the server's listing (see kvLevelFromSubjects.ts). */
  readonly estimated?: boolean;
}

/** Left-out children are counted up to this, so a level of millions cannot grow the count's set without limit. */
export const MAX_LEFT_OUT_COUNTED = 100_000;

export interface KeyLevel {
  readonly bucket: string;
  readonly prefix?: string;
  readonly children: readonly KeyLevelChild[];
  /** Children left out because of `maxChildren`, counted up to MAX_LEFT_OUT_COUNTED (there may be more then). */
  readonly leftOut: number;
  /** True when `descendants` are stored-subject counts from the server's listing (see kvLevelFromSubjects.ts). */
  readonly estimated?: boolean;
}

/** Lists KV buckets with their limits and size, sorted by name. */
export async function listBuckets(access: NatsAccess): Promise<BucketSummary[]> {
  const out: BucketSummary[] = [];
  for await (const s of new Kvm(access.jetstream()).list()) {
    out.push({
      bucket: s.bucket,
      keys: s.streamInfo.state.num_subjects ?? 0,
      values: s.values,
      history: s.history,
      ttlMs: s.ttl,
      bytes: s.size,
      storage: s.storage === 'memory' ? 'memory' : 'file',
      replicas: s.replicas,
      description: s.description || undefined,
      placement: placementOf(s.streamInfo.cluster, s.replicas),
    });
  }
  return out.sort((a, b) => (a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : 0));
}

/** Opens a bucket and checks that it exists (`Kvm.open` alone never does); rejects with `BucketNotFoundError`. */
export async function openBucket(access: NatsAccess, bucket: string): Promise<KV> {
  const kv = await new Kvm(access.jetstream()).open(bucket);
  try {
    await kv.status();
  } catch (err) {
    if ((err as Error).name === 'StreamNotFoundError' || /stream not found/i.test((err as Error).message))
      throw new BucketNotFoundError(bucket, err);
    throw err;
  }
  return kv;
}

/**
 * The distinct next tokens under `prefix` (split on `.`), from a server-side filtered key listing (`prefix.>`).
 * Keys stream through and are folded into counts, so memory stays bounded by `maxChildren` (default 1,000)
 * whatever the bucket's size. Deleted and purged keys are not listed.
 */
export async function listKeyLevel(
  access: NatsAccess,
  bucket: string,
  prefix?: string,
  options: { maxChildren?: number; signal?: AbortSignal } = {},
): Promise<KeyLevel> {
  const what = `the key listing of bucket ${bucket}`;
  throwIfCancelled(options.signal, what);
  const kv = await openBucket(access, bucket);
  const max = options.maxChildren ?? 1_000;
  const cut = prefix ? prefix.length + 1 : 0;
  const children = new Map<string, { isKey: boolean; descendants: number }>();
  const leftOutTokens = new Set<string>();
  const keys = await kv.keys(prefix ? `${prefix}.>` : '>');
  let seen = 0;
  for await (const key of keys) {
    // Checked every 1,000 keys: a big bucket's walk takes seconds, and the user may give up on it.
    if (++seen % 1_000 === 0 && options.signal?.aborted) {
      keys.stop();
      throw new CancelledError(what);
    }
    const dot = key.indexOf('.', cut);
    const token = dot < 0 ? key.slice(cut) : key.slice(cut, dot);
    let child = children.get(token);
    if (!child) {
      if (children.size >= max) {
        if (leftOutTokens.size < MAX_LEFT_OUT_COUNTED) leftOutTokens.add(token);
        continue;
      }
      child = { isKey: false, descendants: 0 };
      children.set(token, child);
    }
    if (dot < 0) child.isKey = true;
    else child.descendants++;
  }
  const list = [...children].map(([token, c]) => ({
    token,
    path: prefix ? `${prefix}.${token}` : token,
    isKey: c.isKey,
    descendants: c.descendants,
  }));
  list.sort((a, b) => (a.token < b.token ? -1 : a.token > b.token ? 1 : 0));
  return { bucket, prefix, children: list, leftOut: leftOutTokens.size };
}

/** The latest revision of `key`, or undefined when it never existed; a deleted key comes back with its DEL entry. */
export async function getKvEntry(
  access: NatsAccess,
  bucket: string,
  key: string,
  payloadCap = DEFAULT_PAYLOAD_CAP,
): Promise<KvEntryView | undefined> {
  const kv = await openBucket(access, bucket);
  const e = await kv.get(key);
  return e ? toView(e, payloadCap) : undefined;
}

/** Every kept revision of `key`, oldest first (as many as the bucket's history keeps); [] for an unknown key. */
export async function keyHistory(
  access: NatsAccess,
  bucket: string,
  key: string,
  payloadCap = DEFAULT_PAYLOAD_CAP,
): Promise<KvEntryView[]> {
  const kv = await openBucket(access, bucket);
  const out: KvEntryView[] = [];
  for await (const e of await kv.history({ key })) out.push(toView(e, payloadCap));
  return out.sort((a, b) => a.revision - b.revision);
}

/** Puts a value; resolves the new revision. */
export async function putKey(
  access: NatsAccess,
  bucket: string,
  key: string,
  value: Uint8Array | string,
): Promise<number> {
  assertWritable(access, `putting ${key} in bucket ${bucket}`);
  return (await openBucket(access, bucket)).put(key, value);
}

/** Deletes a key (a DEL marker; history is kept). */
export async function deleteKey(access: NatsAccess, bucket: string, key: string): Promise<void> {
  assertWritable(access, `deleting ${key} from bucket ${bucket}`);
  await (await openBucket(access, bucket)).delete(key);
}

/** Purges a key: removes all its revisions and leaves one PURGE marker. */
export async function purgeKey(access: NatsAccess, bucket: string, key: string): Promise<void> {
  assertWritable(access, `purging ${key} from bucket ${bucket}`);
  await (await openBucket(access, bucket)).purge(key);
}

export interface WatchOptions {
  /** Watch only keys under this prefix (`prefix.>`); a full key or wildcard pattern also works. */
  readonly prefix?: string;
  /** Start with the current value of every key (default) or only with later changes. */
  readonly includeCurrent?: boolean;
  /** Stop by itself after this many entries (default 10,000) ... */
  readonly maxEntries?: number;
  /** ... or after this long (default 10 minutes). */
  readonly maxDurationMs?: number;
  readonly payloadCap?: number;
}

export interface WatchEvent {
  readonly entry: KvEntryView;
  /** True for entries that were already there when the watch started. */
  readonly initial: boolean;
}

export interface KvWatchHandle {
  stop(): Promise<void>;
  /** Resolves when the watch ended, whatever the reason; never rejects. */
  readonly done: Promise<'stopped' | 'limit' | 'closed'>;
}

/**
 * Watches a bucket or a prefix, calling `onEvent` for each change (DEL and PURGE included). Bounded by entries and
 * time. Which entries are "initial" is decided by revision against the stream's last sequence read just before,
 * because nats.js marks the snapshot's last entry as an update (see natsjs.md, traps).
 */
export async function watchBucket(
  access: NatsAccess,
  bucket: string,
  onEvent: (e: WatchEvent) => void,
  options: WatchOptions = {},
): Promise<KvWatchHandle> {
  const kv = await openBucket(access, bucket);
  const lastBefore = (await kv.status()).streamInfo.state.last_seq;
  const key = options.prefix ? (/[*>]/.test(options.prefix) ? options.prefix : `${options.prefix}.>`) : '>';
  const includeCurrent = options.includeCurrent ?? true;
  const iter = await kv.watch({ key, include: includeCurrent ? KvWatchInclude.LastValue : KvWatchInclude.UpdatesOnly });
  const max = options.maxEntries ?? 10_000;
  const cap = options.payloadCap ?? DEFAULT_PAYLOAD_CAP;
  let reason: 'stopped' | 'limit' | 'closed' = 'closed';
  const timer = setTimeout(() => {
    reason = 'limit';
    iter.stop();
  }, options.maxDurationMs ?? 600_000);
  timer.unref?.();
  const done = (async () => {
    let n = 0;
    try {
      for await (const e of iter) {
        try {
          onEvent({ entry: toView(e, cap), initial: e.revision <= lastBefore });
        } catch {
          // A consumer's bug must not end the watch.
        }
        if (++n >= max) {
          reason = 'limit';
          break;
        }
      }
    } catch {
      // The iterator ends (or throws) when the connection closes; both mean "closed".
    } finally {
      clearTimeout(timer);
      iter.stop();
    }
    return reason;
  })();
  return {
    stop: async () => {
      if (reason === 'closed') reason = 'stopped';
      iter.stop();
      await done;
    },
    done,
  };
}

function toView(e: KvEntry, cap: number): KvEntryView {
  return {
    bucket: e.bucket,
    key: e.key,
    revision: e.revision,
    created: e.created.toISOString(),
    operation: e.operation,
    payload: payloadView(e.value, cap),
  };
}
