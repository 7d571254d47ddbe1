// Objects can be far larger than the memory we may use, so both directions stream: uploads read the file a chunk at
// a time as nats.js asks for one, and downloads pull a few chunks at a time (a pull consumer's credit is the back
// pressure) and write each to a temp file before asking for more. nats.js's own `get` pushes without back pressure.
import { createHash, randomBytes } from 'node:crypto';
import { open, realpath, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ObjectStore } from '@nats-io/obj';
import { assertWritable } from '../natsErrors';
import type { NatsAccess } from '../session';
import { objectView, type ObjectView } from './objectEntries';
import { openObjectStore } from './objectStores';

export interface TransferOptions {
  readonly signal?: AbortSignal;
  /** Called after each chunk with the bytes moved so far and the object's or file's size. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Chunks a download may have in flight; with 128 KiB chunks (the nats.js default) about 2 MiB. */
const CHUNKS_IN_FLIGHT = 16;
/** Bytes read from the file per upload step. */
const READ_SIZE = 128 * 1024;

export class TransferCancelledError extends Error {
  override readonly name = 'TransferCancelledError';
  constructor(readonly what: string) {
    super(`${what} was cancelled`);
  }
}

export class ObjectNotFoundError extends Error {
  override readonly name = 'ObjectNotFoundError';
  constructor(
    readonly bucket: string,
    readonly object: string,
  ) {
    super(`There is no object '${object}' in bucket '${bucket}': refresh the bucket to see what it holds`);
  }
}

/** A link to a whole bucket has no data of its own to download. */
export class BucketLinkError extends Error {
  override readonly name = 'BucketLinkError';
  constructor(
    readonly object: string,
    readonly target: string,
  ) {
    super(`'${object}' links to the whole bucket '${target}', not to one object: download from that bucket instead`);
  }
}

export class ObjectIncompleteError extends Error {
  override readonly name = 'ObjectIncompleteError';
  constructor(
    readonly object: string,
    readonly chunks: number,
  ) {
    super(
      `Some of the ${chunks} chunks of '${object}' are missing from the bucket (purged or lost): nothing was saved; upload the object again`,
    );
  }
}

export class ObjectDigestError extends Error {
  override readonly name = 'ObjectDigestError';
  constructor(readonly object: string) {
    super(`The data of '${object}' does not match its SHA-256 digest: nothing was saved; the object may be damaged`);
  }
}

/**
 * Downloads an object into `path`: written to a temp file beside it, checked against the object's digest, then
 * renamed over `path`. Cancelled, failed or corrupt, the temp file is removed and `path` is left as it was.
 */
export async function downloadObject(
  access: NatsAccess,
  bucket: string,
  name: string,
  path: string,
  options: TransferOptions = {},
): Promise<ObjectView> {
  const { info, store } = await resolveObject(access, bucket, name);
  const target = await realpath(path).catch(() => path);
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.part`);
  const file = await open(temp, 'wx', 0o666);
  const cancelled = () => options.signal?.aborted;
  try {
    const hash = createHash('sha256');
    let done = 0;
    if (info.size > 0) {
      // Chunks missing from the stream would leave the consumer waiting for ever: count them before reading.
      const chunkSubject = `$O.${store}.C.${info.nuid}`;
      const jsm = await access.jetstreamManager();
      const stored = (await jsm.streams.info(`OBJ_${store}`, { subjects_filter: chunkSubject })).state.subjects;
      if ((stored?.[chunkSubject] ?? 0) !== info.chunks) throw new ObjectIncompleteError(name, info.chunks);
      const consumer = await access
        .jetstream()
        // One subject as a string: nats.js sends it as `filter_subject`, which servers before 2.10 understand.
        .consumers.get(`OBJ_${store}`, { filter_subjects: chunkSubject });
      const messages = await consumer.consume({ max_messages: CHUNKS_IN_FLIGHT });
      const stop = () => messages.stop();
      options.signal?.addEventListener('abort', stop, { once: true });
      try {
        for await (const m of messages) {
          if (cancelled()) break;
          hash.update(m.data);
          await file.write(m.data);
          done += m.data.length;
          options.onProgress?.(done, info.size);
          if (m.info.pending === 0 || done >= info.size) break;
        }
      } finally {
        options.signal?.removeEventListener('abort', stop);
        messages.stop();
      }
    }
    if (cancelled()) throw new TransferCancelledError(`Downloading '${name}'`);
    if (done !== info.size || !digestMatches(info.digest, hash.digest())) throw new ObjectDigestError(name);
    await file.sync();
    await file.close();
    await rename(temp, target);
    return objectView(info);
  } catch (err) {
    await file.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw err;
  }
}

/** The object's own info, following one link (links of links are refused by the server's clients, as here). */
async function resolveObject(access: NatsAccess, bucket: string, name: string) {
  const os = await openObjectStore(access, bucket);
  const info = await os.info(name);
  if (!info || info.deleted) throw new ObjectNotFoundError(bucket, name);
  const link = info.options?.link;
  if (!link) return { os, info, store: bucket };
  if (!link.name) throw new BucketLinkError(name, link.bucket);
  const target: ObjectStore = link.bucket === bucket ? os : await openObjectStore(access, link.bucket);
  const linked = await target.info(link.name);
  if (!linked || linked.deleted || linked.options?.link) throw new ObjectNotFoundError(link.bucket, link.name);
  return { os: target, info: linked, store: link.bucket };
}

/** `SHA-256=<base64url>`, as nats.js and the Go client write it (older writers used hex or standard base64). */
function digestMatches(digest: string, computed: Buffer): boolean {
  if (!digest.startsWith('SHA-256=')) return false;
  const text = digest.slice('SHA-256='.length);
  const stored = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  return stored.equals(computed);
}

/**
 * Uploads the file at `path` as object `name`, replacing an object of that name once the new one is complete.
 * Cancelled or failed, the chunks already sent are purged (nats.js does so when the source stream errors), so no
 * object and no orphan data is left, and an older object of that name stays as it was.
 */
export async function uploadObject(
  access: NatsAccess,
  bucket: string,
  name: string,
  path: string,
  options: TransferOptions & { readonly description?: string } = {},
): Promise<ObjectView> {
  assertWritable(access, `uploading ${name} to Object Store bucket ${bucket}`);
  const os = await openObjectStore(access, bucket);
  const file = await open(path, 'r');
  try {
    const total = (await file.stat()).size;
    let sent = 0;
    const source = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          if (options.signal?.aborted) {
            controller.error(new TransferCancelledError(`Uploading '${name}'`));
            return;
          }
          const buf = new Uint8Array(READ_SIZE);
          const { bytesRead } = await file.read(buf, 0, READ_SIZE, null);
          if (bytesRead === 0) {
            controller.close();
            return;
          }
          sent += bytesRead;
          options.onProgress?.(sent, total);
          controller.enqueue(buf.subarray(0, bytesRead));
        },
      },
      // Nothing read ahead: a chunk is read from the file only when nats.js asks for one.
      { highWaterMark: 0 },
    );
    try {
      const info = await os.put({ name, ...(options.description ? { description: options.description } : {}) }, source);
      return objectView(info);
    } catch (err) {
      if (options.signal?.aborted) throw new TransferCancelledError(`Uploading '${name}'`);
      throw err;
    }
  } finally {
    await file.close();
  }
}

/** Deletes an object: its chunks are purged and a delete marker stays in the bucket. */
export async function deleteObject(access: NatsAccess, bucket: string, name: string): Promise<void> {
  assertWritable(access, `deleting ${name} from Object Store bucket ${bucket}`);
  const os = await openObjectStore(access, bucket);
  const info = await os.info(name);
  if (!info || info.deleted) throw new ObjectNotFoundError(bucket, name);
  await os.delete(name);
}
