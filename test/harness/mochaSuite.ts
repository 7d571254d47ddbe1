import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import { stopSharedStack } from './sharedStack';

/** Counts one test layer reports to the runner (`scripts/test.mjs` adds them up). */
export interface LayerCounts {
  passed: number;
  failed: number;
  pending: number;
}

export function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return name.endsWith('.test.js') ? [path] : [];
  });
}

/** Whether a compiled test file runs on the K3s-shaped control plane (it imports the stack harness). */
export function runsOnStack(file: string): boolean {
  return /harness\/(sharedStack|k8sStack)["']/.test(readFileSync(file, 'utf8'));
}

export interface MochaRunOptions {
  readonly timeoutMs?: number;
  readonly color?: boolean;
  /** Which of the files under `dir` to run (default: all). */
  readonly include?: (file: string) => boolean;
}

/** Runs every `*.test.js` under `dir` in this process and resolves to the counts; never rejects on failures. */
export function runMocha(dir: string, options: MochaRunOptions = {}): Promise<LayerCounts> {
  // forbidOnly: a stray `.only` fails the layer instead of quietly running one test; forbidPending: a skipped test
  // or one without a body fails it too.
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    forbidOnly: true,
    forbidPending: true,
    color: options.color ?? false,
    timeout: options.timeoutMs ?? 20_000,
    rootHooks: { afterAll: stopSharedStack },
  });
  // The spec reporter reads this global rather than the option above.
  Mocha.reporters.Base.useColors = options.color ?? false;
  for (const file of testFiles(dir)
    .sort()
    .filter(options.include ?? (() => true)))
    mocha.addFile(file);
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run(() => {
        const stats = runner.stats;
        resolve({ passed: stats?.passes ?? 0, failed: stats?.failures ?? 0, pending: stats?.pending ?? 0 });
      });
    } catch (err) {
      reject(err);
    }
  });
}

export function writeCounts(file: string | undefined, counts: LayerCounts): void {
  if (file) writeFileSync(file, JSON.stringify(counts));
}
