import type { StoredMsg } from '@nats-io/jetstream';
import { KineKeyNotFoundError } from './bucketErrors';
import { KineDecodeError, type KineDecodeReason } from './errors';
import { recordEra, type EraDetection } from './formatEra';
import type { KineBucket } from './kineBucket';
import { encodeKineKey } from './keyCodec';
import {
  decodeKineBody,
  entryState,
  operationOf,
  type DecodedKineBody,
  type EntryState,
  type KvOperation,
} from './record';
import { isSensitiveKey } from './resourcePath';

/** One stored revision of a key, decoded: what the document and the history show. */
export interface KineRevision {
  readonly key: string;
  readonly kvKey: string;
  /** ModRevision = the message's stream sequence (never taken from the JSON). */
  readonly revision: number;
  /** CreateRevision: the create's sequence (from the JSON on updates, the own sequence on a create). */
  readonly createRevision?: number;
  readonly prevRevision?: number;
  readonly time: Date;
  readonly operation: KvOperation;
  readonly state: EntryState;
  readonly lease?: number;
  readonly leaseExpiresAt?: Date;
  /** The kine versions this record alone proves (field order, and the expected-sequence header when known). */
  readonly era?: EraDetection;
  readonly decoded?: DecodedKineBody;
  readonly decodeError?: { readonly reason: KineDecodeReason; readonly message: string };
  /** Secrets and K3s bootstrap data: keep the value hidden until the user confirms. */
  readonly sensitive: boolean;
}

export interface KineObjectView extends KineRevision {
  /** Stored messages of the key (its history depth right now). */
  readonly storedRevisions: number;
}

/** Candidate KV keys for an etcd key: the current encoding, and the pre-v0.14.10 one when they differ. */
export function kvKeyCandidates(key: string): string[] {
  const out = [encodeKineKey(key)];
  for (const style of ['v0.11', 'v0.9'] as const) {
    try {
      const old = encodeKineKey(key, style);
      if (!out.includes(old)) out.push(old);
    } catch {
      // kine refuses the same keys in every era
    }
  }
  return out;
}

/**
 * The newest revision of `key` (or the given `revision`), decoded; a key whose newest entry is a DEL marker comes
 * back with state `deleted` and no value. Throws `KineKeyNotFoundError` when no stored message matches.
 */
export async function getObject(
  b: KineBucket,
  key: string,
  options: { revision?: number; now?: Date } = {},
): Promise<KineObjectView> {
  for (const kvKey of kvKeyCandidates(key)) {
    const subject = b.subjectPrefix + kvKey;
    let m: StoredMsg | null;
    if (options.revision !== undefined) {
      m = await b.messageAt(options.revision);
      if (m && m.subject !== subject) m = null;
    } else m = await b.lastMessage(kvKey);
    if (!m) continue;
    const counts = await b.subjectCounts(kvKey);
    return { ...revisionOf(key, kvKey, m, options.now), storedRevisions: counts.get(kvKey) ?? 1 };
  }
  throw new KineKeyNotFoundError(key, options.revision);
}

/** Every stored revision of `key`, oldest first (at most the bucket's history depth); throws `KineKeyNotFoundError` when none. */
export async function getHistory(b: KineBucket, key: string, options: { now?: Date } = {}): Promise<KineRevision[]> {
  for (const kvKey of kvKeyCandidates(key)) {
    const out: KineRevision[] = [];
    const it = await b.kv.history({ key: kvKey });
    for await (const e of it) {
      const operation = e.operation;
      out.push(buildRevision(key, kvKey, e.revision, e.created, operation, e.value, undefined, options.now));
    }
    if (out.length > 0) return out.sort((x, y) => x.revision - y.revision);
  }
  throw new KineKeyNotFoundError(key);
}

/** Decodes one stored message into a revision; never throws for a bad body (see `decodeError`). */
export function revisionOf(key: string, kvKey: string, m: StoredMsg, now?: Date): KineRevision {
  const hdr = m.header;
  return buildRevision(
    key,
    kvKey,
    m.seq,
    m.time,
    operationOf(hdr?.get('KV-Operation') || undefined),
    m.data,
    hdr ? hdr.has('Nats-Expected-Last-Subject-Sequence') : false,
    now,
  );
}

function buildRevision(
  key: string,
  kvKey: string,
  seq: number,
  time: Date,
  operation: KvOperation,
  data: Uint8Array,
  expectedHeader: boolean | undefined,
  now?: Date,
): KineRevision {
  const base = { key, kvKey, revision: seq, time, operation, sensitive: isSensitiveKey(key) };
  if (operation !== 'PUT') return { ...base, state: 'deleted' };
  try {
    const decoded = decodeKineBody(data);
    const env = decoded.envelope;
    const status = entryState({ operation, envelope: env, time }, now);
    return {
      ...base,
      createRevision: env.create ? seq : env.createRevision || seq,
      prevRevision: env.prevRevision,
      state: status.state,
      lease: env.lease,
      leaseExpiresAt: status.leaseExpiresAt,
      era: recordEra(env.fieldOrder, expectedHeader),
      decoded,
    };
  } catch (err) {
    if (!(err instanceof KineDecodeError)) throw err;
    return { ...base, state: 'live', decodeError: { reason: err.reason, message: err.message } };
  }
}
