/**
 * Extension host: a connection whose target is a release in a cluster, reached through a port-forward.
 * TEST DOUBLE: the Kubernetes API server (test/doubles/kubeApiDouble.ts). Real: VS Code, client-node, the
 * port-forward WebSocket protocol, nats.js and the runner's nats-server behind the "pod".
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import * as vscode from 'vscode';
import type { SessionState } from '../../src/core/nats/session';
import type { NatsK3sApi } from '../../src/extension';
import type { ExplorerNode } from '../../src/vscode/explorer/explorerNodes';
import { KubeApiDouble } from '../doubles/kubeApiDouble';
import { find as findIn, labelsOf as labelsIn, until } from './explorerHelpers';

const config = () => vscode.workspace.getConfiguration('natsK3s');
const natsPort = Number(new URL(process.env.NATS_K3S_TEST_NATS_URL!.replace(/^nats:/, 'http:')).port);
const labels = { 'app.kubernetes.io/name': 'nats', 'app.kubernetes.io/instance': 'nats', 'app.kubernetes.io/component': 'nats' };

describe('extension host: connections into the cluster through a port-forward (the API server is a double)', () => {
  let api: KubeApiDouble;
  let dir: string;
  let a: NatsK3sApi;

  const find = (...path: string[]) => findIn(a, ...path);
  const labelsOf = (node: ExplorerNode) => labelsIn(a, node);

  before(async () => {
    api = await KubeApiDouble.start();
    dir = mkdtempSync(join(tmpdir(), 'nk3s-pf-host-'));
    api.addPod({ name: 'nats-0', namespace: 'nats', labels, ready: true, forwardTo: { host: '127.0.0.1', port: natsPort } });
    await config().update('kubeconfig', api.writeKubeconfig(dir), vscode.ConfigurationTarget.Global);
    a = await vscode.extensions.getExtension<NatsK3sApi>('nats-k3s.nats-k3s')!.activate();
  });

  after(async () => {
    await config().update('connections', undefined, vscode.ConfigurationTarget.Global);
    await config().update('kubeconfig', undefined, vscode.ConfigurationTarget.Global);
    await api?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('"Connect to Release" adds a connection whose target is the release', async () => {
    const name = await vscode.commands.executeCommand<string>('natsK3s.release.connect', { kind: 'release', release: { name: 'nats', namespace: 'nats', revision: 1, status: 'deployed', chart: 'nats-2.14.2', chartName: 'nats', chartVersion: '2.14.2', appVersion: '2.14.2', updated: '' } });
    const saved = config().get<{ name: string; cluster: { release: string; namespace: string } }[]>('connections') ?? [];
    const entry = saved.find((c) => c.name === name);
    assert.ok(entry, JSON.stringify(saved));
    assert.deepEqual({ release: entry.cluster.release, namespace: entry.cluster.namespace }, { release: 'nats', namespace: 'nats' });
  });

  it('connects through a forward on a loopback port, and survives a pod restart without user action', async () => {
    await config().update('connections', [{ name: 'in-cluster', cluster: { namespace: 'nats', release: 'nats', context: 'double' } }], vscode.ConfigurationTarget.Global);
    const conn = await find('in-cluster');
    assert.deepEqual(await labelsOf(conn), ['Server', 'Subjects', 'Streams', 'KV Buckets']);
    const server = await labelsOf(await find('in-cluster', 'Server'));
    assert.ok(server.some((l) => /^nats-server 2\./.test(l)), server.join(' | '));
    const [forward] = a.forwards.states();
    assert.equal(forward?.state.kind, 'forwarding');
    const managed = (await a.connections.list()).find((c) => c.spec.name === 'in-cluster')!;
    const session = managed.session!;
    assert.match(session.connection().getServer(), /^127\.0\.0\.1:\d+$/);

    // The pod restarts: the forward drops its streams, nats.js reconnects, the forward finds the ready pod again.
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
    api.restartPod('nats', 'nats-0', { name: 'nats-0-restarted', namespace: 'nats', labels, ready: true, forwardTo: { host: '127.0.0.1', port: natsPort } });
    await back;
    assert.ok((await labelsOf(await find('in-cluster', 'Server'))).some((l) => /^nats-server 2\./.test(l)));
  });

  it('samples subjects through the forward (the sample opens a second forwarded connection)', async () => {
    const subjects = await find('in-cluster', 'Subjects'); // expanded: the sampler's worker has connected
    const nc = await connect({ servers: process.env.NATS_K3S_TEST_NATS_URL! });
    try {
      nc.publish('forwarded.sample', 'x');
      await nc.flush();
    } finally {
      await nc.close();
    }
    await until(a.explorer.onDidChangeTreeData, async () => (await labelsOf(subjects)).includes('forwarded'), 'the sample to see forwarded.sample');
    a.explorer.collapsed(subjects);
  });

  it('says in one sentence why a release cannot be reached', async function () {
    this.timeout(60_000);
    await config().update('connections', [{ name: 'nowhere', cluster: { namespace: 'nats', release: 'missing', context: 'double' } }], vscode.ConfigurationTarget.Global);
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
