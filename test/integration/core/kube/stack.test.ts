/**
 * The K3s-shaped control plane on NATS (test/harness/k8sStack.ts), all real: a 3-node JetStream cluster of the
 * chart's nats-server, kine 0.17 as a NATS client on an R3 bucket, kube-apiserver and kube-controller-manager 1.36,
 * kubectl, @kubernetes/client-node and nats.js. No kubelet and no scheduler, so Pods stay Pending.
 * The stack always runs the chart's nats-server, also in the compatibility pass (it models the deployed cluster).
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
// biome-ignore syntax/correctness/noTypeOnlyImportAttributes: TypeScript takes an ES module's types into CommonJS only with resolution-mode
import type { AppsV1Api, CoreV1Api, V1StatefulSet } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { loadClientNode } from '../../../../src/core/kube/clientNode';
import { decodeKineKey, encodeKineKey } from '../../../../src/core/kine/keyCodec';
import { decodeKineBody } from '../../../../src/core/kine/record';
import { startK8sStack, type K8sStack } from '../../../harness/k8sStack';
import { eventually } from '../../../harness/processes';
import { tools } from '../../../harness/tools';

const run = promisify(execFile);
const NS = 'nats-k3s-stack-test';

/** The etcd keys (decoded) under `prefix` that the kine bucket holds as live keys. */
async function registryKeys(kv: KV, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const k of await kv.keys(`${encodeKineKey(prefix)}.>`)) out.push(decodeKineKey(k).key);
  return out.sort();
}

/** The StatefulSet the NATS chart 2.x renders, reduced to what the controllers act on. */
function chartLikeStatefulSet(): V1StatefulSet {
  const labels = {
    'app.kubernetes.io/name': 'nats',
    'app.kubernetes.io/instance': 'nats',
    'app.kubernetes.io/component': 'nats',
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'nats', namespace: NS, labels },
    spec: {
      replicas: 3,
      serviceName: 'nats-headless',
      // As the chart: without it only nats-0 would be made (OrderedReady waits for it to be Ready; no kubelet here).
      podManagementPolicy: 'Parallel',
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: 'nats',
              image: 'nats:2.14.2-alpine',
              ports: [{ name: 'nats', containerPort: 4222 }],
              volumeMounts: [{ name: 'nats-js', mountPath: '/data' }],
            },
          ],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'nats-js' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } },
        },
      ],
    },
  };
}

describe('K3s-shaped stack: kube-apiserver and KCM on kine on a 3-node JetStream cluster', function () {
  this.timeout(300_000);
  let stack: K8sStack | undefined;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  let nc: NatsConnection;
  let kv: KV;

  before(async () => {
    stack = await startK8sStack();
    const ms = stack.startupMs;
    console.log(
      `      stack start-up: pki ${ms.pki} ms, nats ${ms.nats} ms, kine ${ms.kine} ms, kube-apiserver ${ms.kubeApiserver} ms, kube-controller-manager ${ms.kubeControllerManager} ms, total ${ms.total} ms` +
        (stack.kineStarts > 1 ? `; kine started ${stack.kineStarts} times` : ''),
    );
    const k8s = await loadClientNode();
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(stack.kubeconfig);
    core = kc.makeApiClient(k8s.CoreV1Api);
    apps = kc.makeApiClient(k8s.AppsV1Api);
    nc = await connect({ servers: stack.natsUrls, name: 'nats-k3s stack test' });
    kv = await new Kvm(nc).open(stack.bucket);
  });

  after(async () => {
    await nc?.close();
    await stack?.stop();
  });

  it('answers kubectl with the kubeconfig it wrote (context nats-k3s-stack, the apiserver CA, the admin token)', async () => {
    const { stdout } = await run(tools().kubectl, ['--kubeconfig', stack!.kubeconfig, 'get', 'ns', '-o', 'name']);
    const names = stdout.trim().split('\n');
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease'])
      assert.ok(names.includes(`namespace/${ns}`), stdout);
    const ctx = await run(tools().kubectl, ['--kubeconfig', stack!.kubeconfig, 'config', 'current-context']);
    assert.equal(ctx.stdout.trim(), 'nats-k3s-stack');
  });

  it('keeps the cluster state in an R3 kine bucket placed on all three NATS nodes', async () => {
    assert.match(
      stack!.kineEndpoint,
      /^nats:\/\/127\.0\.0\.1:\d+\?bucket=kine&replicas=3,nats:\/\/127\.0\.0\.1:\d+,nats:\/\/127\.0\.0\.1:\d+$/,
    );
    // The chart's server even in the compatibility pass (NATS_K3S_NATS_SERVER=Debian's 2.9 there).
    assert.equal(nc.info?.version, tools().natsServerVersion);
    const info = await (await jetstreamManager(nc)).streams.info('KV_kine');
    assert.equal(info.config.num_replicas, 3);
    assert.deepEqual(info.config.subjects, ['$KV.kine.>']);
    assert.equal(info.cluster?.replicas?.length, 2, JSON.stringify(info.cluster));
    // kine's key encoding (kine-format.md §3): base58 per path segment, joined with dots; "registry" = L8nZchjdPLL.
    const namespaces = await registryKeys(kv, '/registry/namespaces');
    assert.ok(namespaces.includes('/registry/namespaces/kube-system'), namespaces.join(', '));
    assert.ok(
      (await kv.get('L8nZchjdPLL.2spa8YEaboPAq3hiS.oTwYJdZQqzV1mztAJTCxxRcGH6TPLa8EmT'))?.length,
      'the clusterrole system:aggregate-to-admin under its encoded key',
    );
  });

  it('runs the StatefulSet controller: 3 Pending Pods and 3 PVCs from a chart-like StatefulSet, stored in NATS', async () => {
    await core.createNamespace({ body: { metadata: { name: NS } } });
    await apps.createNamespacedStatefulSet({ namespace: NS, body: chartLikeStatefulSet() });

    const pods = await eventually('3 Pods of the StatefulSet', async () => {
      const list = await core.listNamespacedPod({ namespace: NS });
      return list.items.length === 3 ? list.items : undefined;
    });
    assert.deepEqual(pods.map((p) => p.metadata?.name).sort(), ['nats-0', 'nats-1', 'nats-2']);
    for (const p of pods) {
      assert.equal(p.status?.phase, 'Pending');
      assert.equal(p.spec?.nodeName, undefined);
      assert.equal(p.metadata?.ownerReferences?.[0]?.kind, 'StatefulSet');
      // The service-account admission plugin found the `default` account KCM made in the new namespace.
      assert.equal(p.spec?.serviceAccountName, 'default');
    }
    const pvcs = await eventually('3 PVCs of the volumeClaimTemplate', async () => {
      const list = await core.listNamespacedPersistentVolumeClaim({ namespace: NS });
      return list.items.length === 3 ? list.items : undefined;
    });
    assert.deepEqual(pvcs.map((p) => p.metadata?.name).sort(), ['nats-js-nats-0', 'nats-js-nats-1', 'nats-js-nats-2']);
    for (const p of pvcs) {
      assert.equal(p.status?.phase, 'Pending'); // no PersistentVolume, no provisioner
      assert.equal(p.spec?.resources?.requests?.storage, '10Gi');
    }

    assert.deepEqual(
      await registryKeys(kv, `/registry/pods/${NS}`),
      [0, 1, 2].map((i) => `/registry/pods/${NS}/nats-${i}`),
    );
    assert.deepEqual(
      await registryKeys(kv, `/registry/persistentvolumeclaims/${NS}`),
      [0, 1, 2].map((i) => `/registry/persistentvolumeclaims/${NS}/nats-js-nats-${i}`),
    );
    assert.deepEqual(await registryKeys(kv, `/registry/statefulsets/${NS}`), [`/registry/statefulsets/${NS}/nats`]);

    // A stored Pod decodes with the project's reader: S2 → kine's JSON → the apiserver's protobuf.
    const entry = await kv.get(encodeKineKey(`/registry/pods/${NS}/nats-0`));
    const body = decodeKineBody(entry!.value);
    assert.equal(body.envelope.key, `/registry/pods/${NS}/nats-0`);
    assert.equal(body.value?.encoding, 'protobuf');
    assert.equal(body.value?.kind, 'Pod');
  });

  it('deletes as kine does: the key leaves the bucket, a tombstone PUT and a DEL marker stay in its history', async () => {
    const key = `/registry/configmaps/${NS}/short-lived`;
    await core.createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: { name: 'short-lived' }, data: { a: 'b' } },
    });
    assert.ok((await registryKeys(kv, `/registry/configmaps/${NS}`)).includes(key));

    await core.deleteNamespacedConfigMap({ name: 'short-lived', namespace: NS });
    // kine wrote the delete before the apiserver answered: no waiting.
    assert.ok(!(await registryKeys(kv, `/registry/configmaps/${NS}`)).includes(key));

    const history = [];
    for await (const e of await kv.history({ key: encodeKineKey(key) })) history.push(e);
    const ops = history.map((e) => e.operation);
    assert.deepEqual(ops.slice(-3), ['PUT', 'PUT', 'DEL'], ops.join(' '));
    const tombstone = decodeKineBody(history.at(-2)!.value).envelope;
    assert.equal(tombstone.delete, true);
    assert.equal(tombstone.key, key);
    assert.equal(tombstone.prevRevision, history.at(-3)!.revision);
  });
});
