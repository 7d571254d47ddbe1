import type { NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type StreamConfig } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { COMPACT_KEY } from '../../../src/core/kine/classify';
import { encodeEnvelope } from '../../../src/core/kine/envelope';
import type { KineFormatEra } from '../../../src/core/kine/formatEra';
import { GO_WRITER_BODIES } from './goWriterBodies';
import { encodeKineKey, type KeyStyle } from '../../../src/core/kine/keyCodec';
import { encodeS2StreamUncompressed } from '../../../src/core/kine/s2';
import { encodeS2Stream } from './s2Encoder';
import { AsyncAckPublisher } from './asyncAcks';

/** How bodies are compressed: Go's bytes when the JSON matches a vector (else uncompressed), ours, or never. */
export type FixtureCompression = 'go-vectors' | 'ours' | 'none';

export interface KineWriterOptions {
  readonly bucket?: string;
  readonly era?: KineFormatEra;
  /** revHistory = the stream's max_msgs_per_subject (kine's default 10). */
  readonly history?: number;
  readonly replicas?: number;
  readonly compression?: FixtureCompression;
  /** Publish through one ack subscription instead of a request per message (see AsyncAckPublisher): for big buckets. */
  readonly asyncAcks?: boolean;
}

/** What the writer knows about one key, mirroring kine's view of it. */
export interface WrittenKey {
  readonly kvKey: string;
  readonly revision: number;
  readonly createRevision: number;
  readonly value: Uint8Array;
  readonly lease: number;
  readonly deleted: boolean;
}

const te = new TextEncoder();
export const HEALTH_KEY = '/registry/health';

/**
 * Writes a KV bucket the way kine does in a given format era (kine-format.md §2, §4, §5): the stream created with
 * kine's configuration, creates/updates guarded by `Nats-Expected-Last-Subject-Sequence` (plain puts before v0.11),
 * deletes as a `Delete: true` tombstone followed by a DEL marker, the compaction key and the health key.
 * For tests, benchmarks and the demo; it refuses nothing kine would accept.
 */
/**
 * Resolves once the bucket's stream answers publishes on the server `nc` is on. Right after a stream is made on a
 * cluster, that server may not know the stream's subjects yet and a publish gets "no responders". The probe expects a
 * last sequence the stream cannot have, so the stream refuses it and stores nothing; the refusal is the answer.
 */
async function untilStreamListens(nc: NatsConnection, bucket: string): Promise<void> {
  const js = jetstream(nc, { timeout: 5_000 });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const refused = await js
      .publish(`$KV.${bucket}.__probe`, new Uint8Array(), { expect: { lastSequence: Number.MAX_SAFE_INTEGER } })
      .then(
        () => undefined,
        (err: Error) => err,
      );
    if (!refused) throw new Error(`the probe of bucket ${bucket} was stored`);
    if (refused.name !== 'JetStreamNotEnabled' && refused.name !== 'NoRespondersError') return;
    if (Date.now() > deadline) throw refused;
    await new Promise((r) => setTimeout(r, 50));
  }
}

export class KineFixtureWriter {
  private readonly keys = new Map<string, WrittenKey>();
  private compactVersion = 0;

  private constructor(
    readonly kv: KV,
    readonly bucket: string,
    readonly era: KineFormatEra,
    private readonly compression: FixtureCompression,
    private readonly acks?: AsyncAckPublisher,
  ) {}

  /** Creates stream `KV_<bucket>` with kine's settings for the era (fails if it exists) and opens the bucket. */
  static async create(nc: NatsConnection, options: KineWriterOptions = {}): Promise<KineFixtureWriter> {
    const bucket = options.bucket ?? 'kine';
    const era = options.era ?? 'v0.14.10+';
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add(kineStreamConfig(bucket, era, options.history ?? 10, options.replicas ?? 1));
    await untilStreamListens(nc, bucket);
    const kv = await new Kvm(nc).open(bucket);
    const acks = options.asyncAcks ? new AsyncAckPublisher(nc) : undefined;
    return new KineFixtureWriter(kv, bucket, era, options.compression ?? 'go-vectors', acks);
  }

  get keyStyle(): KeyStyle {
    return keyStyleOf(this.era);
  }

  /** The state of every key written so far. */
  written(): ReadonlyMap<string, WrittenKey> {
    return this.keys;
  }

  kvKey(key: string): string {
    return encodeKineKey(key, this.keyStyle);
  }

  /** kine's start-up write: create `/registry/health`; since v0.14.10 also update it on every start. */
  async startup(): Promise<void> {
    const value = te.encode('{"health":"true"}');
    const current = this.keys.get(HEALTH_KEY);
    if (!current || current.deleted) await this.create(HEALTH_KEY, value);
    else if (this.era !== 'v0.14.10+') return;
    if (this.era === 'v0.14.10+') await this.update(HEALTH_KEY, value);
  }

  /** kine `Create`: `Create: true`, revisions 0; guarded by expected sequence 0 (or the DEL marker's) since v0.11. */
  async create(key: string, value: Uint8Array, options: { lease?: number } = {}): Promise<number> {
    const kvKey = this.kvKey(key);
    const body = this.body({ key, value, lease: options.lease, create: true });
    // A key never written before takes the fast path; one created again after its delete keeps kv.create, which
    // finds the DEL marker's sequence to guard on.
    const revision =
      this.acks && !this.keys.has(key)
        ? await this.acks.publish(this.subject(kvKey), body, { expectLastSubjectSeq: this.plainPuts ? undefined : 0 })
        : this.plainPuts
          ? await this.kv.put(kvKey, body)
          : await this.kv.create(kvKey, body);
    this.keys.set(key, { kvKey, revision, createRevision: revision, value, lease: options.lease ?? 0, deleted: false });
    return revision;
  }

  /** kine `Update`: `PrevRevision` = the previous ModRevision, `CreateRevision` carried over, guarded by the previous revision. */
  async update(key: string, value: Uint8Array, options: { lease?: number } = {}): Promise<number> {
    const prev = this.live(key);
    const lease = options.lease ?? prev.lease;
    const body = this.body({
      key,
      value,
      lease,
      createRevision: prev.createRevision || prev.revision,
      prevRevision: prev.revision,
    });
    const revision = this.acks
      ? await this.acks.publish(this.subject(prev.kvKey), body, {
          expectLastSubjectSeq: this.plainPuts ? undefined : prev.revision,
        })
      : this.plainPuts
        ? await this.kv.put(prev.kvKey, body)
        : await this.kv.update(prev.kvKey, body, prev.revision);
    this.keys.set(key, { ...prev, revision, value, lease });
    return revision;
  }

  /** kine `Delete`: a PUT tombstone holding the deleted value with `Delete: true`, then a guarded DEL marker. Returns the tombstone's revision. */
  async delete(key: string): Promise<number> {
    const prev = this.live(key);
    const body = this.body({
      key,
      value: prev.value,
      lease: prev.lease,
      createRevision: prev.createRevision,
      modRevision: prev.revision,
      prevRevision: prev.revision,
      delete: true,
    });
    let revision: number;
    if (this.acks) {
      const guard = (seq: number) => (this.plainPuts ? undefined : seq);
      revision = await this.acks.publish(this.subject(prev.kvKey), body, {
        expectLastSubjectSeq: guard(prev.revision),
      });
      await this.acks.publish(this.subject(prev.kvKey), new Uint8Array(0), {
        expectLastSubjectSeq: guard(revision),
        del: true,
      });
    } else if (this.plainPuts) {
      revision = await this.kv.put(prev.kvKey, body);
      await this.kv.delete(prev.kvKey);
    } else {
      revision = await this.kv.update(prev.kvKey, body, prev.revision);
      await this.kv.delete(prev.kvKey, { previousSeq: revision });
    }
    this.keys.set(key, { ...prev, revision, deleted: true });
    return revision;
  }

  /** Lazy lease expiry of kine v0.10 – v0.14.9: a bare DEL marker right after the live PUT, no tombstone. */
  async expireLazily(key: string): Promise<void> {
    const prev = this.live(key);
    await this.kv.delete(prev.kvKey, this.plainPuts ? {} : { previousSeq: prev.revision });
    this.keys.set(key, { ...prev, deleted: true });
  }

  /**
   * Records a compaction at `revision` in `compact_rev_key_apiserver` as the era stores it (`<ver>|<rev>` since
   * v0.14.4, the bare version counter before; nothing before v0.13.16). Returns false when the era stores nothing.
   */
  async compact(revision: number): Promise<boolean> {
    if (this.era === 'v0.9-v0.10' || this.era === 'v0.11-v0.13.15') return false;
    const piped = this.era !== 'v0.13.16-v0.14.3';
    if (this.compactVersion === 0) {
      this.compactVersion = 1;
      await this.create(COMPACT_KEY, te.encode(piped ? '1|0' : '1'));
    }
    this.compactVersion++;
    await this.update(
      COMPACT_KEY,
      te.encode(piped ? `${this.compactVersion}|${revision}` : String(this.compactVersion)),
    );
    return true;
  }

  /** Stores an arbitrary body under a raw KV key (for hostile-data fixtures); a plain put. */
  async putRaw(kvKey: string, body: Uint8Array): Promise<number> {
    return this.kv.put(kvKey, body);
  }

  /** The message body kine would write for this envelope: S2(natsData JSON) in the era's field order. */
  body(input: Parameters<typeof encodeEnvelope>[0]): Uint8Array {
    const json = encodeEnvelope(input, this.legacyJson ? 'legacy' : 'current');
    const go = this.compression === 'go-vectors' ? GO_WRITER_BODIES.get(json) : undefined;
    if (go) return new Uint8Array(Buffer.from(go, 'hex'));
    const bytes = te.encode(json);
    return this.compression === 'ours' ? encodeS2Stream(bytes) : encodeS2StreamUncompressed(bytes);
  }

  private subject(kvKey: string): string {
    return `$KV.${this.bucket}.${kvKey}`;
  }

  private get plainPuts(): boolean {
    return this.era === 'v0.9-v0.10';
  }

  private get legacyJson(): boolean {
    return this.era === 'v0.9-v0.10' || this.era === 'v0.11-v0.13.15' || this.era === 'v0.13.16-v0.14.3';
  }

  private live(key: string): WrittenKey {
    const prev = this.keys.get(key);
    if (!prev || prev.deleted) throw new Error(`the fixture writer has no live key ${key}`);
    return prev;
  }
}

/** The key style kine used in an era (see `KeyStyle`). */
export function keyStyleOf(era: KineFormatEra): KeyStyle {
  if (era === 'v0.9-v0.10') return 'v0.9';
  if (era === 'v0.14.10+') return 'v0.15';
  return 'v0.11';
}

/**
 * Stream `KV_<bucket>` as nats.go `CreateKeyValue` made it for kine (kine-format.md §2): rollups allowed, deletes
 * denied, 2 min duplicate window; direct gets and discard-new only in current versions (older traces show
 * `discard: old` and `allow_direct: false`).
 */
export function kineStreamConfig(
  bucket: string,
  era: KineFormatEra,
  history: number,
  replicas: number,
): Partial<StreamConfig> & { name: string } {
  const old = era === 'v0.9-v0.10' || era === 'v0.11-v0.13.15';
  return {
    name: `KV_${bucket}`,
    description: 'Holds kine key/values',
    subjects: [`$KV.${bucket}.>`],
    max_msgs_per_subject: history,
    max_bytes: -1,
    max_age: 0,
    max_msg_size: -1,
    max_msgs: -1,
    max_consumers: -1,
    storage: 'file' as StreamConfig['storage'],
    num_replicas: replicas,
    allow_rollup_hdrs: true,
    deny_delete: true,
    duplicate_window: 120_000_000_000,
    allow_direct: era !== 'v0.9-v0.10',
    discard: (old ? 'old' : 'new') as StreamConfig['discard'],
  };
}
