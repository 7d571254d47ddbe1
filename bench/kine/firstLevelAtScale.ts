// The kine tree at scale: a bucket of 1,000,000 keys in kine's format (churn and deletes, plus one namespace of
// 10,000 pods), and in one run, rounds interleaved: the tree's first level (subject listing folded per type) against
// raw kv.keys(), the subject listing alone and the real `nats kv ls`; heap and RSS peaks; the whole-bucket compact
// index's heap; opening the crowded namespace; and the time to the first line of `nats-k3s kine ls`.
// Run: node scripts/build.mjs && node --expose-gc out/bench/kine/firstLevelAtScale.js [keys=1000000] [server-url]
// With a server URL, the bucket `kine` already there (from an earlier run's generator) is measured as it is.
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect } from '@nats-io/transport-node';
import { KineBucket } from '../../src/core/kine/kineBucket';
import { KineIndex } from '../../src/core/kine/kineIndex';
import { KineListing } from '../../src/core/kine/kineListing';
import { listSubjectPages } from '../../src/core/nats/subjectListing';
import { startNatsServer } from '../../test/harness/natsServer';
import { tools } from '../../test/harness/tools';
import { cliBundle } from '../../test/harness/cliProcess';
import { median } from '../nats/benchSupport';
import { generateIntoServer } from './scaleBucket';

const KEYS = Number(process.argv[2] ?? 1_000_000);
const EXISTING = process.argv[3];
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
const ms = (t: number) => `${t.toFixed(0)} ms`;

/** Peak heap (with array buffers) and RSS while `fn` runs, sampled every 5 ms, and the same before it (after a GC). */
async function peaks<T>(
  fn: () => Promise<T>,
): Promise<{ result: T; ms: number; heapBase: number; heapPeak: number; rssPeak: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage();
  const heapBase = before.heapUsed + before.arrayBuffers;
  let heapPeak = heapBase;
  let rssPeak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    heapPeak = Math.max(heapPeak, m.heapUsed + m.arrayBuffers);
    rssPeak = Math.max(rssPeak, m.rss);
  }, 5);
  const start = performance.now();
  try {
    const result = await fn();
    const took = performance.now() - start;
    const m = process.memoryUsage();
    return {
      result,
      ms: took,
      heapBase,
      heapPeak: Math.max(heapPeak, m.heapUsed + m.arrayBuffers),
      rssPeak: Math.max(rssPeak, m.rss),
    };
  } finally {
    clearInterval(timer);
  }
}

/** Runs a program, counting its stdout lines; resolves the time to the first line and to its exit. */
function runCounting(
  cmd: string,
  args: readonly string[],
): Promise<{ firstLineMs: number; ms: number; lines: number; code: number | null }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let first = Number.NaN;
    let lines = 0;
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (chunk: Buffer) => {
      if (Number.isNaN(first)) first = performance.now() - start;
      for (const byte of chunk) if (byte === 10) lines++;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ firstLineMs: first, ms: performance.now() - start, lines, code }));
  });
}

async function main(): Promise<void> {
  const server = EXISTING ? { url: EXISTING, stop: async () => undefined } : await startNatsServer();
  try {
    if (!EXISTING) {
      const gen = await generateIntoServer(server.url, KEYS);
      console.log(
        `generated ${gen.keys.toLocaleString('en')} keys (${gen.deleted.toLocaleString('en')} deleted), ${gen.messages.toLocaleString('en')} messages in ${(gen.millis / 1000).toFixed(0)} s = ${Math.round(gen.messages / (gen.millis / 1000)).toLocaleString('en')} msg/s (separate process)`,
      );
    }
    const nc = await connect({ servers: server.url });
    try {
      const b = await KineBucket.open(nc, 'kine', { apiTimeoutMs: 120_000 });
      const kv = await new Kvm(jetstream(nc, { timeout: 120_000 })).open('kine');
      const raw = async () => {
        let n = 0;
        for await (const _ of await kv.keys()) n++;
        return n;
      };
      const listingAlone = async () => {
        let n = 0;
        await listSubjectPages(nc, b.jsm, b.stream, `${b.subjectPrefix}>`, (s) => {
          for (const _ in s) n++;
        });
        return n;
      };
      const ours = async () => (await KineListing.open(b)).topLevel().resources.length;
      const natsCli = async () => {
        const r = await runCounting(tools().nats, ['--server', server.url, 'kv', 'ls', 'kine', '--timeout=120s']);
        if (r.code !== 0) throw new Error(`nats kv ls exited with ${r.code}`);
        return r.lines;
      };
      const sides: [string, () => Promise<number>][] = [
        ['raw kv.keys()', raw],
        ['subject listing alone', listingAlone],
        ['first level (ours)', ours],
        ['nats kv ls (CLI)', natsCli],
      ];
      for (const [, fn] of sides) await fn(); // warm-up: JIT and the server's caches
      const times = new Map<string, number[]>(sides.map(([name]) => [name, []]));
      const counts = new Map<string, number>();
      for (let round = 0; round < 3; round++) {
        // Rotated each round, so no side always runs right after the same neighbour.
        for (let i = 0; i < sides.length; i++) {
          const [name, fn] = sides[(i + round) % sides.length];
          const start = performance.now();
          counts.set(name, await fn());
          times.get(name)!.push(performance.now() - start);
        }
      }
      const med = (name: string) => median(times.get(name)!);
      for (const [name] of sides)
        console.log(
          `${name.padEnd(24)} median ${ms(med(name))} (${times.get(name)!.map(ms).join(', ')}), ${counts.get(name)!.toLocaleString('en')} ${name.startsWith('first') ? 'types' : 'keys'}`,
        );
      const f = med('first level (ours)');
      console.log(
        `ratios: first level / kv.keys() ${(f / med('raw kv.keys()')).toFixed(2)} (goal <= 0.5), / subject listing ${(f / med('subject listing alone')).toFixed(2)} (goal <= 1.2), / nats kv ls ${(f / med('nats kv ls (CLI)')).toFixed(2)}`,
      );

      const first = await peaks(() => KineListing.open(b));
      console.log(`first level: heap peak +${mb(first.heapPeak - first.heapBase)}, RSS peak ${mb(first.rssPeak)}`);
      const listing = first.result;
      const pods = listing.topLevel().resources.find((r) => r.resource === 'pods')!;
      const podsOpen = await peaks(() => listing.namespaces(pods));
      const crowd = podsOpen.result.find((n) => n.namespace === 'crowd')!;
      console.log(
        `open pods (${pods.storedKeys.toLocaleString('en')} keys, ${podsOpen.result.length} namespaces): ${ms(podsOpen.ms)}, heap peak +${mb(podsOpen.heapPeak - podsOpen.heapBase)}`,
      );
      const opens: number[] = [];
      let shown = 0;
      for (let i = 0; i < 5; i++) {
        const start = performance.now();
        shown = (await listing.names(pods, crowd.kvPrefix)).length;
        opens.push(performance.now() - start);
      }
      console.log(
        `open namespace crowd (${shown.toLocaleString('en')} live pods): median ${ms(median(opens))} (${opens.map(ms).join(', ')}) (goal < 300 ms)`,
      );

      const whole = await peaks(() => KineIndex.build(b));
      (globalThis as { gc?: () => void }).gc?.();
      // The compact arrays live outside the JS heap (ArrayBuffers), so both are counted.
      const m = process.memoryUsage();
      const retained = m.heapUsed + m.arrayBuffers - whole.heapBase;
      console.log(
        `whole-bucket compact index of ${KEYS.toLocaleString('en')} keys: ${ms(whole.ms)}, kept ${mb(retained)} (heap + array buffers, goal < 150 MB), heap peak +${mb(whole.heapPeak - whole.heapBase)}, RSS peak ${mb(whole.rssPeak)}${(globalThis as { gc?: unknown }).gc ? '' : ' (run with --expose-gc)'}`,
      );
      void whole.result.revision;

      const cli: { firstLineMs: number; ms: number }[] = [];
      for (let i = 0; i < 3; i++)
        cli.push(await runCounting(process.execPath, [cliBundle, 'kine', 'ls', '--server', server.url]));
      console.log(
        `nats-k3s kine ls: first line median ${ms(median(cli.map((c) => c.firstLineMs)))} (goal < 2 s), whole output ${ms(median(cli.map((c) => c.ms)))}`,
      );
      console.log(
        `load average (1/5/15 min): ${loadavg()
          .map((x) => x.toFixed(1))
          .join(' / ')}`,
      );
    } finally {
      await nc.close();
    }
  } finally {
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
