import { createInbox, type Msg, type NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, type JetStreamManager } from '@nats-io/jetstream';

/** The newest message of one subject, as a headers-only scan sees it. */
export interface LastEntry {
  /** The KV key (subject without `$KV.<bucket>.`). */
  readonly kvKey: string;
  /** Stream sequence of the newest message = the key's mod revision. */
  readonly revision: number;
  /** The newest message is a DEL or PURGE marker. */
  readonly deleted: boolean;
}

/**
 * Streams the newest message of every subject under `subjectFilter` through one ephemeral push consumer
 * (DeliverLastPerSubject, headers only, no acks, flow control): the server sends headers, never values, and the
 * client does nothing per message but read the subject, the ack subject's counters and one header. Calls
 * `onEntry` per key; resolves when the consumer reports nothing pending, rejects after `idleMs` of silence.
 */
export async function scanLastPerSubject(
  nc: NatsConnection,
  jsm: JetStreamManager,
  stream: string,
  subjectFilter: string,
  subjectPrefix: string,
  onEntry: (entry: LastEntry) => void,
  idleMs = 20_000,
): Promise<void> {
  const inbox = createInbox();
  let finish!: (err?: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    finish = (err) => (err ? reject(err) : resolve());
  });
  let last = Date.now();
  const cut = subjectPrefix.length;
  const sub = nc.subscribe(inbox, {
    callback: (err, m: Msg) => {
      if (err) return finish(err);
      last = Date.now();
      if (m.data.length === 0 && m.headers?.hasError === false && m.headers.code === 100) {
        // Flow control asks for a reply (heartbeats have none); the server pauses until it gets one.
        if (m.reply) m.respond();
        return;
      }
      const ack = m.reply?.split('.') ?? [];
      // $JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<ts>.<pending> (9 tokens, servers ≤ 2.9) or the
      // 12-token form with domain and account hash in front and a random token at the end.
      const seq = Number(ack.length >= 12 ? ack[7] : ack[5]);
      const pending = Number(ack.length >= 12 ? ack[10] : ack[8]);
      const op = m.headers?.get('KV-Operation');
      onEntry({ kvKey: m.subject.slice(cut), revision: seq, deleted: op === 'DEL' || op === 'PURGE' });
      if (pending === 0) finish();
    },
  });
  let watchdog: NodeJS.Timeout | undefined;
  let consumer: string | undefined;
  try {
    const ci = await jsm.consumers.add(stream, {
      deliver_subject: inbox,
      filter_subject: subjectFilter,
      deliver_policy: DeliverPolicy.LastPerSubject,
      ack_policy: AckPolicy.None,
      headers_only: true,
      flow_control: true,
      idle_heartbeat: 5_000_000_000,
      mem_storage: true,
      num_replicas: 1,
    });
    consumer = ci.name;
    // Creating the consumer is bounded by the API timeout; from here on, silence beyond idleMs is a stall.
    last = Date.now();
    watchdog = setInterval(() => {
      if (Date.now() - last > idleMs) finish(new Error(`the key scan of ${stream} stalled for ${idleMs} ms`));
    }, Math.min(1000, idleMs));
    if (ci.num_pending === 0 && ci.delivered.stream_seq === 0) finish();
    await done;
  } finally {
    clearInterval(watchdog);
    sub.unsubscribe();
    if (consumer) await jsm.consumers.delete(stream, consumer).catch(() => undefined);
  }
}
