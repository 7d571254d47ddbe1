import * as assert from 'node:assert/strict';
import { applyRank, sortForApply } from '../../../../../src/core/kine/export/applyOrder';
import type { ApiObject } from '../../../../../src/core/kine/export/recoveryRules';

const o = (apiVersion: string, kind: string, name: string, namespace?: string): ApiObject => ({
  apiVersion,
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
});
const label = (x: ApiObject) => `${x.kind}/${(x.metadata as { name: string }).name}`;

describe('kine export: the order kubectl apply needs', () => {
  it('puts namespaces, then CRDs, storage and RBAC, then workloads, custom resources and admission last', () => {
    const shuffled = [
      o('admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', 'hook'),
      o('example.com/v1', 'Widget', 'w', 'web'),
      o('apps/v1', 'Deployment', 'web', 'web'),
      o('v1', 'Service', 'web', 'web'),
      o('rbac.authorization.k8s.io/v1', 'RoleBinding', 'rb', 'web'),
      o('rbac.authorization.k8s.io/v1', 'Role', 'r', 'web'),
      o('v1', 'PersistentVolumeClaim', 'data', 'web'),
      o('v1', 'ConfigMap', 'settings', 'web'),
      o('v1', 'ServiceAccount', 'worker', 'web'),
      o('storage.k8s.io/v1', 'StorageClass', 'fast'),
      o('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com'),
      o('v1', 'Namespace', 'web'),
      o('networking.k8s.io/v1', 'Ingress', 'in', 'web'),
      o('v1', 'Pod', 'p', 'web'),
    ];
    const sorted = sortForApply([...shuffled]).map(label);
    const comesBefore = (a: string, b: string) =>
      assert.ok(sorted.indexOf(a) < sorted.indexOf(b), `${a} before ${b}: ${sorted.join(', ')}`);
    assert.equal(sorted[0], 'Namespace/web');
    comesBefore('CustomResourceDefinition/widgets.example.com', 'Widget/w');
    comesBefore('StorageClass/fast', 'PersistentVolumeClaim/data');
    comesBefore('ServiceAccount/worker', 'Deployment/web');
    comesBefore('ConfigMap/settings', 'Deployment/web');
    comesBefore('Role/r', 'RoleBinding/rb');
    comesBefore('Service/web', 'Deployment/web');
    comesBefore('Deployment/web', 'Ingress/in');
    comesBefore('Widget/w', 'ValidatingWebhookConfiguration/hook');
    assert.equal(sorted.at(-1), 'ValidatingWebhookConfiguration/hook');
  });

  it('is stable: the same objects in any order sort alike, by kind, namespace and name within a rank', () => {
    const objects = [o('v1', 'ConfigMap', 'b', 'y'), o('v1', 'ConfigMap', 'a', 'y'), o('v1', 'ConfigMap', 'z', 'x')];
    const one = sortForApply([...objects]).map((x) => JSON.stringify(x));
    const two = sortForApply([...objects].reverse()).map((x) => JSON.stringify(x));
    assert.deepEqual(one, two);
    assert.deepEqual(
      sortForApply([...objects]).map((x) => (x.metadata as { name: string }).name),
      ['z', 'a', 'b'],
    );
  });

  it('ranks an unknown built-in kind before custom resources', () => {
    assert.ok(applyRank(o('policy/v1', 'SomethingNew', 'x')) < applyRank(o('nats.io/v1beta2', 'Stream', 'x')));
    assert.ok(applyRank(o('v1', 'Namespace', 'x')) < applyRank(o('v1', 'SomethingNew', 'x')));
  });
});
