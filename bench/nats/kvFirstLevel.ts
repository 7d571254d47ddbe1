// Opening a 100,000-key bucket's first level, in one run with rounds interleaved: the tree's path (the server's
// subject listing folded into per-token counts, the level's own keys refined), the key walk (listKeyLevel over
// kv.keys()), raw kv.keys() iterated, the subject listing alone, and the real `nats kv ls`; then the peak heap growth
// of each path (both fold keys into counts; a naive tree keeps every key).
// Run: node scripts/build.mjs && node --expose-gc out/bench/nats/kvFirstLevel.js [keys]
import { spawn } from 'node:child_process';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { listKeyLevel } from '../../src/core/nats/kvBrowser';
import { listKeyLevelFromSubjects } from '../../src/core/nats/kvLevelFromSubjects';
import { listSubjectPages } from '../../src/core/nats/subjectListing';
import { startNatsServer } from '../../test/harness/natsServer';
import { tools } from '../../test/harness/tools';
import { median, openSession, peakHeapGrowthMb, timed } from './benchSupport';

const KEYS = Number(process.argv[2] ?? 100_000);

/** `nats kv ls big`, counting the keys it prints. */
function natsKvLs(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let lines = 0;
    const child = spawn(tools().nats, ['--server', url, 'kv', 'ls', 'big', '--timeout=120s'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.on('data', (chunk: Buffer) => {
      for (const byte of chunk) if (byte === 10) lines++;
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(lines) : reject(new Error(`nats kv ls exited with ${code}`))));
  });
}

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

    const expectLevel = (n: number) => {
      if (n !== 50) throw new Error(`first level has ${n} children`);
    };
    const sides: [string, () => Promise<unknown>][] = [
      [
        'first level (tree: subject listing)',
        async () => expectLevel((await listKeyLevelFromSubjects(session, 'big'))?.children.length ?? 0),
      ],
      ['first level (key walk)', async () => expectLevel((await listKeyLevel(session, 'big')).children.length)],
      [
        'raw kv.keys()',
        async () => {
          let n = 0;
          for await (const _key of await kv.keys()) n++;
          if (n !== KEYS) throw new Error(`raw kv.keys() gave ${n}`);
        },
      ],
      [
        'subject listing alone',
        async () => {
          let n = 0;
          await listSubjectPages(nc, await session.jetstreamManager(), 'KV_big', '$KV.big.>', (s) => {
            for (const _ in s) n++;
          });
          if (n !== KEYS) throw new Error(`the listing gave ${n}`);
        },
      ],
      [
        'nats kv ls (CLI)',
        async () => {
          const n = await natsKvLs(server.url);
          if (n < KEYS) throw new Error(`nats kv ls printed ${n} lines`);
        },
      ],
    ];
    for (const [, fn] of sides) await fn(); // warm-up
    const times = new Map<string, number[]>(sides.map(([name]) => [name, []]));
    for (let round = 0; round < 8; round++)
      for (let i = 0; i < sides.length; i++) {
        const [name, fn] = sides[(i + round) % sides.length];
        times.get(name)!.push((await timed(fn))[0]);
      }
    const med = (name: string) => median(times.get(name)!);
    console.log(`${KEYS.toLocaleString('en')}-key bucket, median of 8 rounds (rotated order):`);
    for (const [name] of sides) console.log(`  ${name.padEnd(36)} ${med(name).toFixed(0)} ms`);
    const ours = med('first level (tree: subject listing)');
    console.log(
      `ratios: tree / kv.keys() ${(ours / med('raw kv.keys()')).toFixed(2)} (goal <= 0.5), tree / subject listing ${(ours / med('subject listing alone')).toFixed(2)} (goal <= 1.2), tree / nats kv ls ${(ours / med('nats kv ls (CLI)')).toFixed(2)}, key walk / kv.keys() ${(med('first level (key walk)') / med('raw kv.keys()')).toFixed(2)}`,
    );

    const rssBefore = process.memoryUsage().rss;
    const [heapOurs] = await peakHeapGrowthMb(sides[0][1]);
    const [heapWalk] = await peakHeapGrowthMb(sides[1][1]);
    const [heapNaive] = await peakHeapGrowthMb(async () => {
      const all: string[] = [];
      for await (const key of await kv.keys()) all.push(key);
      return all.length;
    });
    console.log(
      `peak heap growth: tree ${heapOurs.toFixed(1)} MB, key walk ${heapWalk.toFixed(1)} MB, a naive list of every key ${heapNaive.toFixed(1)} MB; RSS ${(rssBefore / 1e6).toFixed(0)} MB before, ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB after${(globalThis as { gc?: unknown }).gc ? '' : ' (run with --expose-gc for steadier figures)'}`,
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
