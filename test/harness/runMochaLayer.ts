// Runs one plain-Node test layer: node out/test/harness/runMochaLayer.js <unit|integration|ui> [counts.json]
// NATS_K3S_WITHOUT_STACK=1 (the compatibility pass on the oldest nats-server) leaves out the files that run on the
// K3s-shaped control plane: it always runs the chart's nats-server, so they would only repeat the main pass.
import { join, relative } from 'node:path';
import { runMocha, runsOnStack, testFiles, writeCounts } from './mochaSuite';

async function main(): Promise<void> {
  const [layer, countsFile] = process.argv.slice(2);
  if (!layer) throw new Error('usage: runMochaLayer <layer> [counts.json]');
  const timeoutMs = layer === 'unit' ? 10_000 : 60_000;
  const dir = join(__dirname, '..', layer);
  const withoutStack = process.env.NATS_K3S_WITHOUT_STACK === '1';
  if (withoutStack) {
    const left = testFiles(dir)
      .filter(runsOnStack)
      .map((f) => relative(dir, f));
    console.log(
      `Left out, as they run on the control plane with the chart's nats-server (the main pass ran them): ${left.join(', ') || 'none'}`,
    );
  }
  const counts = await runMocha(dir, {
    timeoutMs,
    color: !process.env.CI && process.stdout.isTTY,
    ...(withoutStack ? { include: (f: string) => !runsOnStack(f) } : {}),
  });
  writeCounts(countsFile, counts);
  process.exitCode = counts.failed > 0 ? 1 : 0;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
