// Runs one plain-Node test layer: node out/test/harness/runMochaLayer.js <unit|integration|ui> [counts.json]
import { join } from 'node:path';
import { runMocha, writeCounts } from './mochaSuite';

async function main(): Promise<void> {
  const [layer, countsFile] = process.argv.slice(2);
  if (!layer) throw new Error('usage: runMochaLayer <layer> [counts.json]');
  const timeoutMs = layer === 'unit' ? 10_000 : 60_000;
  const counts = await runMocha(join(__dirname, '..', layer), { timeoutMs, color: !process.env.CI && process.stdout.isTTY });
  writeCounts(countsFile, counts);
  process.exitCode = counts.failed > 0 ? 1 : 0;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
