// First tree level of a generated kine bucket vs raw kv.keys() on the same bucket, and opening one namespace of
// pods. Usage: node out/bench/kine/treeBench.js [keys=300000]
import { connect } from '@nats-io/transport-node';
import { Kvm } from '@nats-io/kv';
import { KineFixtureWriter } from '../../src/core/kine/fixtureWriter';
import { generateKeyspace } from '../../src/core/kine/keyspaceGenerator';
import { KineBucket } from '../../src/core/kine/kineBucket';
import { listNames, listNamespaces, listTopLevel } from '../../src/core/kine/kineTree';
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
    console.log(`generated ${summary.keys} keys (${summary.live} live, ${summary.deleted} deleted), ${summary.messages} messages in ${(summary.millis / 1000).toFixed(1)} s`);

    const kv = await new Kvm(nc).open('kine');
    const bucket = await KineBucket.open(nc, 'kine');
    // Warm both paths once (JIT, server caches) so neither gets the cold run.
    await listTopLevel(bucket);
    for await (const _ of await kv.keys()) void _;

    const raw = await time(3, async () => {
      let n = 0;
      for await (const _ of await kv.keys()) n++;
      return n;
    });
    const tree = await time(3, () => listTopLevel(bucket));
    console.log(`raw kv.keys():             median ${fmt(raw.median)} (${raw.all.map(fmt).join(', ')}), ${raw.last} keys`);
    console.log(`kine first level:          median ${fmt(tree.median)} (${tree.all.map(fmt).join(', ')}), ${tree.last.resources.length} resource types`);
    console.log(`ratio first level / keys(): ${(tree.median / raw.median).toFixed(2)} (target <= 1.00)`);

    const pods = tree.last.resources.find((r) => r.resource === 'pods')!;
    const namespaces = await time(3, () => listNamespaces(bucket, pods));
    const perNs = summary.resources.pods.perNamespace;
    const typical = Object.entries(perNs).sort((a, b) => b[1] - a[1])[Math.floor(Object.keys(perNs).length / 2)][0];
    const largest = Object.entries(perNs).sort((a, b) => b[1] - a[1])[0][0];
    for (const nsName of [typical, largest]) {
      const ns = namespaces.last.find((n) => n.namespace === nsName)!;
      const open = await time(5, () => listNames(bucket, pods, ns.kvPrefix));
      console.log(`open pods in ${nsName} (${open.last.length} live pods): median ${fmt(open.median)} (${open.all.map(fmt).join(', ')}) (target < 300 ms)`);
    }
    console.log(`pods namespaces level:     median ${fmt(namespaces.median)} (${namespaces.last.length} namespaces)`);
  } finally {
    await nc.close();
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
