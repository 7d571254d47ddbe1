import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { analyzeValues } from '../../../../src/core/values/analyzeValues';
import { migrateValues } from '../../../../src/core/values/migrateValues';
import { completeValues } from '../../../../src/core/values/valuesCompletion';
import { hoverValues } from '../../../../src/core/values/valuesHover';
import { ValuesThread, ValuesThreadError } from '../../../../src/core/values/valuesThread';
import { chartValuesText } from './fixtures';
import { WORST_CASES } from './worstCases';

/** The calling thread's longest event-loop stall (ms) while `work` runs. */
async function longestStall<T>(work: () => Promise<T>): Promise<[T, number]> {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  try {
    const result = await work();
    return [result, delay.max / 1e6];
  } finally {
    delay.disable();
  }
}

describe('ValuesThread: the values core in a worker thread', () => {
  const thread = new ValuesThread();
  after(() => thread.dispose());

  it('answers as the values core does on this thread', async () => {
    const text = chartValuesText('0.19.17');
    const at = text.indexOf('jetstream:') + 2;
    assert.deepEqual(
      await thread.call('analyzeValues', text, { chartVersion: '2.x' }),
      analyzeValues(text, { chartVersion: '2.x' }),
    );
    assert.deepEqual(await thread.call('completeValues', text, at), completeValues(text, at));
    assert.deepEqual(await thread.call('hoverValues', text, at), hoverValues(text, at));
    assert.deepEqual(await thread.call('migrateValues', text), migrateValues(text));
  });

  // The most expensive files the limits allow (worstCases.ts): each is answered, and this thread never waits on it.
  // A stall is wall-clock time, so on the shared 2-core machine other processes' load shows in it too: a case may
  // be measured three times and passes if one measurement stays under 50 ms. Run on this thread, the analysis
  // stalls it in every measurement (1.2 s for the unknown keys).
  for (const [name, make] of Object.entries(WORST_CASES)) {
    it(`keeps this thread responsive through ${name}`, async function () {
      this.timeout(30_000);
      const text = make();
      const stalls: number[] = [];
      for (let attempt = 0; attempt < 3 && !stalls.some((s) => s < 50); attempt++) {
        const started = performance.now();
        const [analysis, stall] = await longestStall(() => thread.call('analyzeValues', text));
        const ms = performance.now() - started;
        assert.ok(Array.isArray(analysis.diagnostics) && analysis.diagnostics.length <= 1001);
        // Up to about 1.7 s in a cold process on the shared 2-core machine (bench/values/worstCase.ts).
        assert.ok(ms < 5000, `${ms.toFixed(0)} ms`);
        stalls.push(stall);
      }
      assert.ok(
        stalls.some((s) => s < 50),
        `this thread stalled ${stalls.map((s) => s.toFixed(0)).join(', ')} ms while the worker analysed ${text.length} bytes`,
      );
    });
  }

  describe('a worker that fails', () => {
    let dir = '';
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'values-thread-'));
      // Answers with its thread id, or never (a busy loop) when asked about 'hang'.
      writeFileSync(
        join(dir, 'stub.js'),
        "const { parentPort, threadId } = require('node:worker_threads');\nparentPort.on('message', (m) => {\n  if (m.args[0] === 'hang') for (;;);\n  parentPort.postMessage({ id: m.id, result: threadId });\n});\n",
      );
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('is stopped when it stalls, and the next call gets a fresh one', async () => {
      const stub = new ValuesThread(join(dir, 'stub.js'), 300);
      try {
        const first = (await stub.call('analyzeValues', 'ok')) as unknown as number;
        const hung = stub.call('analyzeValues', 'hang');
        const queued = stub.call('analyzeValues', 'ok');
        for (const call of [hung, queued])
          await assert.rejects(
            call,
            (err: unknown) =>
              err instanceof ValuesThreadError &&
              err.message ===
                'The values analysis answered nothing for 0.3 s and was stopped; the file may be too complex to check.',
          );
        const fresh = (await stub.call('analyzeValues', 'ok')) as unknown as number;
        assert.notEqual(fresh, first);
      } finally {
        stub.dispose();
      }
    });

    it('that cannot start rejects in one sentence', async () => {
      const missing = new ValuesThread(join(dir, 'missing.js'));
      await assert.rejects(
        missing.call('analyzeValues', 'a: 1\n'),
        (err: unknown) =>
          err instanceof ValuesThreadError &&
          /^The values analysis's worker failed: Cannot find module/.test(err.message),
      );
      missing.dispose();
    });

    it('rejects waiting calls once disposed', async () => {
      const stub = new ValuesThread(join(dir, 'stub.js'));
      const waiting = stub.call('analyzeValues', 'hang');
      stub.dispose();
      await assert.rejects(waiting, /has shut down with the extension/);
      await assert.rejects(stub.call('analyzeValues', 'ok'), /has shut down with the extension/);
    });
  });
});
