/**
 * Extension host: a connection whose target is a release in a cluster, reached through a port-forward. Real: VS Code,
 * client-node, the shared K3s-shaped stack (sharedStack.ts: kube-apiserver on kine on the 3-node NATS cluster,
 * kube-controller-manager), helm v4 installing the real chart, the port-forward protocol, nats.js and a real
 * nats-server for each of the release's pods. kwok plays the kubelet (no machine here runs containers): it marks the
 * pods Ready and carries each pod's forward to that pod's server (podServers.ts plays the container runtime: a deleted
 * pod's server stops, the pod made again gets a new one). The pods' servers are not the stack's own cluster: killing
 * a node of that would take kine's bucket down with it, and the control plane every later test needs.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connect } from '@nats-io/transport-node';
import * as vscode from 'vscode';
import type { SessionState } from '../../src/core/nats/session';
import type { NatsK3sApi } from '../../src/extension';
import type { ExplorerNode } from '../../src/vscode/explorer/explorerNodes';
import { loadClientNode } from '../../src/core/kube/clientNode';
import type { K8sStack } from '../harness/k8sStack';
import { startPodServers, type PodServers } from '../harness/podServers';
import { kubeletReportAnnotations } from '../harness/podStates';
import { eventually } from '../harness/processes';
import { sharedStack } from '../harness/sharedStack';
import { repoRoot, tools } from '../harness/tools';
import { find as findIn, labelsOf as labelsIn, until } from './explorerHelpers';

const config = () => vscode.workspace.getConfiguration('natsK3s');
const NAMESPACE = 'forwarded';

describe('extension host: connections into the cluster through a port-forward (kwok plays the kubelet)', function () {
  this.timeout(120_000);
  let stack: K8sStack;
  let a: NatsK3sApi;
  let servers: PodServers | undefined;
  const core = async () => {
    const k8s = await loadClientNode();
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(stack.kubeconfig);
    return kc.makeApiClient(k8s.CoreV1Api);
  };

  const find = (...path: string[]) => findIn(a, ...path);
  const labelsOf = (node: ExplorerNode) => labelsIn(a, node);

  before(async () => {
    stack = await sharedStack();
    await (await core()).createNamespace({ body: { metadata: { name: NAMESPACE } } });
    servers = await startPodServers(stack, NAMESPACE, 'nats');
    const chart = join(repoRoot, '..', 'shared', 'charts', 'nats-2.14.2');
    // Not execFileSync: the pods' servers start in this process while helm waits for the pods to be ready.
    await promisify(execFile)(tools().helm4, [
      'install',
      'nats',
      chart,
      `--namespace=${NAMESPACE}`,
      '--set=natsBox.enabled=false',
      // Each pod is ready once its server listens, as a readiness probe would pass then (podServers.ts).
      `--set-json=podTemplate.merge=${JSON.stringify({ metadata: { annotations: kubeletReportAnnotations('not-ready') } })}`,
      '--wait',
      '--timeout=120s',
      `--kubeconfig=${stack.kubeconfig}`,
    ]);
    await config().update('kubeconfig', stack.kubeconfig, vscode.ConfigurationTarget.Global);
    a = await vscode.extensions.getExtension<NatsK3sApi>('nats-k3s.nats-k3s')!.activate();
  });

  afterEach(function () {
    if (this.currentTest?.isFailed() && servers?.problems.length)
      console.log(`      pod servers: ${servers.problems.join('; ')}`);
  });

  after(async () => {
    await servers?.stop();
    await config().update('connections', undefined, vscode.ConfigurationTarget.Global);
    await config().update('kubeconfig', undefined, vscode.ConfigurationTarget.Global);
    if (stack) await (await core()).deleteNamespace({ name: NAMESPACE }).catch(() => undefined);
  });

  it('"Connect to Release" adds a connection whose target is the release', async () => {
    const name = await vscode.commands.executeCommand<string>('natsK3s.release.connect', {
      kind: 'release',
      release: {
        name: 'nats',
        namespace: NAMESPACE,
        revision: 1,
        status: 'deployed',
        chart: 'nats-2.14.2',
        chartName: 'nats',
        chartVersion: '2.14.2',
        appVersion: '2.14.2',
        updated: '',
      },
    });
    const saved =
      config().get<{ name: string; cluster: { release: string; namespace: string } }[]>('connections') ?? [];
    const entry = saved.find((c) => c.name === name);
    assert.ok(entry, JSON.stringify(saved));
    assert.deepEqual(
      { release: entry.cluster.release, namespace: entry.cluster.namespace },
      { release: 'nats', namespace: NAMESPACE },
    );
  });

  it('connects through a forward on a loopback port', async () => {
    await config().update(
      'connections',
      [{ name: 'in-cluster', cluster: { namespace: NAMESPACE, release: 'nats', context: stack.context } }],
      vscode.ConfigurationTarget.Global,
    );
    const conn = await find('in-cluster');
    assert.deepEqual(await labelsOf(conn), [
      'Server',
      'Cluster',
      'Subjects',
      'Streams',
      'KV Buckets',
      'Object Stores',
      'Services',
    ]);
    const server = await labelsOf(await find('in-cluster', 'Server'));
    assert.ok(
      server.some((l) => /^nats-server 2\.14\.2/.test(l)),
      server.join(' | '),
    );
    const [forward] = a.forwards.states();
    assert.equal(forward?.state.kind, 'forwarding');
    const managed = (await a.connections.list()).find((c) => c.spec.name === 'in-cluster')!;
    const session = managed.session!;
    assert.match(session.connection().getServer(), /^127\.0\.0\.1:\d+$/);
  });

  it('samples subjects through the forward (the sample opens a second forwarded connection)', async () => {
    const subjects = await find('in-cluster', 'Subjects'); // expanded: the sampler's worker has connected
    // The chart's default is one server, pod nats-0's.
    const nc = await connect({ servers: servers!.server('nats-0')!.url });
    // Published until seen: the sample's subscription, made through its own forwarded connection, may not be in place
    // yet when the node appears, and a message sent before it is not sampled.
    const traffic = setInterval(() => nc.publish('forwarded.sample', 'x'), 200);
    try {
      await until(
        a.explorer.onDidChangeTreeData,
        async () => (await labelsOf(subjects)).includes('forwarded'),
        'the sample to see forwarded.sample',
      );
    } finally {
      clearInterval(traffic);
      await nc.close();
    }
    a.explorer.collapsed(subjects);
  });

  // After the sample, which needs the pod steady: a restarted pod may take a while to be Ready on a busy machine.
  it('survives a pod restart without user action', async () => {
    const managed = (await a.connections.list()).find((c) => c.spec.name === 'in-cluster')!;
    const session = managed.session!;
    // The pod restarts: its nats-server stops with the pod (as a container would), the StatefulSet makes the pod
    // again, and it gets a new server. The forward's streams drop, nats.js reconnects, and the forward finds the ready
    // pod again.
    const states: SessionState['kind'][] = [];
    const back = new Promise<void>((resolve) => {
      const off = session.onStateChange((s) => {
        states.push(s.kind);
        if (s.kind === 'connected' && states.includes('reconnecting')) {
          off();
          resolve();
        }
      });
    });
    const pod = 'nats-0';
    const before = (await (await core()).readNamespacedPod({ name: pod, namespace: NAMESPACE })).metadata?.uid;
    await (await core()).deleteNamespacedPod({ name: pod, namespace: NAMESPACE, gracePeriodSeconds: 0 });
    await back;
    // The StatefulSet made the pod again (nats.js can only be back through its new server, but check the pod too).
    await eventually(`a new pod ${pod}`, async () => {
      const uid = (await (await core()).readNamespacedPod({ name: pod, namespace: NAMESPACE })).metadata?.uid;
      return uid !== before ? uid : undefined;
    });
    assert.ok((await labelsOf(await find('in-cluster', 'Server'))).some((l) => /^nats-server 2\./.test(l)));
  });

  it('says in one sentence why a release cannot be reached', async function () {
    this.timeout(60_000);
    await config().update(
      'connections',
      [{ name: 'nowhere', cluster: { namespace: NAMESPACE, release: 'missing', context: stack.context } }],
      vscode.ConfigurationTarget.Global,
    );
    const conn = (await a.explorer.getChildren()).find((n) => a.explorer.getTreeItem(n).label === 'nowhere');
    assert.ok(conn);
    // The forward waits a while for a ready pod of the release, then gives up with one sentence.
    const children = await a.explorer.getChildren(conn);
    assert.equal(children.length, 1);
    assert.equal(children[0]?.kind, 'error');
    const label = String(a.explorer.getTreeItem(children[0]!).label);
    assert.match(label, /missing/);
    assert.doesNotMatch(label, /\n|^NATS error/);
  });
});
