import { KineBucket, type KineDetection } from '../../core/kine/kineBucket';
import { KineListing } from '../../core/kine/kineListing';
import type { NatsSession } from '../../core/nats/session';

interface Entry {
  readonly session: NatsSession;
  readonly bucket: KineBucket;
  readonly detection: KineDetection;
  index?: Promise<KineListing>;
}

/**
 * Opens each KV bucket once per session to ask whether it holds kine data (decided from the data, not the name),
 * and keeps one listing of the bucket per revision: the first level comes from the server's subject listing, and
 * each resource type is scanned once, when it is first opened.
 */
export class KineBuckets {
  private readonly entries = new Map<string, Promise<Entry>>();
  /** Keys seen to hold values encrypted at rest: the tree offers no reveal on them. */
  private readonly encrypted = new Set<string>();

  /** Remembers that `key` holds ciphertext (seen when it was opened), or forgets it when it no longer does. */
  setEncrypted(connectionId: string, bucket: string, key: string, encrypted: boolean): void {
    const id = `${connectionId}\u0000${bucket}\u0000${key}`;
    if (encrypted) this.encrypted.add(id);
    else this.encrypted.delete(id);
  }

  isEncrypted(connectionId: string, bucket: string, key: string): boolean {
    return this.encrypted.has(`${connectionId}\u0000${bucket}\u0000${key}`);
  }

  /** What each bucket's detection found, readable at once: a tree row's menus depend on it. */
  private readonly kinds = new Map<string, boolean>();

  /** True for a bucket seen to hold kine data, false for one seen not to, undefined when not looked at yet. */
  isKine(connectionId: string, bucket: string): boolean | undefined {
    return this.kinds.get(`${connectionId}\u0000${bucket}`);
  }

  /** The bucket and its detection; a failed look is not cached, so the next expand tries again. */
  async get(connectionId: string, session: NatsSession, bucket: string): Promise<Entry> {
    const id = `${connectionId}\u0000${bucket}`;
    const cached = this.entries.get(id);
    if (cached) {
      const e = await cached.catch(() => undefined);
      if (e && e.session === session) return e;
    }
    const entry = (async () => {
      const kb = await KineBucket.open(session.connection(), bucket);
      const detection = await kb.detect();
      this.kinds.set(id, detection.isKine);
      return { session, bucket: kb, detection };
    })();
    this.entries.set(id, entry);
    entry.catch(() => this.entries.delete(id));
    return entry;
  }

  /**
   * The bucket's listing, rebuilt only when the stream's last sequence moved past what it saw. `signal` cancels a
   * rebuild this call starts (a cancelled listing is not kept).
   */
  async index(entry: Entry, signal?: AbortSignal): Promise<KineListing> {
    const current = await entry.index?.catch(() => undefined);
    const last = (await entry.bucket.info()).state.last_seq;
    if (current && current.revision >= last) return current;
    entry.index = KineListing.open(entry.bucket, { signal });
    entry.index.catch(() => (entry.index = undefined));
    return entry.index;
  }
}
