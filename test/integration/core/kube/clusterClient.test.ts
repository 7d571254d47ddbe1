/**
 * ClusterClient with the real @kubernetes/client-node against the Kubernetes API TEST DOUBLE
 * (test/doubles/kubeApiDouble.ts), a loopback HTTP server serving the real REST JSON. Real: client-node, HTTP,
 * JSON, label selectors as the API evaluates them. Double: the cluster and its state.
 * client-node 2 needs Node 22.19+ (undici 8), see src/core/kube/clientNode.ts.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterClient } from '../../../../src/core/kube/clusterClient';
import { KubeAccessError } from '../../../../src/core/kube/kubeErrors';
import { KubeApiDouble } from '../../../doubles/kubeApiDouble';

const v2Labels = (release: string, component: string) => ({ 'app.kubernetes.io/name': 'nats', 'app.kubernetes.io/instance': release, 'app.kubernetes.io/component': component });
const v0Labels = (release: string) => ({ 'app.kubernetes.io/name': 'nats', 'app.kubernetes.io/instance': release });

describe('ClusterClient against the Kubernetes API double', () => {
  let api: KubeApiDouble;
  let dir: string;
  let cluster: ClusterClient;
  before(async () => {
    api = await KubeApiDouble.start();
    dir = mkdtempSync(join(tmpdir(), 'nk3s-kube-'));
    cluster = await ClusterClient.open({ kubeconfigPaths: [api.writeKubeconfig(dir)] });
  });
  after(async () => {
    await api?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds 1.x/2.x server and nats-box pods by instance + component, with readiness and reasons', async () => {
    api.addPod({ name: 'nats-0', namespace: 'nats', labels: v2Labels('nats', 'nats'), ready: true });
    api.addPod({
      name: 'nats-1',
      namespace: 'nats',
      labels: v2Labels('nats', 'nats'),
      ready: false,
      status: { containerStatuses: [{ name: 'nats', ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container' } } }] },
    });
    api.addPod({ name: 'nats-box-6c9d-x1', namespace: 'nats', labels: v2Labels('nats', 'nats-box'), ready: true, containers: [{ name: 'nats-box' }] });
    api.addPod({ name: 'other-0', namespace: 'nats', labels: v2Labels('other', 'nats'), ready: true });

    const servers = await cluster.listChartPods('nats', 'nats', 'nats');
    assert.equal(servers.layout, '1.x/2.x');
    assert.deepEqual(servers.pods.map((p) => [p.name, p.ready, p.notReadyReason ?? '']), [
      ['nats-0', true, ''],
      ['nats-1', false, 'CrashLoopBackOff (container nats): back-off 40s restarting failed container'],
    ]);
    assert.equal(servers.pods[0]!.clientPort, 4222);
    const box = await cluster.listChartPods('nats', 'nats', 'nats-box');
    assert.deepEqual(box.pods.map((p) => `${p.name} ${p.component} ${p.layout}`), ['nats-box-6c9d-x1 nats-box 1.x/2.x']);
    assert.ok(api.requests.some((r) => r.path === '/api/v1/namespaces/nats/pods?labelSelector=app.kubernetes.io%2Finstance%3Dnats%2Capp.kubernetes.io%2Fcomponent%3Dnats'));
  });

  it('finds 0.x pods by their own labels (no component; nats-box by app=<fullname>-box)', async () => {
    api.addPod({ name: 'legacy-nats-0', namespace: 'old', labels: v0Labels('legacy'), ready: true, containers: [{ name: 'nats', ports: [{ name: 'client', containerPort: 4222 }] }] });
    api.addPod({ name: 'legacy-nats-box-7f-abc', namespace: 'old', labels: { app: 'legacy-nats-box' }, ready: false, status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/1 nodes are available: 1 Insufficient cpu.' }], containerStatuses: [] } });
    const servers = await cluster.listChartPods('legacy', 'old', 'nats');
    assert.equal(servers.layout, '0.x');
    assert.deepEqual(servers.pods.map((p) => p.name), ['legacy-nats-0']);
    const box = await cluster.listChartPods('legacy', 'old', 'nats-box');
    assert.equal(box.layout, '0.x');
    assert.equal(box.pods[0]!.notReadyReason, 'Unschedulable: 0/1 nodes are available: 1 Insufficient cpu.');
    assert.deepEqual(await cluster.listChartPods('absent', 'old', 'nats'), { pods: [] });
  });

  it('lists the PVCs a release left and deletes one by name', async () => {
    api.addPvc({ name: 'nats-js-nats-0', namespace: 'nats' });
    api.addPvc({ name: 'nats-js-nats-1', namespace: 'nats' });
    api.addPvc({ name: 'nats-resolver-nats-0', namespace: 'nats', size: '1Gi' });
    api.addPvc({ name: 'data-postgres-0', namespace: 'nats' });
    api.addPvc({ name: 'extra-claim', namespace: 'nats', labels: { 'app.kubernetes.io/instance': 'nats' } });
    const pvcs = await cluster.listReleasePvcs('nats', 'nats');
    assert.deepEqual(pvcs.map((p) => `${p.name} ${p.purpose} ${p.size} ${p.phase}`), [
      'extra-claim other 10Gi Bound',
      'nats-js-nats-0 jetstream 10Gi Bound',
      'nats-js-nats-1 jetstream 10Gi Bound',
      'nats-resolver-nats-0 resolver 1Gi Bound',
    ]);
    await cluster.deletePvc('nats', 'nats-js-nats-1');
    assert.deepEqual(api.pvcNames('nats'), ['data-postgres-0', 'extra-claim', 'nats-js-nats-0', 'nats-resolver-nats-0']);
    await assert.rejects(cluster.deletePvc('nats', 'nats-js-nats-1'), (e: KubeAccessError) => e.kind === 'not-found' && /persistentvolumeclaims "nats-js-nats-1" not found/.test(e.message));
  });

  it('creates a namespace only when it is missing', async () => {
    assert.equal(await cluster.ensureNamespace('fresh'), 'created');
    assert.ok(api.hasNamespace('fresh'));
    assert.equal(await cluster.ensureNamespace('fresh'), 'exists');
    assert.equal(api.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/namespaces').length, 1);
    assert.ok((await cluster.listNamespaces()).includes('fresh'));
  });

  it('names RBAC refusals in one sentence', async () => {
    api.forbiddenNamespaces.add('locked');
    await assert.rejects(cluster.listChartPods('nats', 'locked', 'nats'), (e: KubeAccessError) => {
      assert.equal(e.kind, 'forbidden');
      assert.equal(e.message, 'Forbidden: the user of context double may not list pods in namespace locked (RBAC). Ask for that permission, or choose a namespace you may use.');
      return true;
    });
  });

  it('says so when the cluster is unreachable, or the kubeconfig or context is wrong', async () => {
    const gone = await KubeApiDouble.start();
    const path = gone.writeKubeconfig(dir, 'gone');
    await gone.stop();
    const unreachable = await ClusterClient.open({ kubeconfigPaths: [path] });
    await assert.rejects(unreachable.listNamespaces(), (e: KubeAccessError) => e.kind === 'unreachable' && /^The cluster of context gone is unreachable \(ECONNREFUSED\)/.test(e.message));
    await assert.rejects(ClusterClient.open({ kubeconfigPaths: [] }), (e: KubeAccessError) => e.kind === 'no-kubeconfig');
    await assert.rejects(ClusterClient.open({ kubeconfigPaths: [path], context: 'prod' }), (e: KubeAccessError) => e.kind === 'unknown-context' && /contexts: gone\): pick one of those\.$/.test(e.message));
    await assert.rejects(ClusterClient.open({ kubeconfigPaths: [join(dir, 'missing.yaml')] }), (e: KubeAccessError) => e.kind === 'bad-kubeconfig' && /does not exist/.test(e.message));
  });

  it('merges several kubeconfig files first-wins and switches context', async () => {
    const second = await KubeApiDouble.start();
    try {
      const a = api.writeKubeconfig(dir, 'first');
      const b = second.writeKubeconfig(dir, 'second');
      second.addPod({ name: 'nats-0', namespace: 'n2', labels: v2Labels('nats', 'nats'), ready: true });
      const onSecond = await ClusterClient.open({ kubeconfigPaths: [a, b], context: 'second' });
      assert.equal(onSecond.context, 'second');
      assert.deepEqual((await onSecond.listChartPods('nats', 'n2', 'nats')).pods.map((p) => p.name), ['nats-0']);
    } finally {
      await second.stop();
    }
  });
});
