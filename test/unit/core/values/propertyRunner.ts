// Worker thread entry for valuesFuzz.test.ts: runs one property of valuesProperties.ts until its case count or time
// budget is spent, and says which seed it is on before each case, so a case that hangs is named by the test's
// watchdog instead of freezing the whole test run.
import { parentPort, workerData } from 'node:worker_threads';
import { seededRandom } from '../../../generators/random/seededRandom';
import { PROPERTIES } from './valuesProperties';

export interface RunnerOptions {
  name: string;
  baseSeed: number;
  maxCases: number;
  budgetMs: number;
  caseMs: number;
}

export type RunnerMessage =
  /** Before each case; `first` for the warm-up run of case 0, which also builds the schema and may take longer. */
  | { type: 'case'; seed: number; first?: boolean }
  | { type: 'fail'; message: string }
  | { type: 'done'; cases: number; tags: Record<string, number> };

const port = parentPort;
if (!port) throw new Error('propertyRunner.js runs only as a worker thread.');
const options = workerData as RunnerOptions;
const property = PROPERTIES[options.name];
if (!property) throw new Error(`no property ${options.name}`);
const post = (m: RunnerMessage): void => port.postMessage(m);

// Case n is made from its own seed, so a failure names the seed that replays it as the first case.
const seedOf = (n: number): number => (options.baseSeed + Math.imul(n, 0x9e3779b1)) >>> 0;

function run(): RunnerMessage {
  // The first analysis builds the schema and warms the JIT; the budget is for the cases. A failure here shows again
  // as case 0, with its seed.
  post({ type: 'case', seed: seedOf(0), first: true });
  try {
    property.check(property.make(seededRandom(seedOf(0))) as never, seededRandom(0));
  } catch {
    // reported by case 0
  }
  const tags: Record<string, number> = {};
  const started = performance.now();
  let n = 0;
  for (; n < options.maxCases && performance.now() - started < options.budgetMs; n++) {
    const seed = seedOf(n);
    post({ type: 'case', seed });
    const rnd = seededRandom(seed);
    let input: unknown;
    const caseStart = performance.now();
    try {
      input = property.make(rnd);
      const tag = property.check(input as never, rnd);
      if (tag) tags[tag] = (tags[tag] ?? 0) + 1;
    } catch (err) {
      return {
        type: 'fail',
        message: `seed ${seed} (replay with NATS_K3S_FUZZ_SEED=${seed}): ${(err as Error).message}\ninput: ${input === undefined ? '(not made)' : property.show(input as never).slice(0, 600)}`,
      };
    }
    const took = performance.now() - caseStart;
    if (took > options.caseMs)
      return {
        type: 'fail',
        message: `seed ${seed} (replay with NATS_K3S_FUZZ_SEED=${seed}): one case took ${took.toFixed(0)} ms\ninput: ${property.show(input as never).slice(0, 300)}`,
      };
  }
  return { type: 'done', cases: n, tags };
}

post(run());
