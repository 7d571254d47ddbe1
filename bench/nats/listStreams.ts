// Listing 1,000 streams with their state: listStreams() vs raw jsm.streams.list(), same server, same run.
// With `r3`: 1,000 R3 streams on a 3-node cluster, listStreams() vs raw nats.js vs the real `nats stream ls`
// (out/tools.json `nats`, a process per listing, as a user runs it), all three in one run.
// Run: node scripts/build.mjs && node out/bench/nats/listStreams.js [r3]
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { jetstreamManager } from '@nats-io/jetstream';
import { NatsSession } from '../../src/core/nats/session';
import { listStreams } from '../../src/core/nats/streams';
import { startNatsCluster } from '../../test/harness/natsCluster';
import { startNatsServer } from '../../test/harness/natsServer';
import { tools } from '../../test/harness/tools';
import { alternate, figure, median, openSession, timed } from './benchSupport';

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

/** 1,000 R3 streams with one message each on a 3-node cluster: ours, raw nats.js and `nats stream ls`, rotated. */
async function listR3StreamsBesideNatsCli(): Promise<void> {
  const count = 1000;
  const cluster = await startNatsCluster();
  const session = new NatsSession({
    spec: { name: 'bench', origin: 'settings', servers: cluster.urls, auth: { kind: 'none' } },
    secrets: { get: async () => undefined },
    autoRetry: false,
    apiTimeoutMs: 60_000,
  });
  try {
    await cluster.waitHealthy(60_000);
    await session.open();
    await session.whenConnected(10_000);
    const nc = session.connection();
    const jsm = await jetstreamManager(nc, { timeout: 60_000 });
    const created = performance.now();
    for (let i = 0; i < count; i += 20) {
      await Promise.all(
        Array.from({ length: 20 }, (_, j) =>
          jsm.streams.add({ name: `R${String(i + j).padStart(4, '0')}`, subjects: [`r.${i + j}.>`], num_replicas: 3 }),
        ),
      );
    }
    for (let i = 0; i < count; i++) nc.publish(`r.${i}.x`, 'one');
    await nc.flush();
    await cluster.waitHealthy(120_000);
    console.log(`created ${count} R3 streams in ${((performance.now() - created) / 1000).toFixed(1)} s`);
    const run = promisify(execFile);
    const cli = async () => {
      // The table, as users read it: `--json` prints names only, the table has each stream's state.
      const { stdout } = await run(tools().nats, ['stream', 'ls', '--server', cluster.urls.join(',')], {
        maxBuffer: 256 * 1024 * 1024,
      });
      const rows = stdout.split('\n').filter((l) => /│ R\d{4}\s+│.*│ 1\s+│/.test(l)).length;
      if (rows !== count) throw new Error(`nats stream ls showed ${rows} streams with their message`);
    };
    const raw = async () => {
      let n = 0;
      for await (const si of jsm.streams.list()) if (si.state) n++;
      if (n !== count) throw new Error(`raw listed ${n}`);
    };
    const ours = async () => {
      const list = await listStreams(session);
      if (list.length !== count) throw new Error(`listStreams listed ${list.length}`);
    };
    const rounds = 15;
    const t: Record<'ours' | 'cli' | 'raw', number[]> = { ours: [], cli: [], raw: [] };
    const order: [keyof typeof t, () => Promise<void>][] = [
      ['ours', ours],
      ['cli', cli],
      ['raw', raw],
    ];
    for (const [, fn] of order) await fn();
    for (let i = 0; i < rounds; i++) {
      // Rotate who goes first, so drift on a shared machine hits all three alike.
      for (let j = 0; j < order.length; j++) {
        const [key, fn] = order[(i + j) % order.length]!;
        t[key].push((await timed(fn))[0]);
      }
    }
    const m = { ours: median(t.ours), cli: median(t.cli), raw: median(t.raw) };
    console.log(
      `list ${count.toLocaleString('en')} R3 streams with state, 3 servers (median of ${rounds}): ` +
        `listStreams ${m.ours.toFixed(1)} ms, nats stream ls ${m.cli.toFixed(1)} ms ` +
        `(${(m.ours / m.cli).toFixed(2)}x), raw nats.js ${m.raw.toFixed(1)} ms (${(m.ours / m.raw).toFixed(2)}x)`,
    );
  } finally {
    await session.close();
    await cluster.stop();
  }
}

(process.argv[2] === 'r3' ? listR3StreamsBesideNatsCli() : main()).catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
