/** The KV bucket (stream `KV_<bucket>`) does not exist on this server. */
export class KineBucketNotFoundError extends Error {
  override readonly name = 'KineBucketNotFoundError';
  constructor(
    readonly bucket: string,
    /** A plain stream has the bucket's name: the user probably named a stream. */
    readonly plainStream = false,
  ) {
    super(
      plainStream
        ? `There is no KV bucket '${bucket}' (stream KV_${bucket}) on this server: '${bucket}' is a stream, not a KV bucket. Name the KV bucket kine writes to (kine's default is kine).`
        : `There is no KV bucket '${bucket}' (stream KV_${bucket}) on this server.`,
    );
  }
}

/** Stream `KV_<bucket>` exists but is not a KV bucket: it does not store `$KV.<bucket>.>`, so it holds no kine keys. */
export class KineNotKvBucketError extends Error {
  override readonly name = 'KineNotKvBucketError';
  constructor(
    readonly bucket: string,
    readonly subjects: readonly string[],
  ) {
    super(
      `Stream KV_${bucket} is not a KV bucket: it stores ${subjects.length ? subjects.join(', ') : 'no subjects'}, not $KV.${bucket}.>, so it holds no kine keys. Check the bucket name.`,
    );
  }
}

/** No stored revision of this key exists (never written, or evicted from the history). */
export class KineKeyNotFoundError extends Error {
  override readonly name = 'KineKeyNotFoundError';
  constructor(
    readonly key: string,
    readonly revision?: number,
  ) {
    super(
      revision === undefined
        ? `The bucket holds no key '${key}'.`
        : `The bucket holds no revision ${revision} of '${key}'.`,
    );
  }
}
