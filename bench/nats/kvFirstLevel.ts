// Opening a 100,000-key bucket's first level: listKeyLevel() vs raw kv.keys() iterated, same server, same run,
// and the peak heap growth of each (listKeyLevel folds keys into per-token counts; a naive tree keeps every key).
// With `nats` after the key count: the whole listing beside the real `nats kv ls` (out/tools.json `nats`, a process per
// listing, as a user runs it), raw kv.keys() and listKeyLevel(), all three in one run.
// Run: node scripts/build.mjs && node --expose-gc out/bench/nats/kvFirstLevel.js [keys] [nats]
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { listKeyLevel } from '../../src/core/nats/kvBrowser';
import { startNatsServer } from '../../test/harness/natsServer';
import { tools } from '../../test/harness/tools';
import { alternate, figure, median, openSession, peakHeapGrowthMb, timed } from './benchSupport';

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

/** Every key of a KEYS-key bucket: `nats kv ls`, raw kv.keys() and listKeyLevel(), rotated, on one server. */
async function listBesideNatsCli(): Promise<void> {
  const server = await startNatsServer();
  const session = await openSession(server.url);
  try {
    const nc = session.connection();
    const kv = await new Kvm(nc).create('big');
    for (let i = 0; i < KEYS; i++) {
      nc.publish(`$KV.big.app${i % 50}.item${i}`, 'v');
      if (i % 5_000 === 4_999) await nc.flush();
    }
    await nc.flush();
    const jsm = await jetstreamManager(nc);
    while ((await jsm.streams.info('KV_big')).state.messages < KEYS) await new Promise((r) => setTimeout(r, 50));
    const run = promisify(execFile);
    const cli = async () => {
      const { stdout } = await run(tools().nats, ['kv', 'ls', 'big', '--server', server.url], {
        maxBuffer: 256 * 1024 * 1024,
      });
      const n = stdout.split('\n').filter((l) => l.includes('.item')).length;
      if (n !== KEYS) throw new Error(`nats kv ls printed ${n} keys`);
    };
    const raw = async () => {
      let n = 0;
      for await (const _key of await kv.keys()) n++;
      if (n !== KEYS) throw new Error(`raw kv.keys() gave ${n}`);
    };
    const ours = async () => {
      const level = await listKeyLevel(session, 'big');
      if (level.children.length !== 50) throw new Error(`first level has ${level.children.length} children`);
    };
    const rounds = 8;
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
      `list a ${KEYS.toLocaleString('en')}-key bucket (median of ${rounds}): listKeyLevel ${m.ours.toFixed(1)} ms, ` +
        `nats kv ls ${m.cli.toFixed(1)} ms (${(m.ours / m.cli).toFixed(2)}x), raw kv.keys() ${m.raw.toFixed(1)} ms ` +
        `(${(m.ours / m.raw).toFixed(2)}x)`,
    );
  } finally {
    await session.close();
    await server.stop();
  }
}

(process.argv[3] === 'nats' ? listBesideNatsCli() : main()).catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
