import { createInbox, headers, type NatsConnection, type Subscription } from '@nats-io/transport-node';

/**
 * JetStream publishes as plain core publishes whose acks all come back on one wildcard inbox subscription. nats.js's
 * `js.publish` makes a request per message and builds two error objects with stack traces for each, which held
 * the kine generator to a few thousand messages a second; here a publish costs one buffer write and one map entry.
 * For generators only: there is no timeout (the caller's stream must exist and the connection stay up).
 */
export class AsyncAckPublisher {
  private readonly pending = new Map<number, { resolve: (seq: number) => void; reject: (err: Error) => void }>();
  private readonly sub: Subscription;
  private readonly prefix = createInbox();
  private next = 0;

  constructor(private readonly nc: NatsConnection) {
    this.sub = nc.subscribe(`${this.prefix}.*`, {
      callback: (err, m) => {
        const id = Number(m?.subject.slice(this.prefix.length + 1));
        const waiter = this.pending.get(id);
        if (!waiter) return;
        this.pending.delete(id);
        if (err) return waiter.reject(err);
        const ack = m.json<{ seq?: number; error?: { description?: string } }>();
        if (ack.error || ack.seq === undefined)
          waiter.reject(new Error(ack.error?.description ?? 'no sequence in ack'));
        else waiter.resolve(ack.seq);
      },
    });
  }

  /** Publishes `body` to `subject`; resolves the stored sequence. `expectLastSubjectSeq` guards like kine's writes. */
  publish(
    subject: string,
    body: Uint8Array,
    options: { expectLastSubjectSeq?: number; del?: boolean } = {},
  ): Promise<number> {
    const id = this.next++;
    const h = options.expectLastSubjectSeq !== undefined || options.del ? headers() : undefined;
    if (options.expectLastSubjectSeq !== undefined)
      h!.set('Nats-Expected-Last-Subject-Sequence', String(options.expectLastSubjectSeq));
    if (options.del) h!.set('KV-Operation', 'DEL');
    return new Promise<number>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.nc.publish(subject, body, { reply: `${this.prefix}.${id}`, headers: h });
    });
  }

  close(): void {
    this.sub.unsubscribe();
    for (const w of this.pending.values()) w.reject(new Error('the publisher was closed'));
    this.pending.clear();
  }
}
