// What the most expensive values files the limits allow cost (test/unit/core/values/worstCases.ts): time and peak
// memory of lint (analyzeValues) and migrate (migrateValues), each in a fresh process so peaks do not mix.
//   node scripts/build.mjs && node out/bench/values/worstCase.js
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { WORST_CASES } from '../../test/unit/core/values/worstCases';

const out = join(__dirname, '..', '..');

// Generates the input, settles, then runs the call: the peak RSS above the settled RSS is what the call added.
const probe = (name: string, call: 'analyzeValues' | 'migrateValues'): string => `
const { WORST_CASES } = require(${JSON.stringify(join(out, 'test', 'unit', 'core', 'values', 'worstCases.js'))});
const { ${call} } = require(${JSON.stringify(join(out, 'src', 'core', 'values', call === 'analyzeValues' ? 'analyzeValues.js' : 'migrateValues.js'))});
${call}('config: {}\\n');
const text = WORST_CASES[${JSON.stringify(name)}]();
global.gc();
const before = process.memoryUsage().rss;
const started = process.hrtime.bigint();
${call}(text);
const ms = Number(process.hrtime.bigint() - started) / 1e6;
process.stdout.write(JSON.stringify({ bytes: text.length, ms, peakMb: (process.resourceUsage().maxRSS * 1024 - before) / 1048576 }));
`;

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
}

process.stdout.write('case | bytes | lint ms | lint peak MB | migrate ms | migrate peak MB\n');
for (const name of Object.keys(WORST_CASES)) {
  const runs = (call: 'analyzeValues' | 'migrateValues') =>
    Array.from(
      { length: 3 },
      () =>
        JSON.parse(execFileSync(process.execPath, ['--expose-gc', '-e', probe(name, call)], { encoding: 'utf8' })) as {
          bytes: number;
          ms: number;
          peakMb: number;
        },
    );
  const lint = runs('analyzeValues');
  const migrate = runs('migrateValues');
  const cell = (rs: { ms: number; peakMb: number }[]) =>
    `${median(rs.map((r) => r.ms)).toFixed(0)} | ${median(rs.map((r) => r.peakMb)).toFixed(0)}`;
  process.stdout.write(`${name} | ${lint[0]?.bytes} | ${cell(lint)} | ${cell(migrate)}\n`);
}
