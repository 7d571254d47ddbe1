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
      return { session, bucket: kb, detection: await kb.detect() };
    })();
    this.entries.set(id, entry);
    entry.catch(() => this.entries.delete(id));
    return entry;
  }

  /** The bucket's listing, rebuilt only when the stream's last sequence moved past what it saw. */
  async index(entry: Entry): Promise<KineListing> {
    const current = await entry.index?.catch(() => undefined);
    const last = (await entry.bucket.info()).state.last_seq;
    if (current && current.revision >= last) return current;
    entry.index = KineListing.open(entry.bucket);
    entry.index.catch(() => (entry.index = undefined));
    return entry.index;
  }
}
