// Proof that the kine bucket decodes into exactly what kube-apiserver returns: objects of many kinds are created
// through the real API server (kine 0.17.5 on the 3-node NATS cluster, kwok running the Pods), then every live
// object of every listable resource discovery names is compared with its kine value decoded by the descriptor.
// The API fills metadata.resourceVersion from the kine revision, so it is set aside (and must equal the revision).
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { parse } from 'yaml';
import { runKineCommand } from '../../../../src/cli/kineCommand';
import { KineBucket } from '../../../../src/core/kine/kineBucket';
import { decodeKineBody } from '../../../../src/core/kine/record';
import { apiObjectOf } from '../../../../src/core/kine/recordView';
import { getRaw, listObjects, objectPath, servedResources, type ApiObject } from '../../../harness/apiObjects';
import type { K8sStack } from '../../../harness/k8sStack';
import { sharedStack } from '../../../harness/sharedStack';
import { repoRoot, tools } from '../../../harness/tools';

const run = promisify(execFile);
const NS = 'k8s-json';

interface Stored {
  readonly kvKey: string;
  readonly key: string;
  readonly revision: number;
  readonly encoding: string;
  readonly object?: Record<string, unknown>;
  readonly why?: string;
}

/** Paths where `a` and `b` differ, at most `limit`. */
function differences(a: unknown, b: unknown, path = '', out: string[] = [], limit = 8): string[] {
  if (out.length >= limit) return out;
  if (
    a !== null &&
    b !== null &&
    typeof a === 'object' &&
    typeof b === 'object' &&
    Array.isArray(a) === Array.isArray(b)
  ) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    // Field order too (Go struct order, sorted map keys); apiVersion and kind are put first, where the API writes kind first.
    const order = (o: object) => Object.keys(o).filter((k) => path !== '' || (k !== 'apiVersion' && k !== 'kind'));
    if (order(a).join() !== order(b).join() && order(a).length === order(b).length)
      out.push(
        `${path || '.'}: key order kine ${order(a).join(',').slice(0, 200)} != API ${order(b).join(',').slice(0, 200)}`,
      );
    for (const k of keys)
      differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`, out, limit);
    return out;
  }
  if (a !== b)
    out.push(`${path || '.'}: kine ${JSON.stringify(a)?.slice(0, 120)} != API ${JSON.stringify(b)?.slice(0, 120)}`);
  return out;
}

function withoutResourceVersion(o: Record<string, unknown>): Record<string, unknown> {
  const metadata = { ...(o.metadata as Record<string, unknown>) };
  delete metadata.resourceVersion;
  return { ...o, metadata };
}

describe("kine values decoded into the API server's JSON, for every object it serves", function () {
  this.timeout(300_000);
  let stack: K8sStack;
  let nc: NatsConnection;
  let bucket: KineBucket;
  const kubectl = (...args: string[]) =>
    run(tools().kubectl, ['--kubeconfig', stack.kubeconfig, ...args], { maxBuffer: 64 * 1024 * 1024 });

  before(async () => {
    stack = await sharedStack();
    nc = await connect({ servers: stack.natsUrls });
    bucket = await KineBucket.open(nc, stack.bucket);
    await kubectl('apply', '-f', join(repoRoot, 'test/integration/core/kine/k8sObjects.yaml'));
    await kubectl('wait', '--for=condition=Established', '--timeout=60s', 'crd/widgets.example.nats-k3s.io');
    await kubectl('create', '-n', NS, '-f', join(repoRoot, 'test/integration/core/kine/k8sWidget.yaml'));
    await kubectl('wait', '-n', NS, '--for=condition=Available', '--timeout=90s', 'deployment/web');
    await kubectl('wait', '-n', NS, '--for=jsonpath={.status.readyReplicas}=1', '--timeout=90s', 'statefulset/db');
    await kubectl('wait', '-n', NS, '--for=create', '--timeout=60s', 'persistentvolumeclaim/data-db-0');
    await kubectl('wait', '-n', NS, '--for=create', '--timeout=60s', 'pod', '-l', 'job-name=once');
  });
  after(async () => {
    await nc?.close();
    if (stack)
      await kubectl(
        'delete',
        '--ignore-not-found',
        '--wait=false',
        `namespace/${NS}`,
        'clusterrole/k8s-json-empty',
        'priorityclass/k8s-json-high',
        'storageclass/k8s-json-fast',
        'crd/widgets.example.nats-k3s.io',
        'ingressclass/k8s-json',
        'validatingwebhookconfiguration/k8s-json',
        'validatingadmissionpolicy/k8s-json',
        'persistentvolume/k8s-json-pv',
        'runtimeclass/k8s-json',
        'csidriver/k8s-json.example.com',
      ).catch(() => undefined);
  });

  const bodies: Uint8Array[] = [];
  async function readStored(kvKey: string): Promise<Stored | undefined> {
    const m = await bucket.lastMessage(kvKey);
    if (!m || m.header?.get('KV-Operation')) return undefined;
    bodies.push(m.data);
    const body = decodeKineBody(m.data);
    const value = body.value;
    if (!value) return undefined;
    const object = apiObjectOf(value);
    return {
      kvKey,
      key: body.envelope.key,
      revision: m.seq,
      encoding: value.encoding,
      object,
      why: value.protobuf?.fieldsNote ?? value.protobufError,
    };
  }

  it('decodes every live object exactly as the API server returns it', async () => {
    // Every live key of the bucket, decoded, by the object's uid.
    const keys: string[] = [];
    await bucket.scan('>', (e) => void (!e.deleted && keys.push(e.kvKey)));
    const byUid = new Map<string, Stored>();
    const unknownKinds = new Set<string>();
    let protobufValues = 0;
    for (const kvKey of keys) {
      const stored = await readStored(kvKey);
      const meta = stored?.object?.metadata as { uid?: string } | undefined;
      if (stored?.encoding === 'protobuf') protobufValues++;
      if (stored?.encoding === 'protobuf' && !stored.object) unknownKinds.add(`${kvKey}: ${stored.why}`);
      if (meta?.uid) byUid.set(meta.uid, stored!);
    }
    assert.deepEqual([...unknownKinds], [], 'every protobuf value decodes by the descriptor');

    const resources = await servedResources(stack.kubeconfig);
    const kinds = new Set<string>();
    const compared = new Set<string>();
    const mismatches: string[] = [];
    for (const r of resources) {
      for (let item of await listObjects(stack.kubeconfig, r)) {
        const uid = item.metadata.uid as string | undefined;
        let stored = uid ? byUid.get(uid) : undefined;
        if (!stored?.object || stored.object.apiVersion !== r.groupVersion || compared.has(uid!)) continue;
        // Controllers keep writing: when the list and the bucket saw different revisions, read both again.
        let gone = false;
        for (
          let attempt = 0;
          String(stored.revision) !== item.metadata.resourceVersion && attempt < 10 && !gone;
          attempt++
        ) {
          const again = (await getRaw(
            stack.kubeconfig,
            objectPath(r, item.metadata.namespace as string, item.metadata.name as string),
          ).catch(() => undefined)) as ApiObject | undefined;
          const storedAgain = await readStored(stored.kvKey);
          // Deleted meanwhile (another file's namespace being torn down): nothing left to compare.
          gone = !again || !storedAgain;
          if (again && storedAgain) [item, stored] = [again, storedAgain];
        }
        if (gone) continue;
        assert.equal(
          item.metadata.resourceVersion,
          String(stored.revision),
          `${r.kind} ${String(item.metadata.name)}: resourceVersion = kine revision`,
        );
        const diff = differences(withoutResourceVersion(stored.object!), withoutResourceVersion(item));
        if (diff.length)
          mismatches.push(
            `${r.groupVersion} ${r.kind} ${String(item.metadata.namespace ?? '')}/${String(item.metadata.name)} (${stored.encoding}):\n    ${diff.join('\n    ')}`,
          );
        kinds.add(`${r.groupVersion} ${r.kind}`);
        compared.add(uid!);
      }
    }
    // An object the lists missed because it was deleted after the bucket scan (another file's namespace being torn
    // down on the shared stack) is excused once kine has its delete too; give such teardowns up to 15 s.
    let missed = [...byUid.entries()].filter(([uid]) => !compared.has(uid)).map(([, s]) => s);
    for (const deadline = Date.now() + 15_000; missed.length > 0 && Date.now() < deadline; ) {
      const still = await Promise.all(missed.map(async (s) => ((await readStored(s.kvKey)) ? s : undefined)));
      missed = still.filter((s): s is Stored => s !== undefined);
      if (missed.length > 0) await new Promise((r) => setTimeout(r, 500));
    }
    const notCompared = missed.map((s) => `${s.key} (${String(s.object?.apiVersion)} ${String(s.object?.kind)})`);
    const started = process.hrtime.bigint();
    for (let round = 0; round < 5; round++) for (const body of bodies) decodeKineBody(body);
    const perValue = Number(process.hrtime.bigint() - started) / 1000 / (5 * bodies.length);
    console.log(
      `      ${keys.length} live keys, ${protobufValues} protobuf values, all decoded by the descriptor; ${perValue.toFixed(0)} µs per kine message (S2, envelope, value) on average`,
    );
    console.log(
      `      compared ${compared.size} objects of ${kinds.size} kinds (${[...kinds].sort().join(', ')}); ${mismatches.length} mismatches; ${notCompared.length} stored objects not compared${notCompared.length ? `: ${notCompared.join(', ')}` : ''}`,
    );
    assert.deepEqual(mismatches, [], `decoded kine values that differ from the API's JSON:\n${mismatches.join('\n')}`);
    for (const kind of [
      'v1 Namespace',
      'v1 ConfigMap',
      'v1 Secret',
      'v1 Service',
      'v1 ServiceAccount',
      'v1 Pod',
      'v1 PersistentVolumeClaim',
      'apps/v1 Deployment',
      'apps/v1 ReplicaSet',
      'apps/v1 StatefulSet',
      'batch/v1 Job',
      'batch/v1 CronJob',
      'networking.k8s.io/v1 Ingress',
      'networking.k8s.io/v1 NetworkPolicy',
      'rbac.authorization.k8s.io/v1 Role',
      'rbac.authorization.k8s.io/v1 RoleBinding',
      'rbac.authorization.k8s.io/v1 ClusterRole',
      'policy/v1 PodDisruptionBudget',
      'coordination.k8s.io/v1 Lease',
      'scheduling.k8s.io/v1 PriorityClass',
      'storage.k8s.io/v1 StorageClass',
      'apiextensions.k8s.io/v1 CustomResourceDefinition',
      'example.nats-k3s.io/v1 Widget',
      'apiregistration.k8s.io/v1 APIService',
      'networking.k8s.io/v1 IngressClass',
      'admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration',
      'admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy',
      'v1 ReplicationController',
      'v1 PersistentVolume',
      'v1 ResourceQuota',
      'v1 LimitRange',
      'autoscaling/v2 HorizontalPodAutoscaler',
      'apps/v1 DaemonSet',
      'node.k8s.io/v1 RuntimeClass',
      'v1 PodTemplate',
      'storage.k8s.io/v1 CSIDriver',
    ]) {
      assert.ok(kinds.has(kind), `${kind} was compared`);
    }
    // CRDs are stored as apiextensions.k8s.io/v1beta1 JSON and compared as the v1 the API serves (crdConversion.ts).
    assert.deepEqual(notCompared, [], 'every stored object was compared');
  });

  it('kine get KEY --object prints only the object, exactly as kubectl get -o json shows it; a Secret only with --reveal', async () => {
    const cli = async (...args: string[]) => {
      const io = {
        stdout: '',
        stderr: '',
        out: (t: string) => void (io.stdout += t),
        err: (t: string) => void (io.stderr += t),
      };
      const code = await runKineCommand([...args, '--server', stack.natsUrls.join(','), '--bucket', stack.bucket], io);
      return { code, ...io };
    };
    const api = async (what: string) =>
      JSON.parse((await kubectl('get', '-n', NS, what, '-o', 'json', '--show-managed-fields')).stdout) as unknown;
    const json = await cli('get', `/registry/configmaps/${NS}/settings`, '--object', '--format', 'json');
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), await api('configmap/settings'));
    const yaml = await cli('get', `/registry/configmaps/${NS}/settings`, '--object');
    assert.equal(yaml.code, 0, yaml.stderr);
    assert.match(yaml.stdout, /^apiVersion: v1\nkind: ConfigMap\n/);
    assert.deepEqual(parse(yaml.stdout), await api('configmap/settings'));
    const hidden = await cli('get', `/registry/secrets/${NS}/token`, '--object');
    assert.equal(hidden.code, 1);
    assert.equal(hidden.stdout, '');
    assert.match(hidden.stderr, /stays hidden; pass --reveal to print it\.$/m);
    const revealed = await cli('get', `/registry/secrets/${NS}/token`, '--object', '--json', '--reveal');
    assert.equal(revealed.code, 0, revealed.stderr);
    assert.deepEqual(JSON.parse(revealed.stdout), await api('secret/token'));
    const notObject = await cli('get', '/registry/health', '--object');
    assert.equal(notObject.code, 1);
    assert.match(
      notObject.stderr,
      /cannot be shown as an API object: .*; run without --object to see the value as stored\.$/m,
    );
    const misuse = await cli('history', `/registry/configmaps/${NS}/settings`, '--object');
    assert.equal(misuse.code, 2);
  });
});
