// Entry the VS Code extension host loads (extensionTestsPath): runs the *.test.js files of this folder, in a trusted
// workspace; restricted/ has an entry of its own, run in Restricted Mode (runHostLayer.ts).
import { join } from 'node:path';
import { runMocha, writeCounts } from '../harness/mochaSuite';

export async function run(): Promise<void> {
  const restricted = join(__dirname, 'restricted');
  const counts = await runMocha(__dirname, { timeoutMs: 30_000, include: (file) => !file.startsWith(restricted) });
  writeCounts(process.env.NATS_K3S_HOST_COUNTS, counts);
  if (counts.failed > 0) throw new Error(`${counts.failed} extension-host test(s) failed`);
}
