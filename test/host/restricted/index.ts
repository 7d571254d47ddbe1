// Entry the extension host loads for the Restricted Mode pass (runHostLayer.ts): workspace trust is on and nobody
// trusted the folder, so the extension runs with the limited support its manifest declares.
import { runMocha, writeCounts } from '../../harness/mochaSuite';

export async function run(): Promise<void> {
  const counts = await runMocha(__dirname, { timeoutMs: 30_000 });
  writeCounts(process.env.NATS_K3S_HOST_COUNTS, counts);
  if (counts.failed > 0) throw new Error(`${counts.failed} extension-host test(s) failed in Restricted Mode`);
}
