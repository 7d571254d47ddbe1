import type { NatsConnection } from '@nats-io/transport-node';
import {
  jetstreamManager,
  type JetStreamManager,
  type MsgRequest,
  type StoredMsg,
  type StreamInfo,
} from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { KineBucketNotFoundError, KineNotKvBucketError } from './bucketErrors';
import { COMPACT_KEY } from './classify';
import type { EnvelopeFieldOrder } from './envelope';
import { KineDecodeError } from './errors';
import { detectFormatEra, type EraDetection } from './formatEra';
import { decodeKeyToken, decodeKineKey, encodeKineKey, META_TOKEN } from './keyCodec';
import { scanLastPerSubject, type LastEntry } from './lastPerSubjectScan';
import { decodeKineBody, operationOf } from './record';

/** base58("registry"): the first token of every Kubernetes key. */
export const REGISTRY_TOKEN = encodeKineKey('/registry');
const HEALTH_KV_KEY = encodeKineKey('/registry/health');
const LEGACY_COMPACT_KV_KEY = encodeKineKey(COMPACT_KEY, 'v0.11');

export interface KineDetection {
  readonly isKine: boolean;
  /** One sentence: what decided it. */
  readonly reason: string;
  /** Present when the bucket holds kine data. */
  readonly era?: EraDetection;
}

/**
 * A kine bucket on a live connection: stream facts and lookups shared by the tree, the document and the health
 * view. Holds no data of its own; the caller owns the connection.
 */
export class KineBucket {
  readonly stream: string;
  readonly subjectPrefix: string;

  private constructor(
    readonly nc: NatsConnection,
    readonly jsm: JetStreamManager,
    readonly kv: KV,
    readonly bucket: string,
  ) {
    this.stream = `KV_${bucket}`;
    this.subjectPrefix = `$KV.${bucket}.`;
  }

  /**
   * Opens `bucket` and checks that its stream exists and is a KV bucket; throws `KineBucketNotFoundError` when it
   * does not exist and `KineNotKvBucketError` when `KV_<bucket>` is some other stream (its scans would fail on the
   * server with "consumer filter subject is not a valid subset of the interest subjects").
   */
  static async open(nc: NatsConnection, bucket = 'kine', options: { apiTimeoutMs?: number } = {}): Promise<KineBucket> {
    // Subject listings of a 300k-key file stream can take seconds on nats-server 2.9, past nats.js's 5 s default.
    const jsm = await jetstreamManager(nc, { timeout: options.apiTimeoutMs ?? 60_000 });
    const b = new KineBucket(nc, jsm, await new Kvm(nc).open(bucket), bucket);
    let info: StreamInfo;
    try {
      info = await b.info();
    } catch (err) {
      if (
        err instanceof KineBucketNotFoundError &&
        (await jsm.streams.info(bucket).then(
          () => true,
          () => false,
        ))
      )
        throw new KineBucketNotFoundError(bucket, true);
      throw err;
    }
    const subjects = info.config.subjects ?? [];
    if (!subjects.includes(`${b.subjectPrefix}>`)) throw new KineNotKvBucketError(bucket, subjects);
    return b;
  }

  /** Plain stream info (cheap); throws `KineBucketNotFoundError` for a missing stream. */
  async info(): Promise<StreamInfo> {
    return this.withNotFound(() => this.jsm.streams.info(this.stream));
  }

  /**
   * Subject → stored message count for a KV-key filter (e.g. `L8nZchjdPLL.3sh2fL.>`), from stream info with
   * `subjects_filter`: one server call (paged at 100k subjects), no values, and it includes deleted keys.
   */
  async subjectCounts(kvKeyFilter = '>'): Promise<Map<string, number>> {
    const info = await this.withNotFound(() =>
      this.jsm.streams.info(this.stream, { subjects_filter: this.subjectPrefix + kvKeyFilter }),
    );
    const out = new Map<string, number>();
    const cut = this.subjectPrefix.length;
    for (const [subject, count] of Object.entries(info.state.subjects ?? {})) out.set(subject.slice(cut), count);
    return out;
  }

  /** KV keys whose newest entry is a PUT (DEL/PURGE markers left out); see `scan`. */
  async liveKvKeys(kvKeyFilter = '>'): Promise<Set<string>> {
    const out = new Set<string>();
    await this.scan(kvKeyFilter, (e) => {
      if (!e.deleted) out.add(e.kvKey);
    });
    return out;
  }

  /** The newest entry of every key under a KV-key filter, headers only (see `scanLastPerSubject`). */
  async scan(kvKeyFilter: string, onEntry: (e: LastEntry) => void, signal?: AbortSignal): Promise<void> {
    await this.withNotFound(() =>
      scanLastPerSubject(
        this.nc,
        this.jsm,
        this.stream,
        this.subjectPrefix + kvKeyFilter,
        this.subjectPrefix,
        onEntry,
        {
          signal,
        },
      ),
    );
  }

  /** The newest stored message of a KV key, or null. */
  async lastMessage(kvKey: string): Promise<StoredMsg | null> {
    return this.withNotFound(() =>
      this.jsm.streams.getMessage(this.stream, { last_by_subj: this.subjectPrefix + kvKey }),
    );
  }

  /** The message at a revision (= stream sequence), or null when it was evicted or never existed. */
  async messageAt(revision: number): Promise<StoredMsg | null> {
    return this.withNotFound(() => this.jsm.streams.getMessage(this.stream, { seq: revision }));
  }

  /**
   * Decides from the data whether the bucket is kine's: a stored message whose subject decodes as a kine key and
   * whose body decodes as a natsData record for that same key. Also dates the writer (see `detectFormatEra`).
   */
  async detect(): Promise<KineDetection> {
    const info = await this.info();
    if (info.state.messages === 0)
      return { isKine: false, reason: 'The bucket is empty, so nothing shows it holds kine data.' };
    const samples: StoredMsg[] = [];
    const health = await this.lastMessage(HEALTH_KV_KEY);
    if (health) samples.push(health);
    let seq = info.state.first_seq;
    for (let i = 0; i < 5 && seq <= info.state.last_seq; i++) {
      const m = await this.withNotFound(() =>
        this.jsm.streams.getMessage(this.stream, {
          seq,
          next_by_subj: `${this.subjectPrefix}>`,
        } as unknown as MsgRequest),
      );
      if (!m) break;
      samples.push(m);
      seq = m.seq + 1;
    }
    const puts = samples.filter(
      (m) => operationOf(m.header?.get('KV-Operation') || undefined) === 'PUT' && m.data.length > 0,
    );
    const orders: EnvelopeFieldOrder[] = [];
    const headers: boolean[] = [];
    let matched = 0;
    let lastReason = 'no stored PUT was found to decode';
    for (const m of puts) {
      const kvKey = m.subject.slice(this.subjectPrefix.length);
      try {
        const body = decodeKineBody(m.data, { maxOutputBytes: 4 << 20 });
        const fromSubject = decodeKineKey(kvKey).key;
        const legacyCompact = kvKey === LEGACY_COMPACT_KV_KEY && body.envelope.key === COMPACT_KEY;
        if (body.envelope.key !== fromSubject && !legacyCompact) {
          lastReason = `the record's key '${body.envelope.key}' does not match its subject`;
          continue;
        }
        matched++;
        orders.push(body.envelope.fieldOrder);
        headers.push(m.header?.has('Nats-Expected-Last-Subject-Sequence') ?? false);
      } catch (err) {
        lastReason = err instanceof KineDecodeError ? err.message : String(err);
      }
    }
    if (matched === 0) return { isKine: false, reason: `The bucket does not hold kine data: ${lastReason}.` };
    const [meta, legacy] = await Promise.all([
      this.subjectCounts(`${META_TOKEN}.>`),
      this.subjectCounts(LEGACY_COMPACT_KV_KEY),
    ]);
    const era = detectFormatEra({
      metaKey: meta.size > 0,
      legacyCompactKey: legacy.size > 0,
      fieldOrders: orders,
      expectedSequenceHeaders: headers,
    });
    return { isKine: true, reason: `${matched} sampled record(s) decode as kine records for their own keys.`, era };
  }

  /** Decodes one KV-key token with a per-bucket cache (the same few hundred tokens repeat across 300k keys). */
  token(t: string): string | undefined {
    let v = this.tokens.get(t);
    if (v === undefined && !this.tokens.has(t)) {
      try {
        v = decodeKeyToken(t);
      } catch {
        v = undefined;
      }
      this.tokens.set(t, v);
    }
    return v;
  }

  private readonly tokens = new Map<string, string | undefined>();

  /** Runs a server call on the bucket's stream, turning "stream not found" into `KineBucketNotFoundError`. */
  async withNotFound<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      const e = err as { name?: string; code?: number; message?: string };
      if (e.name === 'StreamNotFoundError' || e.code === 10059 || /stream not found/i.test(e.message ?? ''))
        throw new KineBucketNotFoundError(this.bucket);
      throw err;
    }
  }
}
