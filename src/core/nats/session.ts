import type { ConnectionOptions, NatsConnection } from '@nats-io/transport-node';
import {
  jetstream,
  jetstreamManager,
  type JetStreamClient,
  type JetStreamManager,
  type JetStreamOptions,
} from '@nats-io/jetstream';
import {
  resolveConnectSecret,
  toConnectOptions,
  type ConnectOptionsOverrides,
  type ConnectRecipe,
} from '../connections/connectOptions';
import type { ConnectionSpec, SecretSource } from '../connections/connectionSpec';
import { connectNats } from './connectNats';
import { explainNatsError } from './explainError';
import { Listeners } from './listeners';
import { NotConnectedError } from './natsErrors';

/** The life of one managed connection, as the tree shows it. */
export type SessionState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'connecting' }
  | { readonly kind: 'connected'; readonly server: string }
  | { readonly kind: 'reconnecting'; readonly since: number }
  /** `retryInMs` is set when the session will try again by itself. */
  | { readonly kind: 'failed'; readonly reason: string; readonly error: unknown; readonly retryInMs?: number }
  | { readonly kind: 'closed' };

export interface SessionOptions {
  readonly spec: ConnectionSpec;
  readonly secrets: SecretSource;
  /** Refuse every write through this session with `ReadOnlyError`. */
  readonly readOnly?: boolean;
  /** Replaces the spec's servers (the local end of a port-forward). */
  readonly servers?: readonly string[];
  readonly connectTimeoutMs?: number;
  /** Lowered from nats.js's 2 minutes so a dead peer is noticed in seconds. */
  readonly pingIntervalMs?: number;
  readonly reconnectTimeWaitMs?: number;
  /** JetStream API timeout; defaults to the connect timeout. */
  readonly apiTimeoutMs?: number;
  /** After a failed first connect, try again with backoff (1 s doubling to 30 s) unless auth failed. Default true. */
  readonly autoRetry?: boolean;
}

/** What queries need from a session; lets the query modules stay independent of the state machine. */
export interface NatsAccess {
  readonly readOnly: boolean;
  readonly name: string;
  /** The live connection; throws `NotConnectedError` when there is none. */
  connection(): NatsConnection;
  jetstreamManager(): Promise<JetStreamManager>;
  jetstream(): JetStreamClient;
}

type Listener = (state: SessionState) => void;

/**
 * One managed NATS connection: connects, reconnects forever once connected, reports every state change, and never
 * lets an error escape as an unhandled rejection. The latest `open()`/`retry()` wins over an older attempt.
 */
export class NatsSession implements NatsAccess {
  readonly name: string;
  readOnly: boolean;
  #state: SessionState = { kind: 'idle' };
  #nc: NatsConnection | undefined;
  #jsm: Promise<JetStreamManager> | undefined;
  #generation = 0;
  #listeners = new Listeners<SessionState>();
  #retryTimer: NodeJS.Timeout | undefined;
  #retryDelay = 1_000;
  /** The latest open(), so close() can wait for an attempt still in flight to let go of its socket. */
  #opening: Promise<void> | undefined;

  constructor(private readonly options: SessionOptions) {
    this.name = options.spec.name;
    this.readOnly = options.readOnly ?? false;
  }

  get state(): SessionState {
    return this.#state;
  }

  get spec(): ConnectionSpec {
    return this.options.spec;
  }

  /** Registers a listener for state changes; returns its disposer. A throwing listener is ignored. */
  onStateChange(listener: Listener): () => void {
    return this.#listeners.add(listener);
  }

  /** Starts connecting and resolves once this attempt has connected or failed; never rejects. */
  open(): Promise<void> {
    const opening = this.#open();
    this.#opening = opening;
    return opening;
  }

  async #open(): Promise<void> {
    clearTimeout(this.#retryTimer);
    const generation = ++this.#generation;
    const old = this.#nc;
    this.#nc = undefined;
    this.#jsm = undefined;
    if (old) await old.close().catch(() => undefined);
    this.#set({ kind: 'connecting' });
    const urls = (this.options.servers ?? this.options.spec.servers).join(',');
    let nc: NatsConnection;
    try {
      const opts: ConnectionOptions = {
        ...(await toConnectOptions(this.options.spec, this.options.secrets, this.#overrides())),
        ...this.#tuning(),
      };
      nc = await connectNats(opts);
    } catch (err) {
      if (generation !== this.#generation) return;
      this.#fail(err, urls);
      return;
    }
    if (generation !== this.#generation) {
      await nc.close().catch(() => undefined);
      return;
    }
    this.#nc = nc;
    this.#retryDelay = 1_000;
    this.#set({ kind: 'connected', server: nc.getServer() });
    void this.#watch(nc, generation, urls);
  }

  /** How this session's connections reconnect: forever, noticing a dead peer within seconds. */
  #tuning(): NonNullable<ConnectRecipe['tuning']> {
    return {
      maxReconnectAttempts: -1,
      reconnectTimeWait: this.options.reconnectTimeWaitMs ?? 1_000,
      pingInterval: this.options.pingIntervalMs ?? 10_000,
      maxPingOut: 2,
    };
  }

  /** Plain data for opening a second connection like this one in a worker thread (see `SamplerThread`). */
  async connectRecipe(name?: string): Promise<ConnectRecipe> {
    const secret = await resolveConnectSecret(this.options.spec, this.options.secrets);
    return {
      spec: this.options.spec,
      secret,
      overrides: { ...this.#overrides(), ...(name ? { name } : {}) },
      tuning: this.#tuning(),
    };
  }

  #overrides(): ConnectOptionsOverrides {
    return { servers: this.options.servers, timeoutMs: this.options.connectTimeoutMs };
  }

  /** Drops the current attempt or connection and connects again now. */
  retry(): Promise<void> {
    return this.open();
  }

  /**
   * Closes the connection for good; later `connection()` calls throw `NotConnectedError`. Resolves once nothing of
   * the session is left open: an attempt still in flight ends within its connect timeout and frees its socket.
   */
  async close(): Promise<void> {
    clearTimeout(this.#retryTimer);
    this.#generation++;
    const nc = this.#nc;
    this.#nc = undefined;
    this.#jsm = undefined;
    if (nc) await nc.close().catch(() => undefined);
    await this.#opening;
    this.#set({ kind: 'closed' });
  }

  /** Resolves when the session is connected; rejects with the failure reason or after `timeoutMs`. */
  whenConnected(timeoutMs = 30_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (s: SessionState): boolean => {
        if (s.kind === 'connected') resolve();
        else if (s.kind === 'failed') reject(new Error(s.reason));
        else if (s.kind === 'closed') reject(new NotConnectedError(this.name));
        else return false;
        return true;
      };
      if (check(this.#state)) return;
      const timer = setTimeout(() => {
        dispose();
        reject(new Error(`'${this.name}' did not connect within ${timeoutMs} ms (state ${this.#state.kind}).`));
      }, timeoutMs);
      const dispose = this.onStateChange((s) => {
        if (check(s)) {
          clearTimeout(timer);
          dispose();
        }
      });
    });
  }

  connection(): NatsConnection {
    if (!this.#nc || this.#nc.isClosed()) throw new NotConnectedError(this.name);
    return this.#nc;
  }

  /** Cached per connection; does not probe the API, so a server without JetStream fails on the first call instead. */
  jetstreamManager(): Promise<JetStreamManager> {
    const nc = this.connection();
    this.#jsm ??= jetstreamManager(nc, { ...this.#jsOptions(), checkAPI: false });
    return this.#jsm;
  }

  jetstream(): JetStreamClient {
    return jetstream(this.connection(), this.#jsOptions());
  }

  #jsOptions(): JetStreamOptions {
    const js = this.options.spec.jetstream;
    return {
      ...(js?.domain ? { domain: js.domain } : {}),
      ...(js?.apiPrefix ? { apiPrefix: js.apiPrefix } : {}),
      timeout: this.options.apiTimeoutMs ?? this.options.connectTimeoutMs ?? 5_000,
    };
  }

  async #watch(nc: NatsConnection, generation: number, urls: string): Promise<void> {
    const current = () => generation === this.#generation;
    const closed = nc.closed().then(
      (err) => err,
      (err: unknown) => err,
    );
    try {
      for await (const status of nc.status()) {
        if (!current()) break;
        if (status.type === 'disconnect' || (status.type === 'reconnecting' && this.#state.kind !== 'reconnecting')) {
          this.#set({ kind: 'reconnecting', since: Date.now() });
        } else if (status.type === 'reconnect') {
          this.#set({ kind: 'connected', server: nc.getServer() });
        }
      }
    } catch {
      // The status iterator ends with the connection; an error here changes nothing the closed() promise won't say.
    }
    const err = await closed;
    if (!current()) return;
    this.#nc = undefined;
    this.#jsm = undefined;
    if (err) this.#fail(err, urls);
    else this.#set({ kind: 'closed' });
  }

  #fail(err: unknown, urls: string): void {
    const reason = explainNatsError(err, urls);
    const retry = (this.options.autoRetry ?? true) && !/^(Authorization failed|TLS failed|Missing secret)/.test(reason);
    const retryInMs = retry ? this.#retryDelay : undefined;
    this.#set({ kind: 'failed', reason, error: err, retryInMs });
    if (retryInMs !== undefined) {
      this.#retryDelay = Math.min(this.#retryDelay * 2, 30_000);
      this.#retryTimer = setTimeout(() => void this.open(), retryInMs);
      this.#retryTimer.unref?.();
    }
  }

  #set(state: SessionState): void {
    this.#state = state;
    this.#listeners.emit(state);
  }
}
