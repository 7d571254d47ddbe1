/** The KV bucket (stream `KV_<bucket>`) does not exist on this server. */
export class KineBucketNotFoundError extends Error {
  override readonly name = 'KineBucketNotFoundError';
  constructor(readonly bucket: string) {
    super(`There is no KV bucket '${bucket}' (stream KV_${bucket}) on this server.`);
  }
}

/** No stored revision of this key exists (never written, or evicted from the history). */
export class KineKeyNotFoundError extends Error {
  override readonly name = 'KineKeyNotFoundError';
  constructor(
    readonly key: string,
    readonly revision?: number,
  ) {
    super(revision === undefined ? `The bucket holds no key '${key}'.` : `The bucket holds no revision ${revision} of '${key}'.`);
  }
}
