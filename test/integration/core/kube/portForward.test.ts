/**
 * End to end on the shared K3s-shaped stack (sharedStack()): nats.js → NatsPortForward's local listener →
 * client-node's PortForward → WebSocket (`v4.channel.k8s.io`) → the real kube-apiserver → kwok's kubelet port-forward
 * → a real nats-server. Real: nats.js, nats-server, client-node, the apiserver, the StatefulSet controller (it makes
 * a deleted Pod again, and with OrderedReady not before the Pods before it are Ready), RBAC.
 * Simulated: the kubelet and its containers. kwok reports Pod statuses, including not ready and CrashLoopBackOff for
 * Pods a test annotates (test/harness/podStates.ts); each Pod's `nats` container is a nats-server of its own, started
 * when the Pod is bound and stopped when it is deleted, and its Pod is reported ready once it listens
 * (test/harness/podServers.ts). kwok ends a forwarded stream only when the client writes after its server closed
 * (see CLIENT).
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// biome-ignore syntax/correctness/noTypeOnlyImportAttributes: TypeScript takes an ES module's types into CommonJS only with resolution-mode
import type { AppsV1Api, CoreV1Api, V1Pod } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { loadClientNode } from '../../../../src/core/kube/clientNode';
import { ClusterClient } from '../../../../src/core/kube/clusterClient';
import type { KubeAccessError } from '../../../../src/core/kube/kubeErrors';
import { NatsPortForward, type PortForwardState } from '../../../../src/core/kube/portForward';
import { chartServerLabels, chartStatefulSet } from '../../../harness/chartWorkloads';
import type { K8sStack } from '../../../harness/k8sStack';
import { openConnections } from '../../../harness/natsServer';
import { startPodServers, type PodServers } from '../../../harness/podServers';
import { kubeletReportAnnotations, setKubeletReport, waitForPod } from '../../../harness/podStates';
import { eventually, withTimeout } from '../../../harness/processes';
import { sharedStack } from '../../../harness/sharedStack';
import { createStackUser } from '../../../harness/stackUsers';

const NS = 'nk3s-pf';
/**
 * The test's NATS client. It pings every 500 ms: kwok v0.8.0 keeps a forwarded stream open after the container's
 * server closed until the client writes into it (a kubelet with containerd closes it within a second), and the second
 * ping after the close ends it. Up to 5 unanswered pings keep the client from giving up on its own first.
 */
const CLIENT = {
  name: 'nats-k3s port-forward test',
  reconnectTimeWait: 50,
  maxReconnectAttempts: -1,
  pingInterval: 500,
  maxPingOut: 5,
};

/** Resolves with the first state that matches. */
function nextState(forward: NatsPortForward, pred: (s: PortForwardState) => boolean): Promise<PortForwardState> {
  return new Promise((resolve) => {
    const off = forward.onState((s) => {
      if (pred(s)) {
        off();
        resolve(s);
      }
    });
  });
}

/** Resolves on the client's next reconnect. */
async function reconnected(nc: NatsConnection): Promise<void> {
  for await (const s of nc.status()) if (s.type === 'reconnect') return;
}

async function roundTrip(nc: NatsConnection, subject: string): Promise<string> {
  const sub = nc.subscribe(subject, { max: 1 });
  nc.publish(subject, 'hi');
  for await (const m of sub) return m.string();
  throw new Error('subscription ended without a message');
}

/** Listening TCP servers of this process (the forward's listener is one). */
const listeners = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;

/** A closed server's handle is released on the event loop's next turn, after its close callback: polled briefly. */
const listenersBackTo = (count: number) =>
  eventually(`the listeners back to ${count}`, async () => (listeners() === count ? true : undefined), 2_000, 10);

const ready = (p: V1Pod) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

describe('NatsPortForward: a real NATS client through the port-forward of the real apiserver', function () {
  this.timeout(120_000);
  let stack: K8sStack;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  let dir: string;
  let cluster: ClusterClient;
  let servers: PodServers | undefined;

  /** Whether the test's client is connected to the nats-server of `pod` now. */
  const clientOn = async (pod: string) =>
    (await openConnections(servers!.server(pod)!)).some((c) => c.name === CLIENT.name);

  before(async () => {
    stack = await sharedStack();
    const k8s = await loadClientNode();
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(stack.kubeconfig);
    core = kc.makeApiClient(k8s.CoreV1Api);
    apps = kc.makeApiClient(k8s.AppsV1Api);
    dir = mkdtempSync(join(tmpdir(), 'nats-k3s-pf-test-'));
    cluster = await ClusterClient.open({ kubeconfigPaths: [stack.kubeconfig] });
    await core.createNamespace({ body: { metadata: { name: NS } } });
    servers = await startPodServers(stack, NS, 'nats');
    // OrderedReady (Kubernetes' default, not the chart's): a Pod is made only once the ones before it are Ready.
    await apps.createNamespacedStatefulSet({
      namespace: NS,
      body: chartStatefulSet({
        namespace: NS,
        release: 'nats',
        replicas: 2,
        podManagementPolicy: 'OrderedReady',
        podAnnotations: kubeletReportAnnotations('not-ready'),
      }),
    });
    for (const pod of ['nats-0', 'nats-1']) await waitForPod(stack, NS, pod, 'Ready', ready);
  });

  after(async () => {
    await servers?.stop();
    await core?.deleteNamespace({ name: NS }).catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  afterEach(function () {
    if (this.currentTest?.isFailed() && servers?.problems.length)
      console.log(`      pod servers: ${servers.problems.join('; ')}`);
  });

  it('forwards to the ready pod, and survives a pod restart without user action', async () => {
    await setKubeletReport(stack, NS, 'nats-1', 'not-ready');
    const states: string[] = [];
    const forward = await NatsPortForward.start(cluster, {
      release: 'nats',
      namespace: NS,
      onState: (s) => states.push(s.kind === 'forwarding' ? `forwarding ${s.pod}` : s.kind),
    });
    let nc: NatsConnection | undefined;
    try {
      assert.deepEqual(forward.state, { kind: 'forwarding', pod: 'nats-0', localPort: forward.localPort });
      assert.match(forward.url, /^nats:\/\/127\.0\.0\.1:\d+$/);
      nc = await connect({ ...CLIENT, servers: forward.url });
      assert.equal(await roundTrip(nc, 'pf.before'), 'hi');
      assert.ok(await clientOn('nats-0'), "the client is on nats-0's server");
      const before = servers!.server('nats-0')!.pid;

      // Deleting the Pod stops its container; the StatefulSet makes nats-0 again, ready once its server listens.
      const back = reconnected(nc);
      const movedOn = nextState(forward, (s) => s.kind === 'forwarding' && states.includes('reconnecting'));
      await core.deleteNamespacedPod({ name: 'nats-0', namespace: NS });
      await withTimeout(movedOn, 30_000, 'the forward did not find a ready pod again');
      await withTimeout(back, 30_000, 'the NATS client did not reconnect');
      assert.equal(await roundTrip(nc, 'pf.after'), 'hi');
      assert.notEqual(servers!.server('nats-0')!.pid, before, 'a new container');
      assert.ok(await clientOn('nats-0'), "the client is on the new nats-0's server (nats-1 is not ready)");
      assert.deepEqual(states.slice(0, 4), ['starting', 'forwarding nats-0', 'reconnecting', 'forwarding nats-0']);
    } finally {
      await nc?.close();
      await forward.stop();
    }
    assert.equal(forward.state.kind, 'stopped');
    assert.equal(states.at(-1), 'stopped');
  });

  it('waits through a window with no ready pod, then carries on', async () => {
    await setKubeletReport(stack, NS, 'nats-1', 'ready');
    await setKubeletReport(stack, NS, 'nats-0', 'crash-loop', { restartCount: 3 });
    const forward = await NatsPortForward.start(cluster, { release: 'nats', namespace: NS });
    let nc: NatsConnection | undefined;
    try {
      assert.deepEqual(
        forward.state,
        { kind: 'forwarding', pod: 'nats-1', localPort: forward.localPort },
        'nats-0 crash-loops',
      );
      nc = await connect({ ...CLIENT, servers: forward.url });
      assert.equal(await roundTrip(nc, 'pf.one'), 'hi');
      const back = reconnected(nc);
      const reconnecting = nextState(forward, (s) => s.kind === 'reconnecting');
      const onNats0 = nextState(forward, (s) => s.kind === 'forwarding' && s.pod === 'nats-0');

      // nats-1 goes, and with nats-0 not Ready the StatefulSet does not make it again: no pod is ready.
      await core.deleteNamespacedPod({ name: 'nats-1', namespace: NS });
      const r = await withTimeout(reconnecting, 30_000, 'no reconnecting state');
      assert.match(r.kind === 'reconnecting' ? r.reason : '', /^the stream to pod nats-1 dropped/);
      await eventually('nats-1 gone', async () =>
        (await core.listNamespacedPod({ namespace: NS, labelSelector: 'app.kubernetes.io/instance=nats' })).items
          .map((p) => p.metadata?.name)
          .join() === 'nats-0'
          ? true
          : undefined,
      );
      assert.equal(forward.state.kind, 'reconnecting', 'still waiting for a ready pod');

      // The container recovers: nats-0 is Ready, the forward and the client carry on through it.
      await setKubeletReport(stack, NS, 'nats-0', 'ready');
      await withTimeout(onNats0, 30_000, 'the forward did not find nats-0 once it was ready');
      await withTimeout(back, 30_000, 'the NATS client did not reconnect');
      assert.equal(await roundTrip(nc, 'pf.window'), 'hi');
      assert.ok(await clientOn('nats-0'));
      // Now the StatefulSet makes nats-1 again.
      await waitForPod(stack, NS, 'nats-1', 'Ready', ready);
    } finally {
      await nc?.close();
      await forward.stop();
    }
  });

  it('fails in one sentence when no pod becomes ready, and closes its listener', async () => {
    const before = listeners();
    const states: PortForwardState[] = [];
    await assert.rejects(
      NatsPortForward.start(cluster, {
        release: 'missing',
        namespace: NS,
        readyTimeoutMs: 300,
        onState: (s) => states.push(s),
      }),
      (e: KubeAccessError) => {
        assert.equal(e.kind, 'no-ready-pod');
        assert.equal(
          e.message,
          `No ready NATS pod to forward to: no NATS server pod of release missing in namespace ${NS}. Check the release's pods, then reconnect.`,
        );
        return true;
      },
    );
    assert.deepEqual(
      states.map((s) => s.kind),
      ['starting', 'failed', 'stopped'],
    );
    await listenersBackTo(before);

    // A release whose only Pod crash-loops: the sentence carries the kubelet's reason.
    await core.createNamespacedPod({
      namespace: NS,
      body: {
        metadata: {
          name: 'down-0',
          labels: chartServerLabels('down'),
          annotations: kubeletReportAnnotations('crash-loop', { restartCount: 6 }),
        },
        spec: { containers: [{ name: 'nats', image: 'nats:2.14.2-alpine' }] },
      },
    });
    const down = await waitForPod(
      stack,
      NS,
      'down-0',
      'CrashLoopBackOff',
      (p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff',
    );
    await assert.rejects(
      NatsPortForward.start(cluster, { release: 'down', namespace: NS, readyTimeoutMs: 500 }),
      (e: KubeAccessError) => {
        assert.equal(e.kind, 'no-ready-pod');
        assert.equal(
          e.message,
          `No ready NATS pod to forward to: no pod is ready (down-0: CrashLoopBackOff (container nats): back-off 5m0s restarting failed container=nats pod=down-0_${NS}(${down.metadata!.uid})). Check the release's pods, then reconnect.`,
        );
        return true;
      },
    );
    await listenersBackTo(before);
  });

  it('fails at once when RBAC refuses the pod lookup, instead of waiting for a ready pod', async () => {
    const nobody = await createStackUser(stack, { namespace: NS, name: 'nobody', file: join(dir, 'nobody.yaml') });
    const asNobody = await ClusterClient.open({ kubeconfigPaths: [nobody.kubeconfig] });
    const t0 = Date.now();
    await assert.rejects(
      NatsPortForward.start(asNobody, { release: 'nats', namespace: NS, readyTimeoutMs: 60_000 }),
      (e: KubeAccessError) => {
        assert.equal(e.kind, 'forbidden');
        assert.equal(
          e.message,
          `Forbidden: the user of context nobody may not list pods in namespace ${NS} (RBAC). Ask for that permission, or choose a namespace you may use.`,
        );
        return true;
      },
    );
    assert.ok(Date.now() - t0 < 10_000, `took ${Date.now() - t0} ms`);
  });
});
