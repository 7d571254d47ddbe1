import type { KineBucket } from '../core/kine/kineBucket';
import { typeNode } from '../core/kine/kineIndex';
import { KineListing } from '../core/kine/kineListing';
import { otherRow, typeRow } from './kineOutput';

/**
 * `kine ls` in text: the same lines as `topLevelText`, written as they become known so a bucket of a million keys
 * shows its first line at once. The revision comes from plain stream info, the resource types from the server's
 * subject listing, and each type's exact live and deleted counts from a headers-only scan of that type alone,
 * printed as soon as it ends; the other keys come last.
 */
export async function streamTopLevelText(b: KineBucket, out: (text: string) => void): Promise<void> {
  out(`revision ${(await b.info()).state.last_seq}\n`);
  const listing = await KineListing.open(b);
  const top = listing.topLevel();
  for (const type of top.resources) {
    const exact = type.estimated ? typeNode(type.resource, type.kvPrefix, await listing.typeKeys(type.kvPrefix)) : type;
    out(`${typeRow(exact)}\n`);
  }
  const other = listing.fromListing ? await listing.otherKeys({ includeDeleted: true }) : top.otherKeys;
  const deleted = other.filter((k) => k.deleted).length;
  out(`${otherRow({ liveKeys: other.length - deleted, deletedKeys: deleted, storedKeys: other.length }, other)}\n`);
}
