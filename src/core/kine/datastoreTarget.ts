import type { NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { clusterSizeOf } from '../nats/clusterSize';
import { KineBucketNotFoundError } from './bucketErrors';
import { KineBucket, type KineDetection } from './kineBucket';

/** What a NATS server offers as a K3s datastore, for the "Prepare K3s Datastore" helper. */
export interface DatastoreTarget {
  readonly serverVersion: string;
  readonly jetstream: boolean;
  /** Cluster name when the server is clustered. */
  readonly cluster?: string;
  /** The most replicas a bucket can get: the known cluster size, capped at kine's 5. */
  readonly maxReplicas: number;
  /** The account's file storage limit in bytes; -1 = unlimited. */
  readonly maxFileStorage?: number;
  readonly bucketExists: boolean;
  readonly detection?: KineDetection;
}

/** Inspects a connected server; a missing bucket is a normal answer (`bucketExists: false`), not an error. */
export async function inspectDatastoreTarget(nc: NatsConnection, bucket = 'kine'): Promise<DatastoreTarget> {
  const info = nc.info;
  const base = {
    serverVersion: info?.version ?? 'unknown',
    cluster: info?.cluster,
    // connect_urls lists every member, this server included.
    maxReplicas: Math.min(5, clusterSizeOf(info)),
  };
  if (!info?.jetstream) return { ...base, jetstream: false, bucketExists: false };
  const jsm = await jetstreamManager(nc);
  const account = await jsm.getAccountInfo();
  try {
    const b = await KineBucket.open(nc, bucket);
    return {
      ...base,
      jetstream: true,
      maxFileStorage: account.limits.max_storage,
      bucketExists: true,
      detection: await b.detect(),
    };
  } catch (err) {
    if (err instanceof KineBucketNotFoundError)
      return { ...base, jetstream: true, maxFileStorage: account.limits.max_storage, bucketExists: false };
    throw err;
  }
}
