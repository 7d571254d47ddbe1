/**
 * ClusterClient with the real @kubernetes/client-node against the shared K3s-shaped stack (sharedStack(): real
 * kube-apiserver and kube-controller-manager on kine on a 3-node JetStream cluster). Real: the apiserver's label
 * selectors, the StatefulSet and Deployment controllers making the chart's Pods and claims, the garbage collector and
 * pvc-protection, the namespace life cycle, RBAC with a ServiceAccount's token from the TokenRequest API, TLS.
 * Simulated: the kubelet. kwok plays it and reports Pods Running and Ready, or, for Pods a test annotates, not ready
 * or in CrashLoopBackOff as a kubelet would (test/harness/podStates.ts); the pod binder plays the scheduler and
 * reports Pods no node fits as Unschedulable. No provisioner runs, so claims stay Pending.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// biome-ignore syntax/correctness/noTypeOnlyImportAttributes: TypeScript takes an ES module's types into CommonJS only with resolution-mode
import type { AppsV1Api, CoreV1Api, V1Pod } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { stringify } from 'yaml';
import { loadClientNode } from '../../../../src/core/kube/clientNode';
import { ClusterClient } from '../../../../src/core/kube/clusterClient';
import type { KubeAccessError } from '../../../../src/core/kube/kubeErrors';
import { chartNatsBoxDeployment, chartStatefulSet } from '../../../harness/chartWorkloads';
import type { K8sStack } from '../../../harness/k8sStack';
import { setKubeletReport, waitForPod } from '../../../harness/podStates';
import { eventually, freePort } from '../../../harness/processes';
import { sharedStack } from '../../../harness/sharedStack';
import { createStackUser } from '../../../harness/stackUsers';
import { makeTlsCerts } from '../../../harness/tlsCerts';

const NS = {
  v2: 'nk3s-cc-v2',
  v0: 'nk3s-cc-v0',
  pvc: 'nk3s-cc-pvc',
  fresh: 'nk3s-cc-fresh',
  open: 'nk3s-cc-open',
  locked: 'nk3s-cc-locked',
};

interface KubeconfigEntry {
  readonly context: string;
  readonly server: string;
  readonly caPem: string;
  readonly token: string;
}

/** A kubeconfig with one cluster, user and context per entry (named after the context); current is the first. */
function writeKubeconfigFile(file: string, entries: readonly KubeconfigEntry[]): string {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: entries.map((e) => ({
      name: `${e.context}-cluster`,
      cluster: { server: e.server, 'certificate-authority-data': Buffer.from(e.caPem).toString('base64') },
    })),
    users: entries.map((e) => ({ name: `${e.context}-user`, user: { token: e.token } })),
    contexts: entries.map((e) => ({
      name: e.context,
      context: { cluster: `${e.context}-cluster`, user: `${e.context}-user` },
    })),
    'current-context': entries[0]?.context,
  };
  writeFileSync(file, stringify(config), { mode: 0o600 });
  return file;
}

const ready = (p: V1Pod) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

describe('ClusterClient against the real kube-apiserver (the shared K3s-shaped stack, kwok as the kubelet)', function () {
  this.timeout(120_000);
  let stack: K8sStack;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  let dir: string;
  let cluster: ClusterClient;

  /** Resolves with the names of the Pods matching `selector` once there are `count` and each is Ready. */
  const readyPods = (namespace: string, selector: string, count: number) =>
    eventually(`${count} Ready Pods ${selector} in ${namespace}`, async () => {
      const pods = (await core.listNamespacedPod({ namespace, labelSelector: selector })).items;
      return pods.length === count && pods.every(ready) ? pods.map((p) => p.metadata!.name!).sort() : undefined;
    });

  before(async () => {
    stack = await sharedStack();
    const k8s = await loadClientNode();
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(stack.kubeconfig);
    core = kc.makeApiClient(k8s.CoreV1Api);
    apps = kc.makeApiClient(k8s.AppsV1Api);
    dir = mkdtempSync(join(tmpdir(), 'nats-k3s-kube-test-'));
    cluster = await ClusterClient.open({ kubeconfigPaths: [stack.kubeconfig] });
    for (const name of [NS.v2, NS.v0, NS.pvc, NS.open, NS.locked])
      await core.createNamespace({ body: { metadata: { name } } });
  });

  after(async () => {
    // The namespace controller removes what is in them; nothing here waits for it.
    for (const name of Object.values(NS)) await core?.deleteNamespace({ name }).catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('finds 1.x/2.x server and nats-box pods by instance + component, with readiness and the kubelet’s reasons', async () => {
    await apps.createNamespacedStatefulSet({
      namespace: NS.v2,
      body: chartStatefulSet({ namespace: NS.v2, release: 'nats', replicas: 2 }),
    });
    await apps.createNamespacedStatefulSet({
      namespace: NS.v2,
      body: chartStatefulSet({ namespace: NS.v2, release: 'other', replicas: 1 }),
    });
    await apps.createNamespacedDeployment({
      namespace: NS.v2,
      body: chartNatsBoxDeployment({ namespace: NS.v2, release: 'nats' }),
    });
    await readyPods(NS.v2, 'app.kubernetes.io/name=nats', 4);
    const crashing = await setKubeletReport(stack, NS.v2, 'nats-1', 'crash-loop', { restartCount: 4 });

    const servers = await cluster.listChartPods('nats', NS.v2, 'nats');
    assert.equal(servers.layout, '1.x/2.x');
    assert.deepEqual(
      servers.pods.map((p) => [p.name, p.ready, p.notReadyReason ?? '']),
      [
        ['nats-0', true, ''],
        [
          'nats-1',
          false,
          `CrashLoopBackOff (container nats): back-off 1m20s restarting failed container=nats pod=nats-1_${NS.v2}(${crashing.metadata!.uid})`,
        ],
      ],
    );
    const [first, second] = servers.pods;
    assert.deepEqual(
      [
        first!.phase,
        first!.clientPort,
        first!.readyContainers,
        first!.totalContainers,
        first!.restarts,
        first!.nodeName,
      ],
      ['Running', 4222, 2, 2, 0, 'k3s-server'],
    );
    assert.deepEqual([second!.phase, second!.readyContainers, second!.restarts], ['Running', 1, 4]);
    const box = await cluster.listChartPods('nats', NS.v2, 'nats-box');
    assert.deepEqual(
      box.pods.map((p) => `${p.component} ${p.layout} ${p.ready}`),
      ['nats-box 1.x/2.x true'],
    );
    // The Deployment's ReplicaSet names its Pod <deployment>-<template hash>-<random>.
    assert.match(box.pods[0]!.name, /^nats-box-[a-z0-9]+-[a-z0-9]{5}$/);
    assert.equal(box.pods[0]!.clientPort, undefined);
  });

  it('finds 0.x pods by their own labels (no component; nats-box by app=<fullname>-box)', async () => {
    // A server whose readiness probe fails, and a nats-box with a nodeSelector no K3s node has (K3s sets no worker role).
    await apps.createNamespacedStatefulSet({
      namespace: NS.v0,
      body: chartStatefulSet({
        namespace: NS.v0,
        release: 'legacy',
        layout: '0.x',
        replicas: 1,
        podAnnotations: { 'nats-k3s.test/kubelet-reports': 'not-ready' },
      }),
    });
    await apps.createNamespacedDeployment({
      namespace: NS.v0,
      body: chartNatsBoxDeployment({
        namespace: NS.v0,
        release: 'legacy',
        layout: '0.x',
        nodeSelector: { 'node-role.kubernetes.io/worker': 'true' },
      }),
    });
    await waitForPod(
      stack,
      NS.v0,
      'legacy-nats-0',
      'Running, not ready',
      (p) => p.status?.phase === 'Running' && !ready(p),
    );

    const servers = await cluster.listChartPods('legacy', NS.v0, 'nats');
    assert.equal(servers.layout, '0.x');
    assert.deepEqual(
      servers.pods.map((p) => [p.name, p.ready, p.notReadyReason, p.clientPort]),
      [['legacy-nats-0', false, 'Running but not ready (container nats): the readiness probe is failing', 4222]],
    );
    const box = await eventually('the 0.x nats-box Pod reported Unschedulable', async () => {
      const found = await cluster.listChartPods('legacy', NS.v0, 'nats-box');
      return found.pods[0]?.notReadyReason?.startsWith('Unschedulable') ? found : undefined;
    });
    assert.equal(box.layout, '0.x');
    assert.equal(box.pods[0]!.phase, 'Pending');
    assert.equal(
      box.pods[0]!.notReadyReason,
      "Unschedulable: 0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
    );
    assert.deepEqual(await cluster.listChartPods('absent', NS.v0, 'nats'), { pods: [] });
  });

  it('lists the PVCs a release left and deletes one by name', async () => {
    await apps.createNamespacedStatefulSet({
      namespace: NS.pvc,
      body: chartStatefulSet({
        namespace: NS.pvc,
        release: 'nats',
        replicas: 2,
        claims: { 'nats-js': '10Gi', 'nats-resolver': '1Gi' },
      }),
    });
    const claim = (name: string, size: string, labels?: Record<string, string>) => ({
      metadata: { name, ...(labels ? { labels } : {}) },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } },
    });
    await core.createNamespacedPersistentVolumeClaim({ namespace: NS.pvc, body: claim('data-postgres-0', '8Gi') });
    await core.createNamespacedPersistentVolumeClaim({
      namespace: NS.pvc,
      body: claim('extra-claim', '2Gi', { 'app.kubernetes.io/instance': 'nats' }),
    });
    await readyPods(NS.pvc, 'app.kubernetes.io/instance=nats', 2);
    // As `helm uninstall` leaves things: the StatefulSet gone with its Pods, the claims kept (Retain by default).
    await apps.deleteNamespacedStatefulSet({ name: 'nats', namespace: NS.pvc, propagationPolicy: 'Foreground' });
    await eventually('the StatefulSet and its Pods gone', async () =>
      (await core.listNamespacedPod({ namespace: NS.pvc })).items.length === 0 ? true : undefined,
    );

    const pvcs = await cluster.listReleasePvcs('nats', NS.pvc);
    assert.deepEqual(
      pvcs.map((p) => `${p.name} ${p.purpose} ${p.size} ${p.phase}`),
      [
        'extra-claim other 2Gi Pending',
        'nats-js-nats-0 jetstream 10Gi Pending',
        'nats-js-nats-1 jetstream 10Gi Pending',
        'nats-resolver-nats-0 resolver 1Gi Pending',
        'nats-resolver-nats-1 resolver 1Gi Pending',
      ],
    );
    await cluster.deletePvc(NS.pvc, 'nats-js-nats-1');
    // kube-controller-manager's pvc-protection removes its finalizer once no Pod uses the claim.
    await eventually('nats-js-nats-1 removed', async () =>
      (await core.listNamespacedPersistentVolumeClaim({ namespace: NS.pvc })).items.some(
        (p) => p.metadata?.name === 'nats-js-nats-1',
      )
        ? undefined
        : true,
    );
    assert.deepEqual(
      (await cluster.listReleasePvcs('nats', NS.pvc)).map((p) => p.name),
      ['extra-claim', 'nats-js-nats-0', 'nats-resolver-nats-0', 'nats-resolver-nats-1'],
    );
    assert.ok(
      (await core.readNamespacedPersistentVolumeClaim({ name: 'data-postgres-0', namespace: NS.pvc })).metadata?.name,
      'another app’s claim is left alone',
    );
    await assert.rejects(cluster.deletePvc(NS.pvc, 'nats-js-nats-1'), (e: KubeAccessError) => {
      assert.equal(e.kind, 'not-found');
      assert.equal(
        e.message,
        `Not found while trying to delete persistentvolumeclaim nats-js-nats-1 in namespace ${NS.pvc} (persistentvolumeclaims "nats-js-nats-1" not found): check the namespace and release name.`,
      );
      return true;
    });
  });

  it('creates a namespace only when it is missing, and refuses one that is being deleted', async () => {
    assert.equal(await cluster.ensureNamespace(NS.fresh), 'created');
    const made = await core.readNamespace({ name: NS.fresh });
    assert.equal(made.status?.phase, 'Active');
    assert.equal(await cluster.ensureNamespace(NS.fresh), 'exists');
    assert.equal(
      (await core.readNamespace({ name: NS.fresh })).metadata?.uid,
      made.metadata?.uid,
      'the same namespace, not made again',
    );
    assert.ok((await cluster.listNamespaces()).includes(NS.fresh));

    // Deleting a namespace takes as long as its contents: a finalizer (as pvc-protection's on a claim in use) holds it.
    await core.createNamespacedConfigMap({
      namespace: NS.fresh,
      body: { metadata: { name: 'held', finalizers: ['nats-k3s.test/hold'] } },
    });
    await core.deleteNamespace({ name: NS.fresh });
    await eventually('the namespace Terminating', async () =>
      (await core.readNamespace({ name: NS.fresh })).status?.phase === 'Terminating' ? true : undefined,
    );
    await assert.rejects(cluster.ensureNamespace(NS.fresh), (e: KubeAccessError) => {
      assert.equal(
        e.message,
        `The namespace ${NS.fresh} is being deleted (Terminating), so nothing can be created in it: wait until it is gone, or choose another namespace.`,
      );
      return true;
    });
    // What the apiserver would have said to the install that followed.
    await assert.rejects(
      core.createNamespacedConfigMap({ namespace: NS.fresh, body: { metadata: { name: 'late' } } }),
      (e: { code?: number; body?: string }) => e.code === 403 && /because it is being terminated/.test(String(e.body)),
    );
    await core.patchNamespacedConfigMap({
      name: 'held',
      namespace: NS.fresh,
      body: [{ op: 'remove', path: '/metadata/finalizers' }],
    });
  });

  it('names RBAC refusals in one sentence (a ServiceAccount that may list pods in one namespace only)', async () => {
    const reader = await createStackUser(stack, {
      namespace: NS.open,
      name: 'pod-reader',
      file: join(dir, 'pod-reader.yaml'),
      grants: [{ namespace: NS.open, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }] }],
    });
    const asReader = await ClusterClient.open({ kubeconfigPaths: [reader.kubeconfig] });
    assert.deepEqual(await asReader.listChartPods('nats', NS.open, 'nats'), { pods: [] });
    const refused = (action: string, where: string) => (e: KubeAccessError) => {
      assert.equal(e.kind, 'forbidden');
      assert.equal(
        e.message,
        `Forbidden: the user of context pod-reader may not ${action}${where} (RBAC). Ask for that permission, or choose a namespace you may use.`,
      );
      return true;
    };
    await assert.rejects(
      asReader.listChartPods('nats', NS.locked, 'nats'),
      refused('list pods', ` in namespace ${NS.locked}`),
    );
    await assert.rejects(
      asReader.listReleasePvcs('nats', NS.open),
      refused('list persistentvolumeclaims', ` in namespace ${NS.open}`),
    );
    await assert.rejects(asReader.listNamespaces(), refused('list namespaces', ''));
    await assert.rejects(asReader.ensureNamespace('nk3s-cc-never'), refused('read namespace nk3s-cc-never', ''));
  });

  it('says so when the cluster is unreachable, refuses the token or is not the one the CA names, or the kubeconfig or context is wrong', async () => {
    const good = { server: stack.apiServerUrl, caPem: stack.caPem, token: stack.token };
    const gone = writeKubeconfigFile(join(dir, 'gone.yaml'), [
      { ...good, context: 'gone', server: `https://127.0.0.1:${await freePort()}` },
    ]);
    const unreachable = await ClusterClient.open({ kubeconfigPaths: [gone] });
    await assert.rejects(
      unreachable.listNamespaces(),
      (e: KubeAccessError) =>
        e.kind === 'unreachable' && /^The cluster of context gone is unreachable \(ECONNREFUSED\)/.test(e.message),
    );

    const stale = await ClusterClient.open({
      kubeconfigPaths: [
        writeKubeconfigFile(join(dir, 'stale.yaml'), [
          { ...good, context: 'stale', token: 'not-a-token-the-apiserver-knows' },
        ]),
      ],
    });
    await assert.rejects(stale.listNamespaces(), (e: KubeAccessError) => {
      assert.equal(e.kind, 'unauthorized');
      assert.equal(
        e.message,
        "The cluster of context stale did not accept the credentials (401): refresh the kubeconfig's token or certificate.",
      );
      return true;
    });

    // The kubeconfig of a cluster that was set up again (K3s makes a new CA): TLS refuses the apiserver's certificate.
    const certs = makeTlsCerts();
    try {
      const otherCa = await ClusterClient.open({
        kubeconfigPaths: [
          writeKubeconfigFile(join(dir, 'other-ca.yaml'), [
            { ...good, context: 'other-ca', caPem: readFileSync(certs.caFile, 'utf8') },
          ]),
        ],
      });
      await assert.rejects(otherCa.listNamespaces(), (e: KubeAccessError) => {
        assert.equal(e.kind, 'untrusted-certificate');
        assert.match(
          e.message,
          /^The cluster of context other-ca presented a certificate the kubeconfig does not trust \(SELF_SIGNED_CERT_IN_CHAIN\): if K3s was reinstalled/,
        );
        return true;
      });
    } finally {
      certs.remove();
    }

    await assert.rejects(
      ClusterClient.open({ kubeconfigPaths: [] }),
      (e: KubeAccessError) => e.kind === 'no-kubeconfig',
    );
    await assert.rejects(
      ClusterClient.open({ kubeconfigPaths: [gone], context: 'prod' }),
      (e: KubeAccessError) => e.kind === 'unknown-context' && /contexts: gone\): pick one of those\.$/.test(e.message),
    );
    await assert.rejects(
      ClusterClient.open({ kubeconfigPaths: [join(dir, 'missing.yaml')] }),
      (e: KubeAccessError) => e.kind === 'bad-kubeconfig' && /does not exist/.test(e.message),
    );
  });

  it('merges several kubeconfig files first-wins and switches context', async () => {
    const good = { server: stack.apiServerUrl, caPem: stack.caPem, token: stack.token };
    const nowhere = `https://127.0.0.1:${await freePort()}`;
    // Both files define `shared`: the first file's (nowhere) wins, as in kubectl.
    const a = writeKubeconfigFile(join(dir, 'a.yaml'), [
      { ...good, context: 'first', server: nowhere },
      { ...good, context: 'shared', server: nowhere },
    ]);
    const b = writeKubeconfigFile(join(dir, 'b.yaml'), [
      { ...good, context: 'second' },
      { ...good, context: 'shared' },
    ]);
    const byDefault = await ClusterClient.open({ kubeconfigPaths: [a, b] });
    assert.equal(byDefault.context, 'first', "the first file's current-context");
    const onSecond = await ClusterClient.open({ kubeconfigPaths: [a, b], context: 'second' });
    assert.equal(onSecond.context, 'second');
    assert.deepEqual(
      (await onSecond.listChartPods('nats', NS.v2, 'nats')).pods.map((p) => p.name),
      ['nats-0', 'nats-1'],
    );
    const shared = await ClusterClient.open({ kubeconfigPaths: [a, b], context: 'shared' });
    await assert.rejects(shared.listNamespaces(), (e: KubeAccessError) => e.kind === 'unreachable');
    const sharedFromB = await ClusterClient.open({ kubeconfigPaths: [b, a], context: 'shared' });
    assert.ok((await sharedFromB.listNamespaces()).includes(NS.v2));
  });
});
