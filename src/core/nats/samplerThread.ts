import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ConnectRecipe } from '../connections/connectOptions';
import { explainNatsError } from './explainError';
import { Listeners } from './listeners';
import type { FromSamplerWorker, ToSamplerWorker } from './samplerProtocol';
import { IDLE_SAMPLER_STATS, type SamplerOptions, type SamplerStats, type SubjectChild } from './subjectSampler';
import type { StreamSubjects } from './subjectTree';

/** Beside this file in out/ and in dist/ (the build bundles it as dist/samplerWorker.js). */
const WORKER_FILE = join(__dirname, 'samplerWorker.js');

/**
 * A `SubjectSampler` run in a worker thread with a connection of its own. Sampling '>' on a busy server means parsing
 * every message on the server: done on the extension host's thread, a burst blocks every extension for tens of
 * milliseconds at a time, and a host too slow to keep up would get the explorer's own connection dropped as a slow
 * consumer. Here the host only receives counters once per tick and reads the one level a view asks for.
 *
 * `stats()` is the last report; `children()` asks the worker. After a stop the worker keeps the counts readable (its
 * connection closed) until the next `start()` or `dispose()`.
 */
export class SamplerThread {
  #worker: Worker | undefined;
  #stats: SamplerStats = IDLE_SAMPLER_STATS;
  #starting = false;
  #stopWanted = false;
  /** Bumped by each start() and dispose(): a start() that was overtaken while preparing gives up. */
  #generation = 0;
  #nextId = 0;
  #pending = new Map<number, (children: readonly SubjectChild[]) => void>();
  #streams: readonly StreamSubjects[] = [];
  #listeners = new Listeners<SamplerStats>();

  constructor(
    private readonly recipe: () => Promise<ConnectRecipe>,
    private readonly options: SamplerOptions = {},
    private readonly workerFile = WORKER_FILE,
  ) {}

  /** True from `start()` until the worker reports a stop (or its connection failed). */
  get running(): boolean {
    return this.#starting || this.#stats.running;
  }

  /**
   * Starts a fresh sample in a new worker (the previous one, with its counts, goes). Resolves once the worker is
   * connected and subscribed, or has reported why it could not (then `stats().error` says it in one sentence).
   */
  async start(): Promise<void> {
    if (this.running) return;
    this.#terminate();
    const generation = ++this.#generation;
    this.#starting = true;
    this.#stopWanted = false;
    this.#stats = { ...IDLE_SAMPLER_STATS, running: true };
    let recipe: ConnectRecipe;
    try {
      recipe = await this.recipe();
    } catch (err) {
      if (generation !== this.#generation) return;
      this.#starting = false;
      this.#report({ ...IDLE_SAMPLER_STATS, stopReason: 'error', error: explainNatsError(err, '') });
      return;
    }
    if (generation !== this.#generation) return;
    let worker: Worker;
    try {
      worker = new Worker(this.workerFile);
    } catch (err) {
      this.#starting = false;
      this.#report({
        ...IDLE_SAMPLER_STATS,
        stopReason: 'error',
        error: `The sampler's worker could not start: ${(err as Error).message}`,
      });
      return;
    }
    // A sampler must never keep the host (or a test run) alive.
    worker.unref();
    this.#worker = worker;
    const firstReport = new Promise<void>((resolve) => {
      // A superseded worker's start() must still return, so every path resolves.
      worker.on('message', (m: FromSamplerWorker) => {
        if (worker !== this.#worker) return resolve();
        if (m.type === 'stats') {
          this.#starting = false;
          // A tick sent before the worker read our stop must not show the sample running again.
          this.#report(
            this.#stopWanted && m.stats.running ? { ...m.stats, running: false, stopReason: 'stopped' } : m.stats,
          );
          resolve();
        } else {
          this.#pending.get(m.id)?.(m.children);
          this.#pending.delete(m.id);
        }
      });
      const gone = (why: string) => {
        if (worker !== this.#worker) return resolve();
        this.#worker = undefined;
        this.#starting = false;
        this.#answerPending();
        if (this.#stats.running) this.#report({ ...this.#stats, running: false, stopReason: 'error', error: why });
        resolve();
      };
      worker.on('error', (err) => gone(`The sampler's worker failed: ${err.message}`));
      worker.on('exit', (code) => gone(`The sampler's worker stopped (exit code ${code}).`));
    });
    this.#post({ type: 'start', recipe, options: this.options });
    if (this.#streams.length) this.#post({ type: 'streams', streams: this.#streams });
    // A stop asked for while the recipe was being prepared.
    if (this.#stopWanted) this.#post({ type: 'stop' });
    await firstReport;
  }

  /** Stops sampling, at once as far as `running` and `stats()` go; the counts stay readable. */
  stop(): void {
    if (!this.running) return;
    this.#stopWanted = true;
    this.#starting = false;
    this.#post({ type: 'stop' });
    this.#report({ ...this.#stats, running: false, stopReason: 'stopped' });
  }

  /** Clears the counts; a running sample goes on. */
  reset(): void {
    this.#post({ type: 'reset' });
  }

  /** Merges stream subject lists into the tree (replacing the previous lists). */
  setStreamSubjects(streams: readonly StreamSubjects[]): void {
    this.#streams = streams.map((s) => ({ name: s.name, subjects: [...s.subjects] }));
    this.#post({ type: 'streams', streams: this.#streams });
  }

  /** Listener for the worker's reports: at most once per sampler tick, and once on stop. Returns its disposer. */
  onChange(listener: (stats: SamplerStats) => void): () => void {
    return this.#listeners.add(listener);
  }

  stats(): SamplerStats {
    return this.#stats;
  }

  /** One level of the sampled tree (the roots when `subject` is omitted), sorted by token; [] when there is no sample. */
  children(subject?: string): Promise<readonly SubjectChild[]> {
    if (!this.#worker) return Promise.resolve([]);
    const id = ++this.#nextId;
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      this.#post({ type: 'level', id, subject });
    });
  }

  /** Ends the worker and its connection now. */
  dispose(): void {
    this.#generation++;
    this.#starting = false;
    this.#terminate();
    this.#listeners.clear();
  }

  #terminate(): void {
    const worker = this.#worker;
    this.#worker = undefined;
    this.#answerPending();
    if (worker) void worker.terminate();
    if (this.#stats.running) this.#stats = { ...this.#stats, running: false, stopReason: 'stopped' };
  }

  #answerPending(): void {
    for (const resolve of this.#pending.values()) resolve([]);
    this.#pending.clear();
  }

  #post(m: ToSamplerWorker): void {
    this.#worker?.postMessage(m);
  }

  #report(stats: SamplerStats): void {
    this.#stats = stats;
    this.#listeners.emit(stats);
  }
}
