import type { Msg, Subscription } from '@nats-io/transport-node';
import { explainNatsError } from './explainError';
import { Listeners } from './listeners';
import { headerList, payloadView, type HeaderList, type PayloadView } from './payload';
import type { NatsAccess } from './session';
import { SYSTEM_SUBJECT_PREFIXES } from './subjectSampler';

export interface TailMessage {
  /** Increases by one per message kept, so a view can append only what is new. */
  readonly index: number;
  readonly subject: string;
  readonly reply?: string;
  /** ISO time of arrival at this client. */
  readonly receivedAt: string;
  readonly headers: HeaderList;
  readonly payload: PayloadView;
}

export interface LiveTailOptions {
  /** Newest messages kept; default 500. */
  readonly capacity?: number;
  /** Payload bytes kept per message; default 4 KiB. */
  readonly payloadCap?: number;
  /** Keep `$SYS`, `$JS`, `$KV` and `_INBOX` traffic when tailing a wildcard. */
  readonly includeSystem?: boolean;
  /** Listeners hear of new messages at most this often; default 200 ms. */
  readonly notifyMs?: number;
}

export interface LiveTailStats {
  readonly running: boolean;
  readonly paused: boolean;
  readonly received: number;
  /** Messages that arrived while paused, not kept. */
  readonly skippedWhilePaused: number;
  readonly error?: string;
}

/**
 * A bounded live view of a subject or wildcard: a ring of the newest `capacity` messages, pause (arrivals are
 * counted, not kept), resume and clear; change notifications are throttled.
 */
export class LiveTail {
  readonly subject: string;
  #ring: (TailMessage | undefined)[];
  #next = 0;
  #index = 0;
  #received = 0;
  #skipped = 0;
  #paused = false;
  #error: string | undefined;
  #sub: Subscription | undefined;
  #timer: NodeJS.Timeout | undefined;
  #listeners = new Listeners<LiveTailStats>();

  constructor(
    private readonly access: NatsAccess,
    subject: string,
    private readonly options: LiveTailOptions = {},
  ) {
    this.subject = subject;
    this.#ring = new Array<TailMessage | undefined>(Math.max(1, options.capacity ?? 500));
  }

  /** Subscribes; throws `NotConnectedError` without a connection. A second call is a no-op. */
  start(): void {
    if (this.#sub) return;
    const nc = this.access.connection();
    const skipSystem = !this.options.includeSystem && /[*>]/.test(this.subject);
    this.#sub = nc.subscribe(this.subject, {
      callback: (err, msg) => {
        if (err) {
          this.#error = explainNatsError(err, nc.getServer());
          this.stop();
          return;
        }
        if (skipSystem && SYSTEM_SUBJECT_PREFIXES.some((p) => msg.subject.startsWith(p))) return;
        this.#received++;
        if (this.#paused) {
          this.#skipped++;
          return;
        }
        this.#keep(msg);
        this.#schedule();
      },
    });
  }

  stop(): void {
    const sub = this.#sub;
    this.#sub = undefined;
    try {
      if (sub && !sub.isClosed()) sub.unsubscribe();
    } catch {
      // Already closed with the connection.
    }
    this.#schedule();
  }

  pause(): void {
    this.#paused = true;
    this.#schedule();
  }

  resume(): void {
    this.#paused = false;
    this.#schedule();
  }

  clear(): void {
    this.#ring.fill(undefined);
    this.#next = 0;
    this.#schedule();
  }

  /** The kept messages, oldest first. */
  messages(): TailMessage[] {
    const out: TailMessage[] = [];
    const n = this.#ring.length;
    for (let i = 0; i < n; i++) {
      const m = this.#ring[(this.#next + i) % n];
      if (m) out.push(m);
    }
    return out;
  }

  stats(): LiveTailStats {
    return {
      running: this.#sub !== undefined,
      paused: this.#paused,
      received: this.#received,
      skippedWhilePaused: this.#skipped,
      error: this.#error,
    };
  }

  /** Called at most once per `notifyMs`; returns its disposer. */
  onChange(listener: (stats: LiveTailStats) => void): () => void {
    return this.#listeners.add(listener);
  }

  #keep(msg: Msg): void {
    this.#ring[this.#next] = {
      index: this.#index++,
      subject: msg.subject,
      reply: msg.reply || undefined,
      receivedAt: new Date().toISOString(),
      headers: headerList(msg.headers),
      payload: payloadView(msg.data, this.options.payloadCap ?? 4096),
    };
    this.#next = (this.#next + 1) % this.#ring.length;
  }

  #schedule(): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#listeners.emit(this.stats());
    }, this.options.notifyMs ?? 200);
  }
}
