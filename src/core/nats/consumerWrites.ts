import type { ConsumerConfig, ConsumerInfo } from '@nats-io/jetstream';
import { type DisabledFeature, SERVER_FEATURES, atLeast } from './cluster/serverFeatures';
import { assertWritable } from './natsErrors';
import type { NatsAccess } from './session';
import { jsApiRequest } from './streamWrites';

const NS_PER_SECOND = 1_000_000_000;

/** What the user sets for a consumer; the rest of its config keeps the server's defaults. */
export interface ConsumerSpec {
  /** Durable name; also the consumer's name. */
  readonly durable: string;
  readonly description?: string;
  readonly filterSubjects?: readonly string[];
  readonly deliverPolicy?: 'all' | 'last' | 'new' | 'last_per_subject' | 'by_start_sequence';
  readonly optStartSeq?: number;
  readonly ackPolicy?: 'explicit' | 'all' | 'none';
  /** -1 for unlimited. */
  readonly maxDeliver?: number;
  /** Redelivery delays in seconds; the server needs max deliver above their count. */
  readonly backoffSeconds?: readonly number[];
  readonly ackWaitSeconds?: number;
}

/** What nats-server fills in for a pull consumer given only a durable name (2.9 – 2.14). */
export const CONSUMER_DEFAULTS = {
  deliver_policy: 'all',
  ack_policy: 'explicit',
  ack_wait: 30 * NS_PER_SECOND,
  max_deliver: -1,
  replay_policy: 'instant',
  max_ack_pending: 1000,
  max_waiting: 512,
} as const;

const DURABLE_PATTERN = /^[^\s.*>/\\]+$/;

/** A consumer spec the server would refuse; the message is one sentence naming the field. */
export class ConsumerSpecError extends Error {
  override readonly name = 'ConsumerSpecError';
}

/** Checks a spec and turns it into the server's config; throws `ConsumerSpecError` on the first broken rule. */
export function consumerConfig(spec: ConsumerSpec): Partial<ConsumerConfig> {
  if (!DURABLE_PATTERN.test(spec.durable))
    throw new ConsumerSpecError('The durable name may not be empty or hold spaces, dots, *, >, / or \\.');
  const filters = (spec.filterSubjects ?? []).map((s) => s.trim()).filter(Boolean);
  if (filters.some((s) => /\s/.test(s))) throw new ConsumerSpecError('A filter subject may not hold spaces.');
  const maxDeliver = spec.maxDeliver ?? -1;
  if (!Number.isSafeInteger(maxDeliver) || maxDeliver === 0 || maxDeliver < -1)
    throw new ConsumerSpecError('Max deliver must be -1 (unlimited) or a whole number from 1.');
  const backoff = spec.backoffSeconds ?? [];
  if (backoff.some((b) => !Number.isFinite(b) || b <= 0))
    throw new ConsumerSpecError('Each backoff delay must be a number of seconds above 0.');
  if (backoff.length > 0 && maxDeliver !== -1 && maxDeliver <= backoff.length)
    throw new ConsumerSpecError(
      `Max deliver (${maxDeliver}) must be above the number of backoff delays (${backoff.length}); raise it or drop delays.`,
    );
  if (spec.deliverPolicy === 'by_start_sequence' && !(spec.optStartSeq && spec.optStartSeq > 0))
    throw new ConsumerSpecError('Delivering from a start sequence needs that sequence (1 or more).');
  const cfg: Record<string, unknown> = {
    durable_name: spec.durable,
    deliver_policy: spec.deliverPolicy ?? CONSUMER_DEFAULTS.deliver_policy,
    ack_policy: spec.ackPolicy ?? CONSUMER_DEFAULTS.ack_policy,
    max_deliver: maxDeliver,
  };
  if (spec.description) cfg.description = spec.description;
  // One filter goes in the field every server knows; several need 2.10's filter_subjects.
  if (filters.length === 1) cfg.filter_subject = filters[0];
  if (filters.length > 1) cfg.filter_subjects = filters;
  if (spec.deliverPolicy === 'by_start_sequence') cfg.opt_start_seq = spec.optStartSeq;
  if (backoff.length) cfg.backoff = backoff.map((b) => Math.round(b * NS_PER_SECOND));
  if (spec.ackWaitSeconds) cfg.ack_wait = Math.round(spec.ackWaitSeconds * NS_PER_SECOND);
  return cfg as Partial<ConsumerConfig>;
}

const SEVERAL_FILTERS_SINCE = '2.10.0';

/** A server before 2.10 ignores `filter_subjects` and would deliver every subject: refuse instead. */
function assertFiltersSupported(access: NatsAccess, spec: ConsumerSpec): void {
  if ((spec.filterSubjects ?? []).filter((s) => s.trim()).length <= 1) return;
  const version = access.connection().info?.version ?? '0.0.0';
  if (!atLeast(version, SEVERAL_FILTERS_SINCE))
    throw new FeatureUnsupportedError({
      label: 'A consumer with several filter subjects',
      needs: SEVERAL_FILTERS_SINCE,
      serverVersion: version,
    });
}

/** Creates a durable consumer on `stream`. */
export async function createConsumer(access: NatsAccess, stream: string, spec: ConsumerSpec): Promise<ConsumerInfo> {
  assertWritable(access, `creating consumer ${spec.durable} on stream ${stream}`);
  const cfg = consumerConfig(spec);
  assertFiltersSupported(access, spec);
  return (await access.jetstreamManager()).consumers.add(stream, cfg);
}

/**
 * Edits a durable consumer. Deliver policy and start sequence cannot change after creation (the server refuses),
 * so they are taken from the consumer as it is; everything else comes from `spec`.
 */
export async function updateConsumer(access: NatsAccess, stream: string, spec: ConsumerSpec): Promise<ConsumerInfo> {
  assertWritable(access, `editing consumer ${spec.durable} of stream ${stream}`);
  consumerConfig(spec);
  assertFiltersSupported(access, spec);
  const jsm = await access.jetstreamManager();
  const current = (await jsm.consumers.info(stream, spec.durable)).config;
  const next = { ...current, ...consumerConfig({ ...spec, deliverPolicy: undefined }) } as Record<string, unknown>;
  next.deliver_policy = current.deliver_policy;
  // nats.js merges an update into the current config, so a field the spec drops must be cleared, not left out.
  if (!spec.backoffSeconds?.length) next.backoff = [];
  const filters = (spec.filterSubjects ?? []).filter((s) => s.trim()).length;
  if (filters !== 1) next.filter_subject = '';
  if (filters <= 1 && current.filter_subjects?.length) next.filter_subjects = [];
  return jsm.consumers.update(stream, spec.durable, next as Partial<ConsumerConfig>);
}

/** The spec of an existing consumer, to prefill an edit. */
export function consumerSpecOf(ci: ConsumerInfo): ConsumerSpec {
  const c = ci.config;
  return {
    durable: c.durable_name ?? ci.name,
    description: c.description || undefined,
    filterSubjects: c.filter_subjects?.length ? c.filter_subjects : c.filter_subject ? [c.filter_subject] : [],
    deliverPolicy: c.deliver_policy as ConsumerSpec['deliverPolicy'],
    optStartSeq: c.opt_start_seq,
    ackPolicy: c.ack_policy as ConsumerSpec['ackPolicy'],
    maxDeliver: c.max_deliver ?? -1,
    backoffSeconds: (c.backoff ?? []).map((ns) => ns / NS_PER_SECOND),
    ackWaitSeconds: c.ack_wait ? c.ack_wait / NS_PER_SECOND : undefined,
  };
}

/** Pausing is a 2.11 feature: on an older server this says which version it needs, else undefined. */
export function consumerPauseUnsupported(access: NatsAccess): DisabledFeature | undefined {
  const version = access.connection().info?.version ?? '0.0.0';
  const f = SERVER_FEATURES.consumerPause;
  return atLeast(version, f.since)
    ? undefined
    : { feature: 'consumerPause', label: 'Pausing a consumer', needs: f.since, serverVersion: version };
}

/** Thrown instead of sending a request the server is too old to understand. */
export class FeatureUnsupportedError extends Error {
  override readonly name = 'FeatureUnsupportedError';
  constructor(readonly disabled: Omit<DisabledFeature, 'feature'>) {
    super(
      `${disabled.label} needs nats-server ${disabled.needs} and this server runs ${disabled.serverVersion}; upgrade the server to use it`,
    );
  }
}

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30m` → now + 30 minutes; an ISO time as itself; anything else, or a past time, is one sentence. */
export function pauseUntilOf(text: string, now = Date.now()): Date {
  const t = text.trim();
  const rel = /^(\d+)\s*([smhd])$/.exec(t);
  const at = rel ? new Date(now + Number(rel[1]) * UNIT_MS[rel[2]!]!) : new Date(t);
  if (Number.isNaN(at.getTime()) || at.getTime() <= now)
    throw new ConsumerSpecError(`'${text}' is not a future time; give a duration such as 30m, 2h, 1d, or an ISO time.`);
  return at;
}

/** Pauses delivery until `until`; resolves the time the server will resume it. */
export async function pauseConsumer(access: NatsAccess, stream: string, name: string, until: Date): Promise<string> {
  assertWritable(access, `pausing consumer ${name} of stream ${stream}`);
  const unsupported = consumerPauseUnsupported(access);
  if (unsupported) throw new FeatureUnsupportedError(unsupported);
  const res = await (await access.jetstreamManager()).consumers.pause(stream, name, until);
  return res.pause_until ?? until.toISOString();
}

/** Resumes a paused consumer at once. */
export async function resumeConsumer(access: NatsAccess, stream: string, name: string): Promise<void> {
  assertWritable(access, `resuming consumer ${name} of stream ${stream}`);
  const unsupported = consumerPauseUnsupported(access);
  if (unsupported) throw new FeatureUnsupportedError(unsupported);
  await (await access.jetstreamManager()).consumers.resume(stream, name);
}

/** Asks the consumer's Raft leader to hand over to another replica (`nats consumer cluster step-down`). */
export async function consumerLeaderStepDown(access: NatsAccess, stream: string, name: string): Promise<void> {
  assertWritable(access, `stepping down the leader of consumer ${name} of stream ${stream}`);
  await jsApiRequest(access, `CONSUMER.LEADER.STEPDOWN.${stream}.${name}`);
}
