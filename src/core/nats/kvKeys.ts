import { openBucket } from './kvBrowser';
import type { NatsAccess } from './session';

/** Keys of a bucket for a picker: at most `max`, sorted, and whether more were left out. */
export interface KeyList {
  readonly keys: readonly string[];
  readonly more: boolean;
}

/** The bucket's live keys (deleted and purged ones left out), read until `max` and then stopped. */
export async function listKeys(access: NatsAccess, bucket: string, max = 1_000): Promise<KeyList> {
  const kv = await openBucket(access, bucket);
  const keys: string[] = [];
  let more = false;
  const iter = await kv.keys();
  for await (const key of iter) {
    if (keys.length >= max) {
      more = true;
      // Stops the ordered consumer behind the listing instead of reading a huge bucket to its end.
      iter.stop();
      break;
    }
    keys.push(key);
  }
  return { keys: keys.sort(), more };
}
