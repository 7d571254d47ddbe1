// Whole-object decode rate: every live key's newest kine record turned into the object the API server returns
// (S2 → natsData JSON → base64 → Kubernetes protobuf or JSON → API JSON, as `nats-k3s kine get KEY --object` does),
// in objects/s and MB/s of stored message bytes. Two buckets: (a) the one kube-apiserver 1.36 wrote through kine
// 0.17.5 on the test stack (a Deployment of pods added, kwok playing the kubelet), and (b) the generated 300k-key
// bucket (test/generators/kine). The baseline, in the same run and interleaved with it: raw nats.js fetching the same
// messages (an ordered consumer, DeliverLastPerSubject) and decoding nothing; the ratio is the cost of decoding.
// Usage: node out/bench/kine/decodeBench.js [stack|generated|both] [keys=300000]
import { execFile } from 'node:child_process';
import { loadavg } from 'node:os';
import { promisify } from 'node:util';
import { DeliverPolicy, jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { decodeKineBody } from '../../src/core/kine/record';
import { apiObjectOf } from '../../src/core/kine/recordView';
import { KineFixtureWriter } from '../../test/generators/kine/fixtureWriter';
import { generateKeyspace } from '../../test/generators/kine/keyspaceGenerator';
import { startK8sStack } from '../../test/harness/k8sStack';
import { startNatsServer } from '../../test/harness/natsServer';
import { tools } from '../../test/harness/tools';

const run = promisify(execFile);

interface Pass {
  ms: number;
  messages: number;
  bytes: number;
  objects: number;
  protobuf: number;
}

/** Fetches the newest message of every key in `KV_<bucket>`; `decode` turns each PUT into its API object. */
async function fetchPass(js: JetStreamClient, bucket: string, decode: boolean): Promise<Pass> {
  const consumer = await js.consumers.get(`KV_${bucket}`, {
    filter_subjects: [`$KV.${bucket}.>`],
    deliver_policy: DeliverPolicy.LastPerSubject,
  });
  const pass: Pass = { ms: 0, messages: 0, bytes: 0, objects: 0, protobuf: 0 };
  const started = performance.now();
  const messages = await consumer.consume();
  for await (const m of messages) {
    pass.messages++;
    pass.bytes += m.data.length;
    if (decode && !m.headers?.get('KV-Operation')) countObject(pass, m.data);
    if (m.info.pending === 0) break;
  }
  pass.ms = performance.now() - started;
  await messages.close();
  return pass;
}

function countObject(pass: Pass, body: Uint8Array): void {
  const value = decodeKineBody(body).value;
  if (!value) return;
  if (apiObjectOf(value)) pass.objects++;
  if (value.protobuf?.object) pass.protobuf++;
}

/** The same work on bodies already in memory: the decoder alone, no network. */
function memoryPass(bodies: readonly Uint8Array[]): Pass {
  const pass: Pass = { ms: 0, messages: bodies.length, bytes: 0, objects: 0, protobuf: 0 };
  const started = performance.now();
  for (const body of bodies) {
    pass.bytes += body.length;
    countObject(pass, body);
  }
  pass.ms = performance.now() - started;
  return pass;
}

async function bodiesOf(js: JetStreamClient, bucket: string): Promise<Uint8Array[]> {
  const consumer = await js.consumers.get(`KV_${bucket}`, {
    filter_subjects: [`$KV.${bucket}.>`],
    deliver_policy: DeliverPolicy.LastPerSubject,
  });
  const bodies: Uint8Array[] = [];
  const messages = await consumer.consume();
  for await (const m of messages) {
    // A copy: a message's data can be a view into a larger read buffer, which would stay alive with it.
    if (!m.headers?.get('KV-Operation')) bodies.push(m.data.slice());
    if (m.info.pending === 0) break;
  }
  await messages.close();
  return bodies;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rate = (p: Pass) =>
  `${Math.round((p.objects * 1000) / p.ms).toLocaleString('en')} objects/s, ${((p.bytes / 1e6) * (1000 / p.ms)).toFixed(1)} MB/s`;

async function measure(nc: NatsConnection, bucket: string, label: string, rounds: number): Promise<void> {
  const js = jetstream(nc, { timeout: 120_000 });
  // Warm both paths once (JIT, server caches) so neither gets the cold run.
  await fetchPass(js, bucket, false);
  await fetchPass(js, bucket, true);
  const raw: Pass[] = [];
  const decoded: Pass[] = [];
  for (let i = 0; i < rounds; i++) {
    raw.push(await fetchPass(js, bucket, false));
    decoded.push(await fetchPass(js, bucket, true));
  }
  const bodies = await bodiesOf(js, bucket);
  const memory: Pass[] = [];
  // Enough rounds for a small bucket to take a measurable time.
  const memoryRounds = Math.max(3, Math.min(50, Math.ceil(200_000 / Math.max(1, bodies.length))));
  for (let i = 0; i < memoryRounds; i++) memory.push(memoryPass(bodies));

  const byMs = (ps: Pass[]) => ps.find((p) => p.ms === median(ps.map((q) => q.ms)))!;
  const r = byMs(raw);
  const d = byMs(decoded);
  const m = byMs(memory);
  console.log(`\n${label}`);
  console.log(
    `  keys (newest message each): ${d.messages.toLocaleString('en')}, ${(d.bytes / 1e6).toFixed(1)} MB; API objects: ${d.objects.toLocaleString('en')} (${d.protobuf.toLocaleString('en')} from protobuf)`,
  );
  console.log(
    `  raw nats.js fetch, no decode: median ${r.ms.toFixed(0)} ms (${raw.map((p) => p.ms.toFixed(0)).join(', ')})`,
  );
  console.log(
    `  fetch + decode to API JSON:   median ${d.ms.toFixed(0)} ms (${decoded.map((p) => p.ms.toFixed(0)).join(', ')}): ${rate(d)}; ${(d.ms / r.ms).toFixed(2)}× the raw fetch`,
  );
  console.log(
    `  decode alone (in memory):     median ${m.ms.toFixed(1)} ms of ${memoryRounds} rounds: ${rate(m)}, ${((m.ms * 1000) / Math.max(1, m.objects)).toFixed(1)} µs per object`,
  );
}

async function onStack(rounds: number): Promise<void> {
  const started = performance.now();
  const stack = await startK8sStack({ nodes: 1 });
  try {
    const kubectl = (...args: string[]) =>
      run(tools().kubectl, ['--kubeconfig', stack.kubeconfig, ...args], { timeout: 180_000 });
    await kubectl('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=30');
    await kubectl('rollout', 'status', 'deployment/web', '--timeout=170s');
    console.log(
      `stack started and a Deployment of 30 pods rolled out in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    const nc = await connect({ servers: stack.natsUrls });
    try {
      await measure(
        nc,
        stack.bucket,
        `(a) the test stack's bucket '${stack.bucket}' (R3, kube-apiserver 1.36.3 through kine 0.17.5)`,
        rounds,
      );
    } finally {
      await nc.close();
    }
  } finally {
    await stack.stop();
  }
}

async function onGenerated(keys: number): Promise<void> {
  const server = await startNatsServer();
  const nc = await connect({ servers: server.url });
  try {
    const writer = await KineFixtureWriter.create(nc);
    const summary = await generateKeyspace(writer, { keys, seed: 300 });
    console.log(
      `generated ${summary.keys} keys (${summary.live} live, ${summary.deleted} deleted), ${summary.messages} messages in ${(summary.millis / 1000).toFixed(1)} s`,
    );
    await measure(
      nc,
      'kine',
      `(b) the generated bucket 'kine', ${keys.toLocaleString('en')} keys (one nats-server)`,
      3,
    );
  } finally {
    await nc.close();
    await server.stop();
  }
}

async function main(): Promise<void> {
  const which = process.argv[2] ?? 'both';
  const keys = Number(process.argv[3] ?? 300_000);
  if (which === 'stack' || which === 'both') await onStack(9);
  if (which === 'generated' || which === 'both') await onGenerated(keys);
  console.log(
    `\nload average (1/5/15 min): ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' / ')}`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
