import { KineBucket, type KineDetection } from '../../core/kine/kineBucket';
import { listTopLevel, type TopLevel } from '../../core/kine/kineTree';
import type { NatsSession } from '../../core/nats/session';

interface Entry {
  readonly session: NatsSession;
  readonly bucket: KineBucket;
  readonly detection: KineDetection;
  top?: TopLevel;
}

/**
 * Opens each KV bucket once per session to ask whether it holds kine data (decided from the data, not the name),
 * and keeps the first tree level per bucket revision, so re-expanding an unchanged 300,000-key bucket is free.
 */
export class KineBuckets {
  private readonly entries = new Map<string, Promise<Entry>>();

  /** The bucket and its detection; a failed look is not cached, so the next expand tries again. */
  async get(connectionId: string, session: NatsSession, bucket: string): Promise<Entry> {
    const id = `${connectionId}\u0000${bucket}`;
    let entry = this.entries.get(id);
    if (entry) {
      const e = await entry.catch(() => undefined);
      if (e && e.session === session) return e;
    }
    entry = (async () => {
      const kb = await KineBucket.open(session.connection(), bucket);
      return { session, bucket: kb, detection: await kb.detect() };
    })();
    this.entries.set(id, entry);
    entry.catch(() => this.entries.delete(id));
    return entry;
  }

  /** The first level, re-read only when the bucket's last sequence moved. */
  async topLevel(entry: Entry): Promise<TopLevel> {
    const last = (await entry.bucket.info()).state.last_seq;
    if (entry.top?.revision !== last) entry.top = await listTopLevel(entry.bucket);
    return entry.top;
  }

  forget(): void {
    this.entries.clear();
  }
}
