import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { RunnerMessage, RunnerOptions } from './propertyRunner';
import { seedFiles } from './valuesGenerators';

// Each property runs in a worker thread (propertyRunner.ts) until MAX_CASES or BUDGET_MS, whichever comes first. A
// failure names the seed that replays it as the first case (NATS_K3S_FUZZ_SEED=<seed>); a case that takes longer
// than CASE_MS fails, and one that never ends is stopped by the watchdog and named too.
const BASE_SEED = Number(process.env.NATS_K3S_FUZZ_SEED ?? 0x5eed_2024) >>> 0;
const MAX_CASES = 400;
const BUDGET_MS = 1500;
/** One input of a few kilobytes to 25 KB; the limits bound the worst to about a second on this machine. */
const CASE_MS = 1500;
/** Starting the worker, and the first case, which builds the schema and warms the JIT. */
const START_MS = 10_000;

function runProperty(name: string): Promise<Extract<RunnerMessage, { type: 'done' }>> {
  const workerData: RunnerOptions = {
    name,
    baseSeed: BASE_SEED,
    maxCases: MAX_CASES,
    budgetMs: BUDGET_MS,
    caseMs: CASE_MS,
  };
  const worker = new Worker(join(__dirname, 'propertyRunner.js'), { workerData });
  let seed: number | undefined;
  return new Promise((resolve, reject) => {
    let watchdog: NodeJS.Timeout | undefined;
    const finish = (fn: () => void): void => {
      clearTimeout(watchdog);
      void worker.terminate();
      fn();
    };
    const arm = (ms: number): void => {
      clearTimeout(watchdog);
      watchdog = setTimeout(
        () =>
          finish(() =>
            reject(
              new Error(
                seed === undefined
                  ? `${name}: the worker did not start within ${ms} ms`
                  : `${name}: seed ${seed} (replay with NATS_K3S_FUZZ_SEED=${seed}) ran for ${ms} ms and was stopped`,
              ),
            ),
          ),
        ms,
      );
    };
    arm(START_MS);
    worker.on('message', (m: RunnerMessage) => {
      if (m.type === 'case') {
        seed = m.seed;
        arm(m.first ? START_MS : 2 * CASE_MS);
      } else if (m.type === 'fail') finish(() => reject(new Error(`${name}: ${m.message}`)));
      else finish(() => resolve(m));
    });
    worker.on('error', (err) =>
      finish(() => reject(new Error(`${name}${seed === undefined ? '' : `, seed ${seed}`}: ${err.message}`))),
    );
  });
}

describe('values fuzz and properties (seeded, bounded in cases and time)', function () {
  this.timeout(START_MS + BUDGET_MS + 2 * CASE_MS);

  it("has seeds: the fixtures and the chart's own values files", () => {
    const seeds = seedFiles();
    assert.ok(
      seeds.length >= 5 && seeds.some((s) => s.name.startsWith('shared/charts/')),
      seeds.map((s) => s.name).join(', '),
    );
  });

  it('the analysis of mutated values files never throws, and each diagnostic is one sentence on the text', async () => {
    const { cases } = await runProperty('analysis');
    assert.ok(cases >= 10, `${cases} cases`);
  });

  it('migration of mutated values files refuses them or writes a file Helm reads without errors', async () => {
    const { cases, tags } = await runProperty('migration');
    assert.ok(cases >= 10 && (tags['migrated'] ?? 0) > 0, `${cases} cases: ${JSON.stringify(tags)}`);
  });

  it('migration carries each 0.x setting it does not report to its 2.x key with the same value, and a second migration changes nothing', async () => {
    const { cases } = await runProperty('roundTrip');
    assert.ok(cases >= 10, `${cases} cases`);
  });
});
