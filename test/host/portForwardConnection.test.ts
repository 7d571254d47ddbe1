/**
 * Extension host: a connection whose target is a release in a cluster, reached through a port-forward. Real: VS Code,
 * client-node, the shared K3s-shaped stack (sharedStack.ts: kube-apiserver on kine on the 3-node NATS cluster,
 * kube-controller-manager), helm v4 installing the real chart, the port-forward protocol and nats.js. kwok plays the
 * kubelet (no machine here runs containers): it marks the pods Ready and carries the forward of pod nats-0 to the
 * cluster's node n1.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import * as vscode from 'vscode';
import type { SessionState } from '../../src/core/nats/session';
import type { NatsK3sApi } from '../../src/extension';
import type { ExplorerNode } from '../../src/vscode/explorer/explorerNodes';
import { loadClientNode } from '../../src/core/kube/clientNode';
import type { K8sStack } from '../harness/k8sStack';
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
    await stack.forwardPodsToNats(NAMESPACE, 'nats');
    const chart = join(repoRoot, '..', 'shared', 'charts', 'nats-2.14.2');
    execFileSync(
      tools().helm4,
      [
        'install',
        'nats',
        chart,
        `--namespace=${NAMESPACE}`,
        '--set=natsBox.enabled=false',
        '--wait',
        '--timeout=120s',
        `--kubeconfig=${stack.kubeconfig}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    await config().update('kubeconfig', stack.kubeconfig, vscode.ConfigurationTarget.Global);
    a = await vscode.extensions.getExtension<NatsK3sApi>('nats-k3s.nats-k3s')!.activate();
  });

  after(async () => {
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
    const nc = await connect({ servers: stack.natsUrls });
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
    // The pod restarts: its nats-server (node n1 behind pod nats-0) dies with the pod, the StatefulSet makes the pod
    // again, and n1 comes back as the new pod's server. The forward drops its streams, nats.js reconnects, and the
    // forward finds the ready pod again. (kwok keeps an open forward alive; a kubelet's container would take it down,
    // as killing n1 does.)
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
    const before = (await (await core()).readNamespacedPod({ name: 'nats-0', namespace: NAMESPACE })).metadata?.uid;
    const n1 = stack.cluster.nodes[0]!;
    await (await core()).deleteNamespacedPod({ name: 'nats-0', namespace: NAMESPACE, gracePeriodSeconds: 0 });
    await n1.kill();
    await n1.restart();
    await back;
    await stack.cluster.waitHealthy();
    // nats.js may be back through the old forward before the StatefulSet has made the new pod: wait for it.
    await eventually('a new pod nats-0', async () => {
      const uid = (await (await core()).readNamespacedPod({ name: 'nats-0', namespace: NAMESPACE })).metadata?.uid;
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
