import type { Subscription } from '@nats-io/transport-node';
import { explainNatsError } from './explainError';
import { buildSubjectTree, type StreamSubjects, type SubjectNode } from './subjectTree';
import type { NatsAccess } from './session';

/** Prefixes of the server's and clients' own traffic, left out of the tree unless asked for. */
export const SYSTEM_SUBJECT_PREFIXES: readonly string[] = ['$SYS.', '$JS.', '$KV.', '$O.', '_INBOX.'];

export interface SamplerOptions {
  /** The subscription subject; default `>`. */
  readonly subject?: string;
  /** Keep `$SYS`, `$JS`, `$KV`, `$O` and `_INBOX` traffic. */
  readonly includeSystem?: boolean;
  /** More prefixes to leave out, e.g. the connection's own inbox prefix followed by a dot. */
  readonly excludePrefixes?: readonly string[];
  /** Distinct subjects kept; others are counted as left out. Default 10,000. */
  readonly maxSubjects?: number;
  /** Sampling tick: rates are computed and listeners told at most this often. Default 250 ms. */
  readonly tickMs?: number;
  /** Stops by itself after this long; default 60 s. */
  readonly maxDurationMs?: number;
}

export type SamplerStopReason = 'stopped' | 'timeLimit' | 'closed' | 'error';

export interface SamplerStats {
  readonly running: boolean;
  readonly messages: number;
  readonly distinctSubjects: number;
  /** Messages on subjects beyond `maxSubjects`. */
  readonly leftOutMessages: number;
  /** Distinct subjects beyond `maxSubjects` (counted up to 100,000). */
  readonly leftOutSubjects: number;
  readonly elapsedMs: number;
  readonly stopReason?: SamplerStopReason;
  /** One sentence when the sampler stopped on an error (e.g. a permission violation). */
  readonly error?: string;
}

/** Per-subject counter; allocated once per distinct subject, then only incremented. */
interface Counter {
  n: number;
  atLastTick: number;
  rate: number;
}

/**
 * Samples live traffic with one callback subscription and keeps counts per subject in a flat map; the token
 * tree is built only when asked (`tree()`), at most once per tick. Listeners hear of changes at most once per
 * tick. Survives reconnects (nats.js re-subscribes); stops on `stop()`, its time limit, a closed connection or an error.
 */
export class SubjectSampler {
  #counts = new Map<string, Counter>();
  #leftOut = new Set<string>();
  #leftOutMessages = 0;
  #messages = 0;
  #sub: Subscription | undefined;
  #tick: NodeJS.Timeout | undefined;
  #limit: NodeJS.Timeout | undefined;
  #startedAt = 0;
  #stoppedAt = 0;
  #lastTick = 0;
  #dirty = false;
  #hadRate = false;
  #tree: readonly SubjectNode[] | undefined;
  #streams: StreamSubjects[] = [];
  #stopReason: SamplerStopReason | undefined;
  #error: string | undefined;
  #listeners = new Set<(stats: SamplerStats) => void>();
  readonly #exclude: readonly string[];
  readonly #max: number;

  constructor(
    private readonly access: NatsAccess,
    private readonly options: SamplerOptions = {},
  ) {
    this.#exclude = [...(options.includeSystem ? [] : SYSTEM_SUBJECT_PREFIXES), ...(options.excludePrefixes ?? [])];
    this.#max = options.maxSubjects ?? 10_000;
  }

  get running(): boolean {
    return this.#sub !== undefined;
  }

  /** Subscribes and starts the clocks; throws `NotConnectedError` without a connection. Calling it twice is a no-op. */
  start(): void {
    if (this.#sub) return;
    const nc = this.access.connection();
    this.#startedAt = this.#lastTick = Date.now();
    this.#stopReason = undefined;
    this.#error = undefined;
    const exclude = this.#exclude;
    const excludeCount = exclude.length;
    const checkEvery = (this.options.excludePrefixes?.length ?? 0) > 0;
    const counts = this.#counts;
    const max = this.#max;
    // The hot path: no allocation per message except a Counter for a new subject.
    this.#sub = nc.subscribe(this.options.subject ?? '>', {
      callback: (err, msg) => {
        if (err) {
          this.#halt('error', explainNatsError(err, nc.getServer()));
          return;
        }
        const subject = msg.subject;
        const first = subject.charCodeAt(0);
        // '$' and '_' start every system prefix; other subjects skip the prefix checks.
        if (excludeCount > 0 && (checkEvery || first === 36 || first === 95)) {
          for (let i = 0; i < excludeCount; i++) if (subject.startsWith(exclude[i]!)) return;
        }
        const c = counts.get(subject);
        if (c !== undefined) c.n++;
        else if (counts.size < max) counts.set(subject, { n: 1, atLastTick: 0, rate: 0 });
        else {
          this.#leftOutMessages++;
          if (this.#leftOut.size < 100_000) this.#leftOut.add(subject);
        }
        this.#messages++;
        this.#dirty = true;
      },
    });
    void this.#sub.closed.then(() => this.#halt('closed'), () => this.#halt('closed'));
    this.#tick = setInterval(() => this.#onTick(), this.options.tickMs ?? 250);
    this.#limit = setTimeout(() => this.#halt('timeLimit'), this.options.maxDurationMs ?? 60_000);
  }

  /** Unsubscribes; the counts stay readable. */
  stop(): void {
    this.#halt('stopped');
  }

  /** Clears the counts (the sampler keeps running if it was). */
  reset(): void {
    this.#counts.clear();
    this.#leftOut.clear();
    this.#leftOutMessages = 0;
    this.#messages = 0;
    this.#tree = undefined;
    this.#dirty = true;
  }

  /** Merges stream subject lists into the tree (replacing the previous lists). */
  setStreamSubjects(streams: readonly StreamSubjects[]): void {
    this.#streams = [...streams];
    this.#tree = undefined;
  }

  /** Listener for changes, called at most once per tick and once on stop; returns its disposer. */
  onChange(listener: (stats: SamplerStats) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  stats(): SamplerStats {
    const end = this.#sub ? Date.now() : this.#stoppedAt || Date.now();
    return {
      running: this.running,
      messages: this.#messages,
      distinctSubjects: this.#counts.size,
      leftOutMessages: this.#leftOutMessages,
      leftOutSubjects: this.#leftOut.size,
      elapsedMs: this.#startedAt ? end - this.#startedAt : 0,
      stopReason: this.#stopReason,
      error: this.#error,
    };
  }

  /** The token tree with counts and rates, merged with the stream subjects; rebuilt at most once per tick. */
  tree(): readonly SubjectNode[] {
    if (!this.#tree) {
      const counts = [...this.#counts].map(([subject, c]) => ({ subject, messages: c.n, ratePerSec: c.rate }));
      this.#tree = buildSubjectTree(counts, this.#streams);
    }
    return this.#tree;
  }

  #onTick(): void {
    const now = Date.now();
    const seconds = Math.max((now - this.#lastTick) / 1000, 0.001);
    this.#lastTick = now;
    let anyRate = false;
    for (const c of this.#counts.values()) {
      c.rate = (c.n - c.atLastTick) / seconds;
      c.atLastTick = c.n;
      if (c.rate > 0) anyRate = true;
    }
    // Rates that fall back to zero are a change too, so a quiet subject's rate does not freeze in the view.
    if (this.#dirty || this.#hadRate) {
      this.#dirty = false;
      this.#tree = undefined;
      this.#emit();
    }
    this.#hadRate = anyRate;
  }

  #halt(reason: SamplerStopReason, error?: string): void {
    if (!this.#sub) return;
    const sub = this.#sub;
    this.#sub = undefined;
    clearInterval(this.#tick);
    clearTimeout(this.#limit);
    this.#stoppedAt = Date.now();
    this.#stopReason = reason;
    this.#error = error;
    try {
      if (!sub.isClosed()) sub.unsubscribe();
    } catch {
      // The connection may already be closed; nothing to undo then.
    }
    this.#tree = undefined;
    this.#emit();
  }

  #emit(): void {
    const stats = this.stats();
    for (const l of [...this.#listeners]) {
      try {
        l(stats);
      } catch {
        // A listener's bug must not stop sampling.
      }
    }
  }
}
