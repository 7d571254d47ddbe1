import { createInbox, type Msg, type NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, type ConsumerInfo, DeliverPolicy, type JetStreamManager } from '@nats-io/jetstream';
import { watchConnectionLoss } from '../nats/connectionLoss';
import { CancelledError } from '../nats/natsErrors';

export interface ScanOptions {
  /** Silence after which the scan counts as stalled (default 20 s). */
  readonly idleMs?: number;
  /** Aborting ends the scan with `CancelledError` at once. */
  readonly signal?: AbortSignal;
}

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
 * `onEntry` per key; resolves when the consumer reports nothing pending (at once when no key matches), rejects
 * with `ConnectionLostError` as soon as the connection drops, with `CancelledError` as soon as `signal` aborts, and
 * after `idleMs` without a delivery (idle heartbeats do not count: a server that only sends heartbeats has nothing
 * more to give this scan).
 */
export async function scanLastPerSubject(
  nc: NatsConnection,
  jsm: JetStreamManager,
  stream: string,
  subjectFilter: string,
  subjectPrefix: string,
  onEntry: (entry: LastEntry) => void,
  options: ScanOptions = {},
): Promise<void> {
  const idleMs = options.idleMs ?? 20_000;
  const { signal } = options;
  const inbox = createInbox();
  let finish!: (err?: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    finish = (err) => (err ? reject(err) : resolve());
  });
  // finish() may run before anything awaits `done` (the connection lost while the consumer is being created).
  done.catch(() => undefined);
  let last = Date.now();
  const cut = subjectPrefix.length;
  const sub = nc.subscribe(inbox, {
    callback: (err, m: Msg) => {
      if (err) return finish(err);
      if (m.data.length === 0 && m.headers?.hasError === false && m.headers.code === 100) {
        // Flow control asks for a reply (heartbeats have none); the server pauses until it gets one. A heartbeat
        // naming a stalled flow control wants its reply on that subject instead.
        if (m.reply) {
          last = Date.now();
          m.respond();
        }
        const stalled = m.headers.get('Nats-Consumer-Stalled');
        if (stalled) nc.publish(stalled);
        return;
      }
      last = Date.now();
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
  let lost: Error | undefined;
  const what = `the key scan of ${stream}`;
  // The create request waits out the API timeout (a minute for kine's buckets) while nats.js reconnects: a loss or a
  // cancel in between must end that wait at once, as it ends the scan.
  let interrupt!: (err: Error) => void;
  const interrupted = new Promise<never>((_, reject) => (interrupt = reject));
  interrupted.catch(() => undefined);
  const stopWatching = watchConnectionLoss(nc, what, (err) => {
    lost = err;
    finish(err);
    interrupt(err);
  });
  let cancelled: CancelledError | undefined;
  const onAbort = () => {
    cancelled = new CancelledError(what);
    finish(cancelled);
    interrupt(cancelled);
  };
  let adding: Promise<ConsumerInfo> | undefined;
  if (signal?.aborted) onAbort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (cancelled) throw cancelled;
    adding = jsm.consumers.add(stream, {
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
    adding.catch(() => undefined); // when the interruption won the race, its rejection comes later
    const ci = await Promise.race([adding, interrupted]);
    consumer = ci.name;
    // Creating the consumer is bounded by the API timeout; from here on, silence beyond idleMs is a stall.
    last = Date.now();
    watchdog = setInterval(
      () => {
        if (Date.now() - last > idleMs) finish(new Error(`the key scan of ${stream} stalled for ${idleMs} ms`));
      },
      Math.min(1000, idleMs),
    );
    // No key matches: nothing pending and nothing delivered yet. (`delivered.stream_seq` is no sign: the server sets
    // it to the stream's position, never 0, on a stream with messages.)
    if (ci.num_pending === 0 && ci.delivered.consumer_seq === 0) finish();
    await done;
  } catch (err) {
    // A request that failed because the connection went away says so in the watcher's words.
    throw cancelled ?? lost ?? err;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    stopWatching();
    clearInterval(watchdog);
    if (!nc.isClosed()) sub.unsubscribe();
    // After a loss the delete would wait out the API timeout; the server drops an ephemeral consumer without interest.
    if (consumer && !lost) await jsm.consumers.delete(stream, consumer).catch(() => undefined);
    // Cancelled before the create reply came (deliveries can come first): the consumer goes once the reply does,
    // without holding up the caller.
    else if (!consumer && cancelled && adding)
      void adding.then((ci) => jsm.consumers.delete(stream, ci.name)).catch(() => undefined);
  }
}
