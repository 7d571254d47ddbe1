/**
 * A port-forward to a ready NATS server pod of a release, through client-node's PortForward (the WebSocket
 * `v4.channel.k8s.io` protocol; no kubectl). It listens on a free 127.0.0.1 port; each accepted connection gets its
 * own stream to the current pod. When a stream drops while its client is still connected (pod restarted, node gone),
 * the client's socket is closed so the NATS client reconnects, and the forward looks up a ready pod again before
 * serving the next connection: nobody has to restart it.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import type { ClusterClient } from './clusterClient';
import { explainKubeError, KubeAccessError } from './kubeErrors';

/** The forward's state, for a status bar. */
export type PortForwardState =
  | { readonly kind: 'starting' }
  | { readonly kind: 'forwarding'; readonly pod: string; readonly localPort: number }
  | { readonly kind: 'reconnecting'; readonly reason: string }
  | { readonly kind: 'failed'; readonly reason: string }
  | { readonly kind: 'stopped' };

export interface PortForwardOptions {
  readonly release: string;
  readonly namespace: string;
  /** The pod's NATS port; by default the `nats` container's client port, else 4222. */
  readonly remotePort?: number;
  /** How long to look for a ready pod before reporting `failed` (default 120 s). */
  readonly readyTimeoutMs?: number;
  /** Called on every state change (also available via `onState`). */
  readonly onState?: (state: PortForwardState) => void;
}

interface Target {
  readonly pod: string;
  readonly port: number;
}

type ClientWebSocket = { close(): void; on(event: 'close' | 'error', listener: () => void): unknown };

export class NatsPortForward {
  private target: Target | undefined;
  private resolving: Promise<Target> | undefined;
  private stopped = false;
  private readonly sockets = new Set<Socket>();
  private readonly streams = new Set<ClientWebSocket>();
  private readonly listeners = new Set<(s: PortForwardState) => void>();
  private currentState: PortForwardState = { kind: 'starting' };
  private readonly stopSignal = new AbortController();
  private readonly forwarder;

  private constructor(
    private readonly cluster: ClusterClient,
    private readonly opts: PortForwardOptions,
    private readonly server: Server,
  ) {
    this.forwarder = cluster.makePortForward();
    if (opts.onState) this.listeners.add(opts.onState);
  }

  /**
   * Finds a ready pod, listens on a free loopback port and resolves once it is `forwarding`. Rejects with a
   * KubeAccessError (after emitting `failed`) when no ready pod appears within `readyTimeoutMs` or the API refuses.
   */
  static async start(cluster: ClusterClient, opts: PortForwardOptions): Promise<NatsPortForward> {
    const server = createServer();
    const forward = new NatsPortForward(cluster, opts, server);
    forward.emit({ kind: 'starting' });
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
      server.on('connection', (socket) => void forward.serve(socket));
      await forward.currentTarget();
    } catch (err) {
      await forward.stop();
      const error =
        err instanceof KubeAccessError
          ? err
          : explainKubeError(err, {
              context: cluster.context,
              action: 'start a port-forward',
              namespace: opts.namespace,
            });
      forward.currentState = { kind: 'failed', reason: error.message };
      throw error;
    }
    return forward;
  }

  /** The local port clients connect to. */
  get localPort(): number {
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  /** `nats://127.0.0.1:<localPort>`, for the NATS client. */
  get url(): string {
    return `nats://127.0.0.1:${this.localPort}`;
  }

  get state(): PortForwardState {
    return this.currentState;
  }

  /** Subscribes to state changes; returns the unsubscribe function. */
  onState(listener: (state: PortForwardState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Closes the listener, every client socket and every stream; safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.stopSignal.abort();
    for (const ws of this.streams) ws.close();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server.listening ? this.server.close(() => resolve()) : resolve()));
    this.emit({ kind: 'stopped' });
  }

  private emit(state: PortForwardState): void {
    if (this.stopped && state.kind !== 'stopped') return;
    this.currentState = state;
    for (const l of this.listeners) l(state);
  }

  /** The pod to use now: the known one, the lookup in flight, or a new lookup (also after `failed`). */
  private currentTarget(): Promise<Target> {
    if (this.target) return Promise.resolve(this.target);
    this.resolving ??= this.findReadyPod().finally(() => (this.resolving = undefined));
    return this.resolving;
  }

  /** Forgets the pod after its stream dropped, unless a newer pod is already in use. */
  private invalidate(stale: Target, reason: string): void {
    if (this.stopped || this.target !== stale) return;
    this.target = undefined;
    this.emit({ kind: 'reconnecting', reason });
    this.currentTarget().catch(() => undefined); // `failed` was emitted; the next connection tries again.
  }

  private async findReadyPod(): Promise<Target> {
    const { release, namespace } = this.opts;
    const deadline = Date.now() + (this.opts.readyTimeoutMs ?? 120_000);
    let why = 'no pod yet';
    for (let attempt = 0; ; attempt++) {
      if (this.stopped) throw new KubeAccessError('other', 'The port-forward was stopped.');
      try {
        const { pods } = await this.cluster.listChartPods(release, namespace, 'nats');
        const ready = pods.find((p) => p.ready);
        if (ready) {
          this.target = { pod: ready.name, port: this.opts.remotePort ?? ready.clientPort ?? 4222 };
          this.emit({ kind: 'forwarding', pod: ready.name, localPort: this.localPort });
          return this.target;
        }
        why =
          pods.length === 0
            ? `no NATS server pod of release ${release} in namespace ${namespace}`
            : `no pod is ready (${pods[0]!.name}: ${pods[0]!.notReadyReason ?? 'not ready'})`;
      } catch (err) {
        const error = explainKubeError(err, { context: this.cluster.context, action: 'list pods', namespace });
        // RBAC, credential and certificate problems do not heal by waiting.
        if (error.kind === 'forbidden' || error.kind === 'unauthorized' || error.kind === 'untrusted-certificate')
          return this.fail(error);
        why = error.message;
      }
      if (Date.now() >= deadline) {
        return this.fail(
          new KubeAccessError(
            'no-ready-pod',
            `No ready NATS pod to forward to: ${why}. Check the release's pods, then reconnect.`,
          ),
        );
      }
      // A backoff between lookups while pods restart; stop() cuts it short.
      await delay(Math.min(100 * 2 ** attempt, 2_000), this.stopSignal.signal);
    }
  }

  private fail(error: KubeAccessError): never {
    this.emit({ kind: 'failed', reason: error.message });
    throw error;
  }

  private async serve(socket: Socket): Promise<void> {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let target: Target;
    try {
      target = await this.currentTarget();
    } catch {
      socket.destroy();
      return;
    }
    if (socket.destroyed || this.stopped) return;
    const errors: string[] = [];
    const errorChannel = new Writable({
      write(chunk: Buffer, _enc, done) {
        errors.push(chunk.toString('utf8'));
        done();
      },
    });
    let ws: ClientWebSocket;
    try {
      ws = (await this.forwarder.portForward(
        this.opts.namespace,
        target.pod,
        [target.port],
        socket,
        errorChannel,
        socket,
      )) as unknown as ClientWebSocket;
    } catch (err) {
      socket.destroy();
      this.invalidate(target, `the port-forward to pod ${target.pod} was refused (${describe(err)})`);
      return;
    }
    if (this.stopped || socket.destroyed) {
      ws.close();
      return;
    }
    this.streams.add(ws);
    ws.on('error', () => undefined); // 'close' follows and does the cleanup.
    ws.on('close', () => {
      this.streams.delete(ws);
      if (socket.destroyed) return;
      socket.destroy();
      const detail = errors.join(' ').trim();
      this.invalidate(target, `the stream to pod ${target.pod} dropped${detail ? ` (${detail})` : ''}`);
    });
    // The client hung up: end the stream quietly, the pod is fine.
    socket.on('close', () => ws.close());
  }
}

function describe(err: unknown): string {
  const e = err as { message?: string; error?: { message?: string } } | undefined;
  return e?.error?.message ?? e?.message ?? String(err);
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
