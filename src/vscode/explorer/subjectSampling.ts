import * as vscode from 'vscode';
import type { NatsSession } from '../../core/nats/session';
import { listStreams } from '../../core/nats/streams';
import { SubjectSampler } from '../../core/nats/subjectSampler';

/**
 * One subject sampler per connection, started when its Subjects node is expanded and stopped when it is collapsed
 * or its time limit passes. Changes reach the tree at most once per sampler tick.
 */
export class SubjectSampling implements vscode.Disposable {
  private readonly samplers = new Map<string, { sampler: SubjectSampler; session: NatsSession; unlisten: () => void }>();
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires with the connection id whose sample changed. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly options: () => { maxSubjects: number; maxDurationMs: number }) {}

  /** The connection's sampler, started (or restarted after it stopped) with the streams' subjects merged in. */
  async start(connectionId: string, session: NatsSession): Promise<SubjectSampler> {
    let entry = this.samplers.get(connectionId);
    if (entry && entry.session !== session) {
      this.stop(connectionId);
      entry = undefined;
    }
    if (!entry) {
      const sampler = new SubjectSampler(session, this.options());
      const unlisten = sampler.onChange(() => this.changed.fire(connectionId));
      entry = { sampler, session, unlisten };
      this.samplers.set(connectionId, entry);
    }
    if (!entry.sampler.running) {
      entry.sampler.reset();
      entry.sampler.start();
      if (session.connection().info?.jetstream) {
        const streams = await listStreams(session).catch(() => []);
        entry.sampler.setStreamSubjects(streams.map((s) => ({ name: s.name, subjects: s.subjects })));
      }
    }
    return entry.sampler;
  }

  get(connectionId: string): SubjectSampler | undefined {
    return this.samplers.get(connectionId)?.sampler;
  }

  stop(connectionId: string): void {
    const entry = this.samplers.get(connectionId);
    if (!entry) return;
    entry.sampler.stop();
  }

  dispose(): void {
    for (const { sampler, unlisten } of this.samplers.values()) {
      unlisten();
      sampler.stop();
    }
    this.samplers.clear();
    this.changed.dispose();
  }
}
