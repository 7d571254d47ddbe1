// Entry the VS Code extension host loads (extensionTestsPath): runs the *.test.js files of this folder.
import { runMocha, writeCounts } from '../harness/mochaSuite';

export async function run(): Promise<void> {
  const counts = await runMocha(__dirname, { timeoutMs: 30_000 });
  writeCounts(process.env.NATS_K3S_HOST_COUNTS, counts);
  if (counts.failed > 0) throw new Error(`${counts.failed} extension-host test(s) failed`);
}
