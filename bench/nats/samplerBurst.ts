// The subject sampler under a 1,000,000-message burst on 10,000 subjects from a separate publisher process,
// against a bare counting subscriber measured in the same run: the sampler as the explorer runs it (in a worker
// thread, SamplerThread) and the same sampler on the main thread. Also the event-loop delay p99 while sampling
// (with the roots and one expanded level read on every change notification, as the tree view does) and the server's slow-consumer count.
// Run: node scripts/build.mjs && node out/bench/nats/samplerBurst.js [messages] [subjects]
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { connect } from '@nats-io/transport-node';
import { SamplerThread } from '../../src/core/nats/samplerThread';
import { SubjectSampler } from '../../src/core/nats/subjectSampler';
import { startNatsServer, type NatsServer } from '../../test/harness/natsServer';
import { median, openSession } from './benchSupport';

const TOTAL = Number(process.argv[2] ?? 1_000_000);
const SUBJECTS = Number(process.argv[3] ?? 10_000);
const ROUNDS = 3;

interface RunResult {
  received: number;
  rate: number;
  publisherRate: number;
  p99Ms: number;
  maxMs: number;
}

async function slowConsumers(server: NatsServer): Promise<number> {
  const varz = (await (await fetch(`http://127.0.0.1:${server.monitorPort}/varz`)).json()) as {
    slow_consumers: number;
  };
  return varz.slow_consumers;
}

function publish(url: string): Promise<{ rate: number }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [join(__dirname, 'burstPublisher.js'), url, String(TOTAL), String(SUBJECTS)],
      (err, stdout) => {
        if (err) reject(err);
        else resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as { rate: number });
      },
    );
  });
}

/** Starts a subscriber via `subscribe`, runs the publisher, and waits until every message arrived or 5 s of silence. */
async function run(
  url: string,
  subscribe: (onMessage: () => void) => Promise<() => Promise<void>>,
): Promise<RunResult> {
  let received = 0;
  let first = 0;
  let last = 0;
  let wake: (() => void) | undefined;
  const stop = await subscribe(() => {
    if (received === 0) first = performance.now();
    received++;
    last = performance.now();
    if (received === TOTAL) wake?.();
  });
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  try {
    const pub = await publish(url);
    if (received < TOTAL) {
      // Every message, or 5 s without one (messages the server dropped never come).
      await new Promise<void>((resolve) => {
        const idle = setInterval(() => {
          if (received >= TOTAL || performance.now() - last > 5_000) done();
        }, 250);
        const done = () => {
          clearInterval(idle);
          resolve();
        };
        wake = done;
      });
    }
    delay.disable();
    return {
      received,
      rate: (received / (last - first)) * 1000,
      publisherRate: pub.rate,
      p99Ms: delay.percentile(99) / 1e6,
      maxMs: delay.max / 1e6,
    };
  } finally {
    await stop();
  }
}

/** Feeds `onMessage` with what a sampler has counted, every 20 ms (a sampler has no per-message hook, on purpose). */
function countFrom(count: () => number, onMessage: () => void, stop: () => void): () => Promise<void> {
  let seen = 0;
  const catchUp = () => {
    for (const n = count(); seen < n; seen++) onMessage();
  };
  const poll = setInterval(catchUp, 20);
  return async () => {
    clearInterval(poll);
    catchUp();
    stop();
  };
}

async function main(): Promise<void> {
  const server = await startNatsServer({ jetstream: false });
  const session = await openSession(server.url);
  const bareNc = await connect({ servers: server.url, name: 'bare counter' });
  try {
    const slowBefore = await slowConsumers(server);
    const bare: RunResult[] = [];
    const inThread: RunResult[] = [];
    const ours: RunResult[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      bare.push(
        await run(server.url, async (onMessage) => {
          const sub = bareNc.subscribe('>', { callback: () => onMessage() });
          await bareNc.flush();
          return async () => sub.unsubscribe();
        }),
      );
      let trees = 0;
      inThread.push(
        await run(server.url, async (onMessage) => {
          const sampler = new SubjectSampler(session, { maxDurationMs: 600_000, maxSubjects: 10_000 });
          // What the tree view does on each notification: read the roots and one expanded level of 100 children.
          const off = sampler.onChange(() => {
            const roots = sampler.children();
            if (roots.length > 0) trees += sampler.children(roots[0]!.subject).length > 0 ? 1 : 0;
          });
          sampler.start();
          await session.connection().flush();
          return countFrom(
            () => sampler.stats().messages,
            onMessage,
            () => (off(), sampler.stop()),
          );
        }),
      );
      ours.push(
        await run(server.url, async (onMessage) => {
          // What the explorer runs: the same sampler in a worker thread, the levels asked for over messages.
          // A 50 ms tick (the explorer's is 250 ms) so the counts reach this thread promptly enough to time the rate.
          const sampler = new SamplerThread(() => session.connectRecipe('bench sample'), {
            maxDurationMs: 600_000,
            maxSubjects: 10_000,
            tickMs: 50,
          });
          const off = sampler.onChange(() => {
            void sampler.children().then(async (roots) => {
              if (roots.length > 0) trees += (await sampler.children(roots[0]!.subject)).length > 0 ? 1 : 0;
            });
          });
          await sampler.start();
          return countFrom(
            () => sampler.stats().messages,
            onMessage,
            () => (off(), sampler.dispose()),
          );
        }),
      );
      const line = (name: string, x: RunResult) =>
        `${name} ${x.received} at ${Math.round(x.rate)} msg/s, loop p99 ${x.p99Ms.toFixed(1)} ms (max ${x.maxMs.toFixed(0)})`;
      console.log(
        `round ${round + 1}: ${line('bare', bare.at(-1)!)}; ${line('sampler on the main thread', inThread.at(-1)!)}; ${line('sampler thread', ours.at(-1)!)}; ${trees} tree reads`,
      );
    }
    const slowAfter = await slowConsumers(server);
    const r = median(ours.map((x) => x.rate));
    const b = median(bare.map((x) => x.rate));
    const t = median(inThread.map((x) => x.rate));
    console.log(
      `the same sampler on the main thread: ${Math.round(t)} msg/s = ${(t / b).toFixed(2)}x, loop p99 ${median(inThread.map((x) => x.p99Ms)).toFixed(1)} ms`,
    );
    console.log(
      `sampler thread, ${TOTAL.toLocaleString('en')} messages on ${SUBJECTS.toLocaleString('en')} subjects: ${Math.round(r)} msg/s vs bare counting subscriber ${Math.round(b)} msg/s = ${(r / b).toFixed(2)}x (target >= 0.9x)`,
    );
    console.log(
      `received every message: sampler thread ${ours.every((x) => x.received === TOTAL)}, on the main thread ${inThread.every((x) => x.received === TOTAL)}, bare ${bare.every((x) => x.received === TOTAL)}; server slow consumers +${slowAfter - slowBefore}`,
    );
    console.log(
      `main event-loop delay p99 while the sampler thread samples: ${median(ours.map((x) => x.p99Ms)).toFixed(1)} ms (bare ${median(bare.map((x) => x.p99Ms)).toFixed(1)} ms) (target < 50 ms); publisher ${Math.round(median(ours.map((x) => x.publisherRate)))} msg/s`,
    );
  } finally {
    await bareNc.close();
    await session.close();
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
