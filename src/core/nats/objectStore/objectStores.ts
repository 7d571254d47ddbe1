import { Objm, StorageType, type ObjectStore } from '@nats-io/obj';
import { assertWritable } from '../natsErrors';
import { placementOf, type Placement } from '../placement';
import type { NatsAccess } from '../session';

/** One Object Store bucket as the explorer lists it. */
export interface ObjectStoreSummary {
  readonly bucket: string;
  /** Bytes the backing stream holds: chunks and metadata, of live objects and any not yet purged. */
  readonly bytes: number;
  readonly storage: 'file' | 'memory';
  readonly replicas: number;
  readonly sealed: boolean;
  readonly description?: string;
  readonly placement?: Placement;
}

/** The bucket asked for does not exist; `Objm.open` alone never says so. */
export class ObjectStoreNotFoundError extends Error {
  override readonly name = 'ObjectStoreNotFoundError';
  constructor(
    readonly bucket: string,
    cause?: unknown,
  ) {
    super(`Object Store bucket '${bucket}' does not exist: refresh Object Stores to see the buckets there are`, {
      cause,
    });
  }
}

/** Most buckets one listing returns; an account rarely has more, and the list is held whole. */
export const MAX_OBJECT_STORES = 1_000;

/** Lists Object Store buckets (the `OBJ_` streams), sorted by name, up to `MAX_OBJECT_STORES`. */
export async function listObjectStores(access: NatsAccess): Promise<{ stores: ObjectStoreSummary[]; more: boolean }> {
  const stores: ObjectStoreSummary[] = [];
  let more = false;
  for await (const s of new Objm(access.jetstream()).list()) {
    if (stores.length >= MAX_OBJECT_STORES) {
      more = true;
      break;
    }
    stores.push({
      bucket: s.bucket,
      bytes: s.size,
      storage: s.storage === StorageType.Memory ? 'memory' : 'file',
      replicas: s.replicas,
      sealed: s.sealed,
      description: s.description || undefined,
      placement: placementOf(s.streamInfo.cluster, s.replicas),
    });
  }
  stores.sort((a, b) => (a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : 0));
  return { stores, more };
}

/** Opens a bucket and checks it exists; rejects with `ObjectStoreNotFoundError`. */
export async function openObjectStore(access: NatsAccess, bucket: string): Promise<ObjectStore> {
  const os = await new Objm(access.jetstream()).open(bucket, false);
  try {
    await os.status();
  } catch (err) {
    if ((err as Error).name === 'StreamNotFoundError' || /stream not found/i.test((err as Error).message))
      throw new ObjectStoreNotFoundError(bucket, err);
    throw err;
  }
  return os;
}

export interface NewObjectStore {
  readonly bucket: string;
  readonly description?: string;
  readonly storage?: 'file' | 'memory';
  readonly replicas?: number;
}

/** Creates a bucket; an existing one with the same name is an error, never silently reused. */
export async function createObjectStore(access: NatsAccess, spec: NewObjectStore): Promise<ObjectStoreSummary> {
  assertWritable(access, `creating Object Store bucket ${spec.bucket}`);
  const jsm = await access.jetstreamManager();
  const exists = await jsm.streams.info(`OBJ_${spec.bucket}`).then(
    () => true,
    () => false,
  );
  if (exists) throw new ObjectStoreExistsError(spec.bucket);
  const os = await new Objm(access.jetstream()).create(spec.bucket, {
    ...(spec.description ? { description: spec.description } : {}),
    storage: spec.storage === 'memory' ? StorageType.Memory : StorageType.File,
    replicas: spec.replicas ?? 1,
  });
  const s = await os.status();
  return {
    bucket: s.bucket,
    bytes: s.size,
    storage: s.storage === StorageType.Memory ? 'memory' : 'file',
    replicas: s.replicas,
    sealed: s.sealed,
    description: s.description || undefined,
    placement: placementOf(s.streamInfo.cluster, s.replicas),
  };
}

export class ObjectStoreExistsError extends Error {
  override readonly name = 'ObjectStoreExistsError';
  constructor(readonly bucket: string) {
    super(`Object Store bucket '${bucket}' already exists: pick another name`);
  }
}

/** Deletes a bucket and every object in it. */
export async function deleteObjectStore(access: NatsAccess, bucket: string): Promise<void> {
  assertWritable(access, `deleting Object Store bucket ${bucket}`);
  await (await openObjectStore(access, bucket)).destroy();
}
