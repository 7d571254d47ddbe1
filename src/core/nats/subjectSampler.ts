import type { Msg, Subscription } from '@nats-io/transport-node';
import { explainNatsError } from './explainError';
import { Listeners } from './listeners';
import type { StreamSubjects, SubjectNode } from './subjectTree';
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
  /** Set by a sampler with a connection of its own (SamplerThread) while that connection is reconnecting. */
  readonly reconnecting?: boolean;
}

/** The stats of a sampler that never ran. */
export const IDLE_SAMPLER_STATS: SamplerStats = {
  running: false,
  messages: 0,
  distinctSubjects: 0,
  leftOutMessages: 0,
  leftOutSubjects: 0,
  elapsedMs: 0,
};

/** One level of the sampled tree, for a lazily expanded view: no nested children, only their number. */
export type SubjectChild = Omit<SubjectNode, 'children'> & { readonly childCount: number };

/**
 * A trie node; one per distinct subject (and per token prefix), allocated once and then only incremented.
 * `total`/`rate` are rolled up from `n` on each tick, so the per-message work is one Map lookup and one increment.
 */
interface TrieNode {
  readonly token: string;
  readonly subject: string;
  n: number;
  atLastTick: number;
  total: number;
  rate: number;
  streams: string[] | undefined;
  children: Map<string, TrieNode> | undefined;
  /** The subject's bytes and the next node whose bytes hash alike: the byte index (see `subjectBytes`). */
  bytes: Uint8Array | undefined;
  sameHash: TrieNode | undefined;
}

function trieNode(token: string, subject: string): TrieNode {
  return {
    token,
    subject,
    n: 0,
    atLastTick: 0,
    total: 0,
    rate: 0,
    streams: undefined,
    children: undefined,
    bytes: undefined,
    sameHash: undefined,
  };
}

/**
 * The subject as the bytes nats.js (3.x) parsed it into, or undefined if that private field ever changes (then the
 * sampler reads `msg.subject`, only slower). Reading `subject` costs a UTF-8 decode and a new string per message, the
 * larger part of the sampler's own cost at hundreds of thousands of messages a second; a test pins the field.
 */
export function subjectBytes(msg: Msg): Uint8Array | undefined {
  const raw = (msg as unknown as { _msg?: { subject?: unknown } })._msg?.subject;
  return raw instanceof Uint8Array ? raw : undefined;
}

/** FNV-1a, 32 bits. */
function hashBytes(b: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Samples live traffic with one callback subscription into a token trie indexed by full subject. Counts roll up
 * to ancestors once per tick, not per message; views read one level at a time (`children()`), so a 10,000-subject
 * tree costs nothing until a level is expanded. Listeners hear of changes at most once per tick. Survives reconnects (nats.js re-subscribes); stops on `stop()`, its time limit, a closed connection or an error.
 */
export class SubjectSampler {
  #bySubject = new Map<string, TrieNode>();
  /** Counted subjects by the hash of their bytes, so a known subject is counted without decoding it. */
  #byHash = new Map<number, TrieNode>();
  #root: TrieNode = trieNode('', '');
  #distinct = 0;
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
  #streams: StreamSubjects[] = [];
  #stopReason: SamplerStopReason | undefined;
  #error: string | undefined;
  #listeners = new Listeners<SamplerStats>();
  readonly #exclude: readonly string[];
  readonly #max: number;

  constructor(
    private readonly access: Pick<NatsAccess, 'connection'>,
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
    const bySubject = this.#bySubject;
    const byHash = this.#byHash;
    const max = this.#max;
    // The hot path: a subject counted before is found by its bytes (no decode, no allocation); the first message on
    // a subject, and any left out, take the slow path below.
    this.#sub = nc.subscribe(this.options.subject ?? '>', {
      callback: (err, msg) => {
        if (err) {
          this.#halt('error', explainNatsError(err, nc.getServer()));
          return;
        }
        const raw = subjectBytes(msg);
        const hash = raw === undefined ? 0 : hashBytes(raw);
        if (raw !== undefined) {
          let known = byHash.get(hash);
          while (known !== undefined && !sameBytes(known.bytes!, raw)) known = known.sameHash;
          if (known !== undefined) {
            known.n++;
            this.#messages++;
            this.#dirty = true;
            return;
          }
        }
        const subject = msg.subject;
        const first = subject.charCodeAt(0);
        // '$' and '_' start every system prefix; other subjects skip the prefix checks.
        if (excludeCount > 0 && (checkEvery || first === 36 || first === 95)) {
          for (let i = 0; i < excludeCount; i++) if (subject.startsWith(exclude[i]!)) return;
        }
        let node = bySubject.get(subject);
        if (node !== undefined && (node.n > 0 || this.#distinct < max)) {
          if (node.n++ === 0) this.#distinct++;
        } else if (this.#distinct < max) {
          node = this.#insert(subject);
          node.n = 1;
          this.#distinct++;
        } else {
          node = undefined;
          this.#leftOutMessages++;
          if (this.#leftOut.size < 100_000) this.#leftOut.add(subject);
        }
        if (node !== undefined && raw !== undefined && node.bytes === undefined) {
          node.bytes = raw.slice(); // nats.js reuses its read buffer
          node.sameHash = byHash.get(hash);
          byHash.set(hash, node);
        }
        this.#messages++;
        this.#dirty = true;
      },
    });
    void this.#sub.closed.then(
      () => this.#halt('closed'),
      () => this.#halt('closed'),
    );
    this.#tick = setInterval(() => this.#onTick(), this.options.tickMs ?? 250);
    this.#limit = setTimeout(() => this.#halt('timeLimit'), this.options.maxDurationMs ?? 60_000);
  }

  /** Unsubscribes; the counts stay readable. */
  stop(): void {
    this.#halt('stopped');
  }

  /** Clears the counts (the sampler keeps running if it was). */
  reset(): void {
    this.#bySubject.clear();
    this.#byHash.clear();
    this.#root = trieNode('', '');
    this.#distinct = 0;
    this.#leftOut.clear();
    this.#leftOutMessages = 0;
    this.#messages = 0;
    this.#applyStreams();
    this.#dirty = true;
  }

  /** Merges stream subject lists into the tree (replacing the previous lists). */
  setStreamSubjects(streams: readonly StreamSubjects[]): void {
    this.#streams = [...streams];
    this.#applyStreams();
    this.#dirty = true;
  }

  #applyStreams(): void {
    for (const node of this.#bySubject.values()) node.streams = undefined;
    for (const s of this.#streams) {
      for (const pattern of s.subjects) {
        const node = this.#insert(pattern);
        node.streams ??= [];
        if (!node.streams.includes(s.name)) node.streams.push(s.name);
      }
    }
  }

  /** Finds or creates the trie path for `subject`; every prefix node is indexed too, for `children(prefix)`. */
  #insert(subject: string): TrieNode {
    const known = this.#bySubject.get(subject);
    if (known) return known;
    let at = this.#root;
    let start = 0;
    for (;;) {
      const dot = subject.indexOf('.', start);
      const end = dot < 0 ? subject.length : dot;
      const token = subject.slice(start, end);
      at.children ??= new Map();
      let next = at.children.get(token);
      if (!next) {
        const path = subject.slice(0, end);
        next = this.#bySubject.get(path) ?? trieNode(token, path);
        at.children.set(token, next);
        this.#bySubject.set(path, next);
      }
      at = next;
      if (dot < 0) return at;
      start = dot + 1;
    }
  }

  /** Listener for changes, called at most once per tick and once on stop; returns its disposer. */
  onChange(listener: (stats: SamplerStats) => void): () => void {
    return this.#listeners.add(listener);
  }

  stats(): SamplerStats {
    const end = this.#sub ? Date.now() : this.#stoppedAt || Date.now();
    return {
      running: this.running,
      messages: this.#messages,
      distinctSubjects: this.#distinct,
      leftOutMessages: this.#leftOutMessages,
      leftOutSubjects: this.#leftOut.size,
      elapsedMs: this.#startedAt ? end - this.#startedAt : 0,
      stopReason: this.#stopReason,
      error: this.#error,
    };
  }

  /**
   * One level of the tree under `subject` (the roots when omitted), sorted by token; [] for an unknown subject.
   * Counts are as of the last tick.
   */
  children(subject?: string): SubjectChild[] {
    const parent = subject === undefined || subject === '' ? this.#root : this.#bySubject.get(subject);
    if (!parent?.children) return [];
    const out: SubjectChild[] = [];
    for (const c of parent.children.values()) {
      out.push({
        token: c.token,
        subject: c.subject,
        messages: c.total,
        ratePerSec: round1(c.rate),
        seen: c.n > 0,
        streams: c.streams ?? [],
        childCount: c.children?.size ?? 0,
      });
    }
    return out.sort((a, b) => (a.token < b.token ? -1 : a.token > b.token ? 1 : 0));
  }

  /** The whole tree as nested plain data, as of the last tick; for small trees and tests (views use `children()`). */
  tree(): readonly SubjectNode[] {
    this.#rollUp(0);
    const freeze = (n: TrieNode): SubjectNode => ({
      token: n.token,
      subject: n.subject,
      messages: n.total,
      ratePerSec: round1(n.rate),
      seen: n.n > 0,
      streams: n.streams ?? [],
      children: n.children
        ? [...n.children.values()].sort((a, b) => (a.token < b.token ? -1 : a.token > b.token ? 1 : 0)).map(freeze)
        : [],
    });
    return this.#root.children ? freeze(this.#root).children : [];
  }

  /** Post-order walk: `total` and `rate` of each node include its subtree. `seconds` 0 keeps the rates. */
  #rollUp(seconds: number): boolean {
    let anyRate = false;
    const walk = (node: TrieNode): void => {
      let total = node.n;
      let rate = 0;
      if (seconds > 0) {
        rate = (node.n - node.atLastTick) / seconds;
        node.atLastTick = node.n;
        if (rate > 0) anyRate = true;
      }
      if (node.children) {
        for (const c of node.children.values()) {
          walk(c);
          total += c.total;
          rate += c.rate;
        }
      }
      node.total = total;
      if (seconds > 0) node.rate = rate;
    };
    walk(this.#root);
    return anyRate;
  }

  #onTick(): void {
    const now = Date.now();
    const seconds = Math.max((now - this.#lastTick) / 1000, 0.001);
    this.#lastTick = now;
    // Rates that fall back to zero are a change too, so a quiet subject's rate does not freeze in the view.
    if (!this.#dirty && !this.#hadRate) return;
    this.#hadRate = this.#rollUp(seconds);
    this.#dirty = false;
    this.#emit();
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
    this.#rollUp(0);
    this.#emit();
  }

  #emit(): void {
    this.#listeners.emit(this.stats());
  }
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
