import type { ObjectInfo } from '@nats-io/obj';
import type { MsgHdrs } from '@nats-io/transport-node';
import { openObjectStore } from './objectStores';
import type { NatsAccess } from '../session';

/** One object's metadata as plain data, safe to keep and to print as JSON. */
export interface ObjectView {
  readonly bucket: string;
  readonly name: string;
  readonly size: number;
  readonly chunks: number;
  /** `SHA-256=<base64url>` as the server stores it. */
  readonly digest: string;
  /** ISO time the object was last written. */
  readonly modified: string;
  readonly revision: number;
  readonly description?: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly metadata: Readonly<Record<string, string>>;
  /** Set when this entry is a link to another object (or to a whole bucket when `name` is absent). */
  readonly link?: { readonly bucket: string; readonly name?: string };
}

/** Most objects a listing returns; the explorer says how many more there were. */
export const MAX_OBJECTS = 1_000;

/**
 * The bucket's live objects, sorted by name, at most `max`. The metadata is read through an ordered consumer that
 * stops as soon as the limit is reached, so a bucket of millions of objects costs no more than `max` entries.
 */
export async function listObjects(
  access: NatsAccess,
  bucket: string,
  max = MAX_OBJECTS,
): Promise<{ objects: ObjectView[]; more: boolean }> {
  const os = await openObjectStore(access, bucket);
  // `historyOnly` (known to nats.js, not in its types) ends the watch once the stored entries are read.
  const iter = await os.watch({ ignoreDeletes: true, includeHistory: true, historyOnly: true } as never);
  const objects: ObjectView[] = [];
  let more = false;
  for await (const info of iter) {
    if (info.deleted) continue;
    if (objects.length >= max) {
      more = true;
      iter.stop();
      break;
    }
    objects.push(objectView(info));
  }
  objects.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { objects, more };
}

/** One object's metadata; undefined when there is no such live object. */
export async function objectInfo(access: NatsAccess, bucket: string, name: string): Promise<ObjectView | undefined> {
  const info = await (await openObjectStore(access, bucket)).info(name);
  return info && !info.deleted ? objectView(info) : undefined;
}

export function objectView(info: ObjectInfo): ObjectView {
  const headers: [string, string][] = [];
  // An info read through a watch carries the headers as the server stores them (name → values), not as MsgHdrs.
  const h = info.headers as unknown as MsgHdrs | Record<string, string[]> | undefined;
  if (h && typeof h.keys === 'function')
    for (const k of (h as MsgHdrs).keys()) for (const v of (h as MsgHdrs).values(k)) headers.push([k, v]);
  else if (h)
    for (const [k, values] of Object.entries(h as Record<string, string[]>))
      for (const v of values) headers.push([k, v]);
  const link = info.options?.link;
  return {
    bucket: info.bucket,
    name: info.name,
    size: info.size,
    chunks: info.chunks,
    digest: info.digest,
    modified: info.mtime,
    revision: info.revision,
    ...(info.description ? { description: info.description } : {}),
    headers,
    metadata: { ...(info.metadata ?? {}) },
    ...(link ? { link: { bucket: link.bucket, ...(link.name ? { name: link.name } : {}) } } : {}),
  };
}
