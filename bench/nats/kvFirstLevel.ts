// Opening a 100,000-key bucket's first level: listKeyLevel() vs raw kv.keys() iterated, same server, same run,
// and the peak heap growth of each (listKeyLevel folds keys into per-token counts; a naive tree keeps every key).
// Run: node scripts/build.mjs && node --expose-gc out/bench/nats/kvFirstLevel.js [keys]
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { listKeyLevel } from '../../src/core/nats/kvBrowser';
import { startNatsServer } from '../../test/harness/natsServer';
import { alternate, figure, median, openSession, peakHeapGrowthMb } from './benchSupport';

const KEYS = Number(process.argv[2] ?? 100_000);

async function main(): Promise<void> {
  const server = await startNatsServer();
  const session = await openSession(server.url);
  try {
    const nc = session.connection();
    const kvm = new Kvm(nc);
    const kv = await kvm.create('big');
    // Core-publishing to the bucket's subjects is the fast way to fill it (natsjs.md 7.1); keys are app<i%50>.item<i>.
    for (let i = 0; i < KEYS; i++) {
      nc.publish(`$KV.big.app${i % 50}.item${i}`, 'v');
      if (i % 5_000 === 4_999) await nc.flush();
    }
    await nc.flush();
    const jsm = await jetstreamManager(nc);
    while ((await jsm.streams.info('KV_big')).state.messages < KEYS) await new Promise((r) => setTimeout(r, 50));

    const raw = async () => {
      let n = 0;
      for await (const _key of await kv.keys()) n++;
      if (n !== KEYS) throw new Error(`raw kv.keys() gave ${n}`);
    };
    const ours = async () => {
      const level = await listKeyLevel(session, 'big');
      if (level.children.length !== 50) throw new Error(`first level has ${level.children.length} children`);
    };
    const [tOurs, tRaw] = await alternate(8, ours, raw);
    figure(
      `first level of a ${KEYS.toLocaleString('en')}-key bucket (median of 8)`,
      median(tOurs),
      median(tRaw),
      'ms',
      '<= 1.2x',
    );

    const [heapOurs] = await peakHeapGrowthMb(ours);
    const [heapNaive] = await peakHeapGrowthMb(async () => {
      const all: string[] = [];
      for await (const key of await kv.keys()) all.push(key);
      return all.length;
    });
    console.log(
      `peak heap growth: listKeyLevel ${heapOurs.toFixed(1)} MB, a naive list of every key ${heapNaive.toFixed(1)} MB${(globalThis as { gc?: unknown }).gc ? '' : ' (run with --expose-gc for steadier figures)'}`,
    );
  } finally {
    await session.close();
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
