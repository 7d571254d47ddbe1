/**
 * The smoke test end to end: nats.js → NatsPortForward's local listener → client-node's PortForward → WebSocket
 * (`v4.channel.k8s.io`) → the Kubernetes API TEST DOUBLE → a real nats-server with JetStream.
 * Real: nats.js, nats-server, client-node, the WebSocket protocol. Double: the API server and its pods.
 */
import * as assert from 'node:assert/strict';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterClient } from '../../../../src/core/kube/clusterClient';
import { KubeAccessError } from '../../../../src/core/kube/kubeErrors';
import { clusterSizeSentence, runSmokeTest, smokeTestMarkdown, smokeTestSentence } from '../../../../src/core/kube/smokeTest';
import { startNatsServer, type NatsServer } from '../../../harness/natsServer';
import { KubeApiDouble } from '../../../doubles/kubeApiDouble';

const labels = (release: string) => ({ 'app.kubernetes.io/name': 'nats', 'app.kubernetes.io/instance': release, 'app.kubernetes.io/component': 'nats' });

describe('runSmokeTest through a port-forward to a real nats-server', () => {
  let js: NatsServer;
  let plain: NatsServer;
  let api: KubeApiDouble;
  let dir: string;
  let cluster: ClusterClient;

  before(async () => {
    js = await startNatsServer();
    plain = await startNatsServer({ jetstream: false });
    api = await KubeApiDouble.start();
    dir = mkdtempSync(join(tmpdir(), 'nk3s-smoke-'));
    cluster = await ClusterClient.open({ kubeconfigPaths: [api.writeKubeconfig(dir)] });
  });
  after(async () => {
    await api?.stop();
    await js?.stop();
    await plain?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('round-trips a message and sees JetStream', async () => {
    api.addPod({ name: 'nats-0', namespace: 'nats', labels: labels('nats'), ready: true, forwardTo: { host: '127.0.0.1', port: js.port } });
    const nc = await connect({ servers: js.url });
    try {
      await (await jetstreamManager(nc)).streams.add({ name: 'SMOKE', subjects: ['smoke.>'] });
      await jetstream(nc).publish('smoke.one', 'x');
    } finally {
      await nc.close();
    }
    const result = await runSmokeTest(cluster, { release: 'nats', namespace: 'nats', expectedClusterSize: 3 });
    assert.equal(result.pod, 'nats-0');
    assert.equal(result.clusterSize, 1);
    assert.equal(clusterSizeSentence(result), 'The values ask for 3 servers, but pod nats-0 sees 1 in its cluster: check that every NATS pod is ready and that the routes connect (config.cluster).');
    const smoke = result.streams.find((r) => r.stream === 'SMOKE');
    assert.deepEqual([smoke?.storage, smoke?.replicas, smoke?.messages, smoke?.consumers], ['File', 1, 1, 0]);
    assert.match(smokeTestMarkdown(result), /\| SMOKE \| File \| – \| 1 \| 0 \| 1 \| \d+ B \| 0 \| 0 \|/);
    assert.equal(result.jetstream, true);
    assert.ok(result.roundTripMs >= 0 && result.roundTripMs < 10_000);
    assert.match(result.subject, /^natsk3s\.smoke\.[0-9a-f-]{36}$/);
    assert.match(smokeTestSentence(result), /^Release nats in namespace nats works: a message went through pod nats-0 and back in [\d.]+ ms \(NATS [\d.]+, JetStream enabled\)\.$/);
    // The close frame reaches the double a moment after runSmokeTest resolves: poll with a deadline.
    const deadline = Date.now() + 5_000;
    while (api.openStreams('nats', 'nats-0') > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(api.openStreams('nats', 'nats-0'), 0, 'the forward and its stream are closed afterwards');
  });

  it('reports JetStream off without failing', async () => {
    api.addPod({ name: 'plain-nats-0', namespace: 'plain', labels: labels('plain'), ready: true, forwardTo: { host: '127.0.0.1', port: plain.port } });
    const result = await runSmokeTest(cluster, { release: 'plain', namespace: 'plain' });
    assert.equal(result.jetstream, false);
    assert.match(smokeTestSentence(result), /JetStream not enabled\)\.$/);
  });

  it('fails with one sentence when no pod is ready', async () => {
    api.addPod({ name: 'down-0', namespace: 'down', labels: labels('down'), ready: false, forwardTo: { host: '127.0.0.1', port: js.port } });
    await assert.rejects(runSmokeTest(cluster, { release: 'down', namespace: 'down', readyTimeoutMs: 300 }), (err: unknown) => err instanceof KubeAccessError && err.kind === 'no-ready-pod' && /No ready NATS pod/.test(err.message));
  });
});
