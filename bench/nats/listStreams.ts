// Listing 1,000 streams with their state: listStreams() vs raw jsm.streams.list(), same server, same run.
// Run: node scripts/build.mjs && node out/bench/nats/listStreams.js
import { jetstreamManager } from '@nats-io/jetstream';
import { listStreams } from '../../src/core/nats/streams';
import { startNatsServer } from '../../test/harness/natsServer';
import { alternate, figure, median, openSession } from './benchSupport';

async function main(): Promise<void> {
  const server = await startNatsServer();
  const session = await openSession(server.url);
  try {
    const nc = session.connection();
    const jsm = await jetstreamManager(nc);
    for (let i = 0; i < 1000; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, j) =>
          jsm.streams.add({ name: `S${String(i + j).padStart(4, '0')}`, subjects: [`s.${i + j}.>`] }),
        ),
      );
    }
    for (let i = 0; i < 1000; i++) nc.publish(`s.${i}.x`, 'one');
    await nc.flush();
    const raw = async () => {
      let n = 0;
      for await (const si of jsm.streams.list()) if (si.state) n++;
      if (n !== 1000) throw new Error(`raw listed ${n}`);
    };
    const ours = async () => {
      const list = await listStreams(session);
      if (list.length !== 1000) throw new Error(`listStreams listed ${list.length}`);
    };
    const [tOurs, tRaw] = await alternate(30, ours, raw);
    figure('list 1,000 streams with state (median of 30)', median(tOurs), median(tRaw), 'ms', '<= 1.2x');
  } finally {
    await session.close();
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
