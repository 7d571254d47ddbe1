// What the values feature adds to activation. At activation the extension loads only the detection code (which
// YAML files are NATS chart values); the values core (schema, analysis, completion) runs in a worker thread,
// dist/valuesWorker.js, started on first use. The detection code is measured by loading it in fresh processes against
// an empty module; the worker by its first answer after start; plus the detection per open YAML file and the first
// full analysis (schema build), which runs after activate() returns.
//   node scripts/build.mjs && node out/bench/values/activationCost.js
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { analyzeValues, detectValuesFile } from '../../src/core/values';
import { ValuesThread } from '../../src/core/values/valuesThread';

const root = join(__dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'nk3s-actbench-'));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Milliseconds to require `file` in a fresh Node process, median of `runs` processes. */
function requireTime(file: string, runs = 15): number {
  const probe = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  return median(
    Array.from({ length: runs }, () => Number(execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' }))),
  );
}

async function main(): Promise<void> {
  const eager = join(dir, 'detect.js');
  buildSync({
    entryPoints: [join(root, 'src', 'core', 'values', 'detectValues.ts')],
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: eager,
    logLevel: 'silent',
  });
  const worker = join(root, 'dist', 'valuesWorker.js');
  const empty = join(dir, 'empty.js');
  writeFileSync(empty, 'module.exports = {};\n');
  const loadEmpty = requireTime(empty);
  const loadEager = requireTime(eager);
  const firstAnswers: number[] = [];
  for (let i = 0; i < 5; i++) {
    const thread = new ValuesThread(worker);
    const t = process.hrtime.bigint();
    await thread.call('analyzeValues', 'config: {}\n');
    firstAnswers.push(Number(process.hrtime.bigint() - t) / 1e6);
    thread.dispose();
  }
  process.stdout.write(
    `at activation, detection code (${(readFileSync(eager).length / 1024).toFixed(1)} KiB): ${(loadEager - loadEmpty).toFixed(2)} ms more than an empty module (median of 15 fresh processes)\n`,
  );
  process.stdout.write(
    `on first use, the values worker (dist/valuesWorker.js, ${(readFileSync(worker).length / 1024).toFixed(0)} KiB) answers its first analysis ${median(firstAnswers).toFixed(1)} ms after it is started (median of 5), off the extension host's thread\n`,
  );

  const other =
    'replicaCount: 2\nimage:\n  repository: nginx\n  tag: "1.27"\nservice:\n  type: ClusterIP\n  port: 80\n';
  const chart = readFileSync(join(root, 'test', 'fixtures', 'values', 'chart-values-2.14.2.yaml'), 'utf8');
  const time = (fn: () => void, n = 200) => {
    const xs: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = process.hrtime.bigint();
      fn();
      xs.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    return median(xs);
  };
  const firstStart = process.hrtime.bigint();
  analyzeValues(chart);
  const first = Number(process.hrtime.bigint() - firstStart) / 1e6;
  process.stdout.write(
    `detection per open YAML file: another chart's values.yaml ${time(() => detectValuesFile('/w/values.yaml', other)).toFixed(3)} ms, the NATS chart's full values ${time(() => detectValuesFile('/w/values.yaml', chart)).toFixed(3)} ms\n`,
  );
  process.stdout.write(
    `first analysis of the full chart values (schema build, after activation): ${first.toFixed(1)} ms\n`,
  );
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
