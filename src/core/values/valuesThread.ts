import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ValuesMethod, ValuesMethods, ValuesReply, ValuesRequest } from './valuesProtocol';

/** Beside this file in out/, and beside the extension's bundle in dist/ (the build makes dist/valuesWorker.js). */
const WORKER_FILE = join(__dirname, 'valuesWorker.js');

/**
 * Several times the slowest analysis the limits allow (valuesLimits.ts: 1.7 s in a cold process on a shared 2-core
 * machine); a worker that answers nothing for this long is stopped and the next call starts a fresh one.
 */
export const DEFAULT_STALL_MS = 10_000;

/**
 * The worker's heap is capped: the largest files the limits allow peak under 80 MB (bench/values/worstCase.ts), and
 * should a file still find a way past them, the worker runs out of memory and restarts, not the extension host.
 */
const MAX_HEAP_MB = 256;

/** A call the worker could not answer: stopped after a stall, failed, or the thread was disposed. One sentence. */
export class ValuesThreadError extends Error {
  override readonly name = 'ValuesThreadError';
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

/**
 * The values core in a worker thread, for the extension host: an analysis of the largest file the limits allow takes
 * up to about a second, which on the host's own thread would freeze every extension and the editor's typing for it.
 * Calls are answered in order; a worker that stops answering for `stallMs` is terminated (its calls rejected) and the
 * next call starts a new one. The worker never keeps the process alive.
 */
export class ValuesThread {
  #worker: Worker | undefined;
  #pending = new Map<number, Pending>();
  #nextId = 0;
  #watchdog: NodeJS.Timeout | undefined;
  #disposed = false;

  constructor(
    private readonly workerFile = WORKER_FILE,
    private readonly stallMs = DEFAULT_STALL_MS,
  ) {}

  /** Runs one of the values core's entry points in the worker; rejects only with ValuesThreadError. */
  call<M extends ValuesMethod>(
    method: M,
    ...args: Parameters<ValuesMethods[M]>
  ): Promise<ReturnType<ValuesMethods[M]>> {
    if (this.#disposed)
      return Promise.reject(new ValuesThreadError('The values analysis has shut down with the extension.'));
    let worker: Worker;
    try {
      worker = this.#start();
    } catch (err) {
      return Promise.reject(
        new ValuesThreadError(`The values analysis could not start its worker: ${(err as Error).message}`),
      );
    }
    const id = ++this.#nextId;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      // A call does not restart the timer: a worker stuck on an earlier call stays stuck however often it is asked.
      if (this.#watchdog === undefined) this.#arm();
      worker.postMessage({ id, method, args } satisfies ValuesRequest);
    });
  }

  /** Stops the worker; calls still waiting are rejected. */
  dispose(): void {
    this.#disposed = true;
    this.#fail(new ValuesThreadError('The values analysis has shut down with the extension.'));
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(this.workerFile, { resourceLimits: { maxOldGenerationSizeMb: MAX_HEAP_MB } });
    worker.unref();
    worker.on('message', (reply: ValuesReply) => {
      const pending = this.#pending.get(reply.id);
      if (!pending) return;
      this.#pending.delete(reply.id);
      this.#arm();
      if ('error' in reply) pending.reject(new ValuesThreadError(`The values analysis failed: ${reply.error}`));
      else pending.resolve(reply.result);
    });
    worker.on('error', (err) => {
      if (this.#worker === worker)
        this.#fail(new ValuesThreadError(`The values analysis's worker failed: ${err.message}`));
    });
    worker.on('exit', () => {
      if (this.#worker === worker) this.#fail(new ValuesThreadError("The values analysis's worker stopped."));
    });
    this.#worker = worker;
    return worker;
  }

  /** (Re)starts the stall timer while calls are waiting: it measures the time since the worker last answered. */
  #arm(): void {
    clearTimeout(this.#watchdog);
    this.#watchdog = undefined;
    if (this.#pending.size === 0) return;
    this.#watchdog = setTimeout(
      () =>
        this.#fail(
          new ValuesThreadError(
            `The values analysis answered nothing for ${this.stallMs / 1000} s and was stopped; the file may be too complex to check.`,
          ),
        ),
      this.stallMs,
    );
    this.#watchdog.unref();
  }

  #fail(err: ValuesThreadError): void {
    clearTimeout(this.#watchdog);
    this.#watchdog = undefined;
    const worker = this.#worker;
    this.#worker = undefined;
    if (worker) void worker.terminate();
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) p.reject(err);
  }
}
