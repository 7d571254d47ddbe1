/**
 * The smoke test end to end on the shared K3s-shaped stack (sharedStack()): nats.js → NatsPortForward's local listener
 * → client-node's PortForward → WebSocket (`v4.channel.k8s.io`) → the real kube-apiserver → kwok's kubelet
 * port-forward → a real nats-server. Real: nats.js, the stack's 3-node JetStream cluster of the chart's nats-server
 * (pods nats-0..2 of a chart-like StatefulSet stand for its nodes n1..n3), a separate nats-server without JetStream,
 * client-node, the apiserver and the StatefulSet controller.
 * Simulated: the kubelet. kwok reports the Pods Running and Ready, or in CrashLoopBackOff for a Pod the test annotates
 * (test/harness/podStates.ts), and forwards each Pod's ports to the server that stands for its container.
 */
import * as assert from 'node:assert/strict';
// biome-ignore syntax/correctness/noTypeOnlyImportAttributes: TypeScript takes an ES module's types into CommonJS only with resolution-mode
import type { AppsV1Api, CoreV1Api, V1Pod } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { loadClientNode } from '../../../../src/core/kube/clientNode';
import { ClusterClient } from '../../../../src/core/kube/clusterClient';
import { KubeAccessError } from '../../../../src/core/kube/kubeErrors';
import {
  clusterSizeSentence,
  runSmokeTest,
  smokeTestMarkdown,
  smokeTestSentence,
} from '../../../../src/core/kube/smokeTest';
import { chartServerLabels, chartStatefulSet } from '../../../harness/chartWorkloads';
import type { K8sStack } from '../../../harness/k8sStack';
import { startNatsServer, type NatsServer } from '../../../harness/natsServer';
import { kubeletReportAnnotations, waitForPod } from '../../../harness/podStates';
import { eventually } from '../../../harness/processes';
import { sharedStack } from '../../../harness/sharedStack';
import { natsServerVersionUnderTest, tools } from '../../../harness/tools';

const NS = 'nk3s-smoke';
const STREAM = 'NK3S_SMOKE';

const ready = (p: V1Pod) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

/** A Pod like a chart's server Pod of `release`, made directly through the API. */
const serverPod = (release: string, name: string, annotations?: Record<string, string>): V1Pod => ({
  metadata: { name, labels: chartServerLabels(release), ...(annotations ? { annotations } : {}) },
  spec: { containers: [{ name: 'nats', image: 'nats:2.14.2-alpine', ports: [{ name: 'nats', containerPort: 4222 }] }] },
});

describe('runSmokeTest through the real apiserver’s port-forward to real nats-servers', function () {
  this.timeout(120_000);
  let stack: K8sStack;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  let cluster: ClusterClient;
  let plain: NatsServer | undefined;

  before(async () => {
    stack = await sharedStack();
    const k8s = await loadClientNode();
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(stack.kubeconfig);
    core = kc.makeApiClient(k8s.CoreV1Api);
    apps = kc.makeApiClient(k8s.AppsV1Api);
    cluster = await ClusterClient.open({ kubeconfigPaths: [stack.kubeconfig] });
    await core.createNamespace({ body: { metadata: { name: NS } } });
  });

  after(async () => {
    await plain?.stop();
    await core?.deleteNamespace({ name: NS }).catch(() => undefined);
    // The stack's cluster is shared with the other files: leave it as found.
    if (stack) {
      const nc = await connect({ servers: stack.natsUrls });
      try {
        await (await jetstreamManager(nc)).streams.delete(STREAM).catch(() => undefined);
      } finally {
        await nc.close();
      }
    }
  });

  it('round-trips a message through the release’s pod and sees JetStream and the whole cluster', async () => {
    await apps.createNamespacedStatefulSet({
      namespace: NS,
      body: chartStatefulSet({ namespace: NS, release: 'nats', replicas: 3 }),
    });
    await stack.forwardPodsToNats(NS, 'nats');
    const nc = await connect({ servers: stack.natsUrls });
    try {
      // R3 like the chart's streams; electing its leader can take seconds on a loaded machine.
      await (await jetstreamManager(nc, { timeout: 30_000 })).streams.add({
        name: STREAM,
        subjects: ['nk3s.smoke.>'],
        num_replicas: 3,
      });
      await jetstream(nc, { timeout: 30_000 }).publish('nk3s.smoke.one', 'x');
    } finally {
      await nc.close();
    }
    for (const pod of ['nats-0', 'nats-1', 'nats-2']) await waitForPod(stack, NS, pod, 'Ready', ready);

    const result = await runSmokeTest(cluster, { release: 'nats', namespace: NS, expectedClusterSize: 3 });
    assert.equal(result.pod, 'nats-0');
    assert.equal(result.serverVersion, tools().natsServerVersion, 'the stack runs the chart’s nats-server');
    assert.equal(result.clusterSize, 3);
    assert.equal(clusterSizeSentence(result), 'The cluster has the 3 servers the values ask for.');
    assert.equal(result.jetstream, true);
    const smoke = result.streams.find((r) => r.stream === STREAM);
    assert.deepEqual([smoke?.storage, smoke?.replicas, smoke?.messages, smoke?.consumers], ['File', 3, 1, 0]);
    // kine's bucket is a stream on the same cluster.
    assert.ok(
      result.streams.some((r) => r.stream === `KV_${stack.bucket}`),
      result.streams.map((r) => r.stream).join(),
    );
    // Placement: the cluster and the stream's leader, one of the three.
    assert.match(
      smokeTestMarkdown(result),
      new RegExp(
        `\\| ${STREAM} \\| File \\| ${stack.cluster.name} \\(leader n[123]\\) \\| 3 \\| 0 \\| 1 \\| \\d+ B \\| 0 \\| 0 \\|`,
      ),
    );
    assert.ok(result.roundTripMs >= 0 && result.roundTripMs < 10_000);
    assert.match(result.subject, /^natsk3s\.smoke\.[0-9a-f-]{36}$/);
    assert.match(
      smokeTestSentence(result),
      new RegExp(
        `^Release nats in namespace ${NS} works: a message went through pod nats-0 and back in [\\d.]+ ms \\(NATS [\\d.]+, JetStream enabled\\)\\.$`,
      ),
    );
    // Its connection ends with it: n1 (behind nats-0) lists no client of that name once the close has gone through.
    const n1 = stack.cluster.nodes[0]!;
    await eventually(
      'the smoke test’s connection closed on n1',
      async () => {
        const connz = (await (await fetch(`http://127.0.0.1:${n1.monitorPort}/connz`)).json()) as {
          connections?: { name?: string }[];
        };
        return connz.connections?.some((c) => c.name === 'nats-k3s smoke test') ? undefined : true;
      },
      5_000,
      50,
    );
  });

  it('reports JetStream off without failing', async () => {
    plain = await startNatsServer({ jetstream: false });
    await core.createNamespacedPod({ namespace: NS, body: serverPod('plain', 'plain-nats-0') });
    await stack.forwardPodPorts(NS, 'plain-nats-0', { 4222: plain.port }, plain.log);
    await waitForPod(stack, NS, 'plain-nats-0', 'Ready', ready);

    const result = await runSmokeTest(cluster, { release: 'plain', namespace: NS });
    assert.equal(result.pod, 'plain-nats-0');
    assert.equal(result.jetstream, false);
    assert.deepEqual(result.streams, []);
    assert.equal(result.clusterSize, 1);
    const version = natsServerVersionUnderTest();
    if (version) assert.equal(result.serverVersion, version, 'the separate server answered, not the stack’s cluster');
    assert.match(smokeTestSentence(result), /JetStream not enabled\)\.$/);
    assert.doesNotMatch(smokeTestMarkdown(result), /## Streams/);
  });

  it('fails with one sentence when no pod is ready', async () => {
    await core.createNamespacedPod({
      namespace: NS,
      body: serverPod('down', 'down-0', kubeletReportAnnotations('crash-loop', { restartCount: 2 })),
    });
    const down = await waitForPod(
      stack,
      NS,
      'down-0',
      'CrashLoopBackOff',
      (p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff',
    );
    await assert.rejects(
      runSmokeTest(cluster, { release: 'down', namespace: NS, readyTimeoutMs: 300 }),
      (err: unknown) => {
        assert.ok(err instanceof KubeAccessError);
        assert.equal(err.kind, 'no-ready-pod');
        assert.equal(
          err.message,
          `No ready NATS pod to forward to: no pod is ready (down-0: CrashLoopBackOff (container nats): back-off 20s restarting failed container=nats pod=down-0_${NS}(${down.metadata!.uid})). Check the release's pods, then reconnect.`,
        );
        return true;
      },
    );
  });
});
