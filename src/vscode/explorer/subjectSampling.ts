import * as vscode from 'vscode';
import type { NatsSession } from '../../core/nats/session';
import { SamplerThread } from '../../core/nats/samplerThread';
import { listStreams } from '../../core/nats/streams';

/**
 * One subject sampler per connection, started when its Subjects node is expanded and stopped when it is collapsed,
 * its time limit passes or its session closes. Each runs in a worker thread with a connection of its own (see
 * SamplerThread); changes reach the tree at most once per sampler tick.
 */
export class SubjectSampling implements vscode.Disposable {
  private readonly samplers = new Map<string, { sampler: SamplerThread; session: NatsSession; unlisten: () => void }>();
  /** Connections whose sample the user stopped while its node stayed open: a redraw must not start it again. */
  private readonly held = new Set<string>();
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires with the connection id whose sample changed. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly options: () => { maxSubjects: number; maxDurationMs: number }) {}

  /** The connection's sampler, started (or restarted after it stopped) with the streams' subjects merged in. */
  async start(connectionId: string, session: NatsSession): Promise<SamplerThread> {
    let entry = this.samplers.get(connectionId);
    if (entry && entry.session !== session) {
      this.drop(connectionId);
      entry = undefined;
    }
    if (!entry) {
      const sampler = new SamplerThread(
        () => session.connectRecipe(`nats-k3s ${session.name} (subject sample)`),
        this.options(),
      );
      const unlistenSampler = sampler.onChange(() => this.changed.fire(connectionId));
      // The sample has a connection of its own: it ends with the session's.
      const unlistenSession = session.onStateChange((s) => {
        if (s.kind === 'closed') sampler.stop();
      });
      entry = { sampler, session, unlisten: () => (unlistenSampler(), unlistenSession()) };
      this.samplers.set(connectionId, entry);
    }
    if (!entry.sampler.running && !this.held.has(connectionId)) {
      const sampler = entry.sampler;
      const streams = session.connection().info?.jetstream ? listStreams(session).catch(() => []) : Promise.resolve([]);
      await sampler.start();
      sampler.setStreamSubjects((await streams).map((s) => ({ name: s.name, subjects: s.subjects })));
    }
    return entry.sampler;
  }

  get(connectionId: string): SamplerThread | undefined {
    return this.samplers.get(connectionId)?.sampler;
  }

  stop(connectionId: string): void {
    this.samplers.get(connectionId)?.sampler.stop();
  }

  /** Stops the sample and keeps it stopped until the user expands its node again (see `release`). */
  hold(connectionId: string): void {
    this.held.add(connectionId);
    this.stop(connectionId);
  }

  /** True when the sample was held: its node should load again to start it. */
  release(connectionId: string): boolean {
    return this.held.delete(connectionId);
  }

  private drop(connectionId: string): void {
    const entry = this.samplers.get(connectionId);
    if (!entry) return;
    entry.unlisten();
    entry.sampler.dispose();
    this.samplers.delete(connectionId);
  }

  dispose(): void {
    for (const id of [...this.samplers.keys()]) this.drop(id);
    this.changed.dispose();
  }
}
