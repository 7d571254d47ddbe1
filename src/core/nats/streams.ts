import type { ConsumerInfo, StreamInfo } from '@nats-io/jetstream';
import { assertWritable } from './natsErrors';
import { placementOf, type Placement } from './placement';
import type { NatsAccess } from './session';

export type StreamKind = 'stream' | 'kv' | 'objectStore';

/** A stream as the tree shows it. */
export interface StreamSummary {
  readonly name: string;
  readonly kind: StreamKind;
  readonly description?: string;
  readonly subjects: readonly string[];
  readonly storage: 'file' | 'memory';
  readonly replicas: number;
  readonly messages: number;
  readonly bytes: number;
  readonly firstSeq: number;
  readonly lastSeq: number;
  /** ISO times; undefined for an empty stream. */
  readonly firstTime?: string;
  readonly lastTime?: string;
  readonly consumerCount: number;
  readonly subjectCount?: number;
  readonly deletedCount: number;
  readonly created: string;
  /** Leader and replica states when the server is part of a cluster. */
  readonly placement?: Placement;
}

export interface ConsumerSummary {
  readonly stream: string;
  readonly name: string;
  readonly durable: boolean;
  readonly kind: 'pull' | 'push';
  readonly filterSubject?: string;
  /** Messages not yet delivered. */
  readonly pending: number;
  /** Delivered but not acknowledged. */
  readonly ackPending: number;
  readonly redelivered: number;
  readonly waiting: number;
  readonly deliveredSeq: number;
  readonly ackFloorSeq: number;
  /** Set while the consumer is paused (servers from 2.11): when delivery resumes, ISO time. */
  readonly pausedUntil?: string;
}

export interface ListStreamsOptions {
  /** Show KV_ and OBJ_ backing streams (hidden by default, as `natsK3s.showSystemStreams`). */
  readonly includeSystem?: boolean;
  /** Only streams that capture this subject. */
  readonly subject?: string;
}

/** Classifies a stream by the naming conventions of KV and object store (`KV_<bucket>`, `OBJ_<store>`). */
export function streamKind(name: string): StreamKind {
  if (name.startsWith('KV_')) return 'kv';
  if (name.startsWith('OBJ_')) return 'objectStore';
  return 'stream';
}

/**
 * Lists streams with their state in one paged API walk (256 per page on 2.9), sorted by name.
 * Consumers are counted here and listed by `listConsumers` when a stream is expanded.
 */
export async function listStreams(access: NatsAccess, options: ListStreamsOptions = {}): Promise<StreamSummary[]> {
  const jsm = await access.jetstreamManager();
  const out: StreamSummary[] = [];
  for await (const si of jsm.streams.list(options.subject)) {
    const kind = streamKind(si.config.name);
    if (kind !== 'stream' && !options.includeSystem) continue;
    out.push(toSummary(si, kind));
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function toSummary(si: StreamInfo, kind: StreamKind): StreamSummary {
  const s = si.state;
  const empty = s.messages === 0;
  return {
    name: si.config.name,
    kind,
    description: si.config.description || undefined,
    subjects: si.config.subjects ?? [],
    storage: si.config.storage === 'memory' ? 'memory' : 'file',
    replicas: si.config.num_replicas,
    messages: s.messages,
    bytes: s.bytes,
    firstSeq: s.first_seq,
    lastSeq: s.last_seq,
    firstTime: empty ? undefined : s.first_ts,
    lastTime: empty ? undefined : s.last_ts,
    consumerCount: s.consumer_count,
    subjectCount: s.num_subjects,
    deletedCount: s.num_deleted ?? 0,
    created: si.created,
    placement: placementOf(si.cluster, si.config.num_replicas),
  };
}

/** One stream's summary; rejects with `StreamNotFoundError` when it does not exist. */
export async function getStream(access: NatsAccess, name: string): Promise<StreamSummary> {
  const si = await (await access.jetstreamManager()).streams.info(name);
  return toSummary(si, streamKind(name));
}

/** The stream's full info (config, state, cluster, sources) as pretty JSON, for "info" views. */
export async function streamInfoJson(access: NatsAccess, name: string): Promise<string> {
  const si = await (await access.jetstreamManager()).streams.info(name);
  return JSON.stringify(si, null, 2);
}

/** Purges a stream, or only `subject` (wildcards allowed) when given; resolves the number of messages removed. */
export async function purgeStream(access: NatsAccess, name: string, subject?: string): Promise<number> {
  assertWritable(access, subject ? `purging ${subject} from stream ${name}` : `purging stream ${name}`);
  const jsm = await access.jetstreamManager();
  const res = await jsm.streams.purge(name, subject ? { filter: subject } : undefined);
  return res.purged;
}

/** Deletes a stream with all its messages and consumers. */
export async function deleteStream(access: NatsAccess, name: string): Promise<void> {
  assertWritable(access, `deleting stream ${name}`);
  await (await access.jetstreamManager()).streams.delete(name);
}

/** A stream's consumers with their pending and ack-pending counts, sorted by name. */
export async function listConsumers(access: NatsAccess, stream: string): Promise<ConsumerSummary[]> {
  const jsm = await access.jetstreamManager();
  const out: ConsumerSummary[] = [];
  for await (const ci of jsm.consumers.list(stream)) out.push(toConsumerSummary(ci));
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function toConsumerSummary(ci: ConsumerInfo): ConsumerSummary {
  return {
    stream: ci.stream_name,
    name: ci.name,
    durable: Boolean(ci.config.durable_name),
    kind: ci.config.deliver_subject ? 'push' : 'pull',
    filterSubject: ci.config.filter_subject || undefined,
    pending: ci.num_pending,
    ackPending: ci.num_ack_pending,
    redelivered: ci.num_redelivered,
    waiting: ci.num_waiting,
    deliveredSeq: ci.delivered.stream_seq,
    ackFloorSeq: ci.ack_floor.stream_seq,
    pausedUntil: ci.paused ? (ci.config.pause_until ?? undefined) : undefined,
  };
}

/** A consumer's full info as pretty JSON; rejects with `ConsumerNotFoundError` when it does not exist. */
export async function consumerInfoJson(access: NatsAccess, stream: string, consumer: string): Promise<string> {
  const ci = await (await access.jetstreamManager()).consumers.info(stream, consumer);
  return JSON.stringify(ci, null, 2);
}

/** Deletes a consumer. */
export async function deleteConsumer(access: NatsAccess, stream: string, consumer: string): Promise<void> {
  assertWritable(access, `deleting consumer ${consumer} of stream ${stream}`);
  await (await access.jetstreamManager()).consumers.delete(stream, consumer);
}
