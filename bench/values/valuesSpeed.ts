// Medians for one edit's diagnostics and for completion on the chart's full values-2.14.2.yaml, in this process.
//   node scripts/build.mjs && node out/bench/values/valuesSpeed.js
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeValues } from '../../src/core/values/analyzeValues';
import { completeValues } from '../../src/core/values/valuesCompletion';
import { hoverValues } from '../../src/core/values/valuesHover';

const text = readFileSync(
  join(__dirname, '..', '..', '..', 'test', 'fixtures', 'values', 'chart-values-2.14.2.yaml'),
  'utf8',
);

function median(label: string, runs: number, fn: (i: number) => void): number {
  for (let i = 0; i < 50; i++) fn(i);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn(i);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  const m = times[Math.floor(runs / 2)] as number;
  process.stdout.write(
    `${label}: median ${m.toFixed(2)} ms, p90 ${(times[Math.floor(runs * 0.9)] as number).toFixed(2)} ms (${runs} runs)\n`,
  );
  return m;
}

const at = text.indexOf('replicas: 3');
const loadStart = process.hrtime.bigint();
analyzeValues('config: {}\n');
process.stdout.write(
  `first analysis (schema build + JIT): ${(Number(process.hrtime.bigint() - loadStart) / 1e6).toFixed(2)} ms\n`,
);
// Typing in a value: the previous parse is patched (incrementalParse.ts).
median('diagnostics after one edit', 300, (i) =>
  analyzeValues(`${text.slice(0, at)}replicas: ${3 + (i % 5)}${text.slice(at + 11)}`),
);
// Adding or removing a key changes the structure: a full parse every time, the worst case while typing.
const keyAt = text.indexOf('\n', at) + 1;
median('diagnostics after a structural edit (full parse)', 300, (i) =>
  analyzeValues(`${text.slice(0, keyAt)}${i % 2 === 0 ? '    noAdvertise: true\n' : ''}${text.slice(keyAt)}`),
);
const cursor = text.indexOf('    memoryStore:');
median('completion (keys under config.jetstream)', 300, () => completeValues(text, cursor + 4));
median('hover (cached parse)', 300, () => hoverValues(text, cursor + 6));
