import { StorageType, type StreamConfig } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { KineBucket } from '../../kine/kineBucket';
import { openBucket } from '../kvBrowser';
import { assertWritable, BucketNotFoundError } from '../natsErrors';
import type { NatsAccess } from '../session';
import { bucketNameProblem, changedSettings, KV_DEFAULTS, settingsProblem, type KvBucketSettings } from './kvSettings';

/** A KV write the extension will not do, with the sentence that says why and what to do instead. */
export class KvRefusedError extends Error {
  override readonly name = 'KvRefusedError';
}

/** The server's default duplicate window; it may never be longer than the bucket's TTL. */
const DUPLICATE_WINDOW_MS = 120_000;
const nanos = (ms: number) => ms * 1_000_000;

/** The bucket's current settings, read from its stream; rejects with `BucketNotFoundError` when it does not exist. */
export async function readBucketSettings(access: NatsAccess, bucket: string): Promise<KvBucketSettings> {
  const status = await (await openBucket(access, bucket)).status();
  return {
    history: status.history,
    ttlMs: status.ttl,
    maxValueSize: status.maxValueSize,
    replicas: status.replicas,
    storage: status.storage === StorageType.Memory ? 'memory' : 'file',
    description: status.description,
  };
}

/** Refuses when `bucket` holds kine data: K3s's datastore must only change through the Kubernetes API. */
export async function refuseKineBucket(access: NatsAccess, bucket: string, action: string): Promise<void> {
  const kb = await KineBucket.open(access.connection(), bucket);
  if ((await kb.detect()).isKine)
    throw new KvRefusedError(
      `Bucket ${bucket} holds K3s's kine data, so ${action} was refused: kine owns it; change objects through kubectl instead.`,
    );
}

/**
 * Creates a bucket with `settings` (fields left out take the server's defaults). Refuses an existing bucket
 * instead of opening it, which is what nats.js would do.
 */
export async function createBucket(
  access: NatsAccess,
  bucket: string,
  settings: Partial<KvBucketSettings> = {},
): Promise<KvBucketSettings> {
  assertWritable(access, `creating bucket ${bucket}`);
  const full = { ...KV_DEFAULTS, ...settings };
  const problem = bucketNameProblem(bucket) ?? settingsProblem(full);
  if (problem) throw new KvRefusedError(problem);
  if (await bucketExists(access, bucket))
    throw new KvRefusedError(`Bucket ${bucket} already exists: edit it instead, or pick another name.`);
  await new Kvm(access.jetstream())
    .create(bucket, {
      history: full.history,
      ttl: full.ttlMs,
      maxValueSize: full.maxValueSize,
      replicas: full.replicas,
      storage: full.storage === 'memory' ? StorageType.Memory : StorageType.File,
      description: full.description || undefined,
    })
    .catch((err: unknown) => refuseTooManyReplicas(err, bucket, full.replicas));
  return readBucketSettings(access, bucket);
}

/**
 * Applies `next` to an existing bucket by updating its stream. Storage cannot change after creation (the server
 * refuses it), so that is refused here with the way out. Resolves the settings read back from the server.
 */
export async function editBucket(
  access: NatsAccess,
  bucket: string,
  next: KvBucketSettings,
): Promise<KvBucketSettings> {
  assertWritable(access, `editing bucket ${bucket}`);
  const problem = settingsProblem(next);
  if (problem) throw new KvRefusedError(problem);
  await refuseKineBucket(access, bucket, `editing bucket ${bucket}`);
  const before = await readBucketSettings(access, bucket);
  if (before.storage !== next.storage)
    throw new KvRefusedError(
      `Bucket ${bucket} keeps its ${before.storage} storage: the server cannot change it; create a new bucket instead.`,
    );
  if (changedSettings(before, next).length === 0) return before;
  const jsm = await access.jetstreamManager();
  const { config } = await jsm.streams.info(`KV_${bucket}`);
  const updated: StreamConfig = {
    ...config,
    description: next.description || undefined,
    max_msgs_per_subject: next.history,
    max_age: nanos(next.ttlMs),
    duplicate_window: nanos(next.ttlMs > 0 ? Math.min(next.ttlMs, DUPLICATE_WINDOW_MS) : DUPLICATE_WINDOW_MS),
    max_msg_size: next.maxValueSize,
    num_replicas: next.replicas,
  };
  await jsm.streams
    .update(updated.name, updated)
    .catch((err: unknown) => refuseTooManyReplicas(err, bucket, next.replicas));
  return readBucketSettings(access, bucket);
}

export interface RevertResult {
  /** The revision the value was copied from. */
  readonly from: number;
  /** The new revision that now holds it. */
  readonly revision: number;
}

/**
 * Writes the value of `key` at `revision` as its newest revision. The write is conditional on the latest revision
 * seen (`expectedLatest`, or the one read here), so a change made meanwhile is not silently overwritten.
 */
export async function revertKey(
  access: NatsAccess,
  bucket: string,
  key: string,
  revision: number,
  expectedLatest?: number,
): Promise<RevertResult> {
  assertWritable(access, `reverting ${key} in bucket ${bucket}`);
  await refuseKineBucket(access, bucket, `reverting ${key}`);
  const kv = await openBucket(access, bucket);
  const old = await kv.get(key, { revision });
  if (!old || old.key !== key)
    throw new KvRefusedError(`Key ${key} has no revision ${revision} any more: pick one its history still keeps.`);
  if (old.operation !== 'PUT')
    throw new KvRefusedError(
      `Revision ${revision} of ${key} is a ${old.operation} marker, not a value: delete or purge the key instead.`,
    );
  const latest = await kv.get(key);
  const latestRevision = expectedLatest ?? latest?.revision ?? 0;
  if (latest && latest.revision === revision)
    throw new KvRefusedError(`Revision ${revision} is already the newest of ${key}: there is nothing to revert.`);
  try {
    return { from: revision, revision: await kv.update(key, old.value, latestRevision) };
  } catch (err) {
    if (/wrong last sequence/i.test((err as Error).message))
      throw new KvRefusedError(`Key ${key} changed while reverting: look at its history again, then retry.`, {
        cause: err,
      });
    throw err;
  }
}

/** Rethrows the server's answer to more replicas than it has servers as a sentence with the way out. */
function refuseTooManyReplicas(err: unknown, bucket: string, replicas: number): never {
  const message = (err as Error)?.message ?? '';
  if (replicas > 1 && /insufficient resources|replicas > 1 not supported|no suitable peers/i.test(message))
    throw new KvRefusedError(
      `Bucket ${bucket} cannot have ${replicas} replicas here: the server has fewer JetStream servers than that; lower the replicas.`,
      { cause: err },
    );
  throw err;
}

async function bucketExists(access: NatsAccess, bucket: string): Promise<boolean> {
  try {
    await openBucket(access, bucket);
    return true;
  } catch (err) {
    if (err instanceof BucketNotFoundError) return false;
    throw err;
  }
}
