// First tree level of a generated kine bucket vs raw kv.keys() on the same bucket, and opening one namespace of
// pods. Usage: node out/bench/kine/treeBench.js [keys=300000]
import { connect } from '@nats-io/transport-node';
import { Kvm } from '@nats-io/kv';
import { jetstream } from '@nats-io/jetstream';
import { loadavg } from 'node:os';
import { KineFixtureWriter } from '../../test/generators/kine/fixtureWriter';
import { generateKeyspace } from '../../test/generators/kine/keyspaceGenerator';
import { KineBucket } from '../../src/core/kine/kineBucket';
import { listNames, listNamespaces, listTopLevel } from '../../src/core/kine/kineTree';
import { KineIndex } from '../../src/core/kine/kineIndex';
import { startNatsServer } from '../../test/harness/natsServer';

async function time<T>(runs: number, fn: () => Promise<T>): Promise<{ median: number; all: number[]; last: T }> {
  const all: number[] = [];
  let last!: T;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    last = await fn();
    all.push(performance.now() - t);
  }
  const sorted = [...all].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], all, last };
}

const fmt = (ms: number) => `${ms.toFixed(0)} ms`;

async function main(): Promise<void> {
  const keys = Number(process.argv[2] ?? 300_000);
  const server = await startNatsServer();
  const nc = await connect({ servers: server.url });
  try {
    const writer = await KineFixtureWriter.create(nc);
    const summary = await generateKeyspace(writer, { keys, seed: 300 });
    console.log(
      `generated ${summary.keys} keys (${summary.live} live, ${summary.deleted} deleted), ${summary.messages} messages in ${(summary.millis / 1000).toFixed(1)} s`,
    );

    // The same long API timeout for both sides: consumer creation on a big 2.9 file stream can exceed 5 s under load.
    const kv = await new Kvm(jetstream(nc, { timeout: 120_000 })).open('kine');
    const bucket = await KineBucket.open(nc, 'kine');
    // Warm both paths once (JIT, server caches) so neither gets the cold run.
    await listTopLevel(bucket);
    for await (const _ of await kv.keys()) void _;

    // Interleaved so both sides see the same server caches and machine load.
    const rawRuns: number[] = [];
    const treeRuns: number[] = [];
    let rawKeys = 0;
    let treeLast!: Awaited<ReturnType<typeof listTopLevel>>;
    for (let i = 0; i < 3; i++) {
      const r = await time(1, async () => {
        let n = 0;
        for await (const _ of await kv.keys()) n++;
        return n;
      });
      rawRuns.push(r.median);
      rawKeys = r.last;
      const t = await time(1, () => listTopLevel(bucket));
      treeRuns.push(t.median);
      treeLast = t.last;
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const raw = { median: med(rawRuns), all: rawRuns, last: rawKeys };
    const tree = { median: med(treeRuns), all: treeRuns, last: treeLast };
    console.log(
      `raw kv.keys():             median ${fmt(raw.median)} (${raw.all.map(fmt).join(', ')}), ${raw.last} keys`,
    );
    console.log(
      `kine first level:          median ${fmt(tree.median)} (${tree.all.map(fmt).join(', ')}), ${tree.last.resources.length} resource types`,
    );
    console.log(`ratio first level / keys(): ${(tree.median / raw.median).toFixed(2)} (target <= 1.00)`);

    const pods = tree.last.resources.find((r) => r.resource === 'pods')!;
    const namespaces = await time(3, () => listNamespaces(bucket, pods));
    const perNs = summary.resources.pods.perNamespace;
    const typical = Object.entries(perNs).sort((a, b) => b[1] - a[1])[Math.floor(Object.keys(perNs).length / 2)][0];
    const largest = Object.entries(perNs).sort((a, b) => b[1] - a[1])[0][0];
    for (const nsName of [typical, largest]) {
      const ns = namespaces.last.find((n) => n.namespace === nsName)!;
      const open = await time(5, () => listNames(bucket, pods, ns.kvPrefix));
      console.log(
        `open pods in ${nsName} (${open.last.length} live pods), fresh narrow scan: median ${fmt(open.median)} (${open.all.map(fmt).join(', ')})`,
      );
    }
    // The tree's path: the first level keeps its scan as an index, and deeper levels come from memory.
    const built = await time(1, () => KineIndex.build(bucket));
    const index = built.last;
    for (const nsName of [typical, largest]) {
      const open = await time(5, async () => {
        const ns = index.namespaces(bucket, pods).find((n) => n.namespace === nsName)!;
        return index.names(bucket, pods, ns.kvPrefix);
      });
      console.log(
        `open pods in ${nsName} (${open.last.length} live pods) from the first-level index: median ${open.median.toFixed(1)} ms (target < 300 ms)`,
      );
    }
    console.log(
      `first level + index build:  ${fmt(built.median)}, heap used ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`,
    );
    console.log(`pods namespaces level:     median ${fmt(namespaces.median)} (${namespaces.last.length} namespaces)`);
    console.log(
      `load average (1/5/15 min): ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' / ')}`,
    );
  } finally {
    await nc.close();
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
