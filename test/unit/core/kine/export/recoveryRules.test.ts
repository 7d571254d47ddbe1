import * as assert from 'node:assert/strict';
import { forApply, leftOutReason, type ApiObject } from '../../../../../src/core/kine/export/recoveryRules';

const plain = { reveal: false, includeGenerated: false };

function obj(apiVersion: string, kind: string, metadata: Record<string, unknown>, rest: ApiObject = {}): ApiObject {
  return { apiVersion, kind, metadata, ...rest };
}

describe('kine export: the recovery rule', () => {
  it('drops status and every server-owned metadata field, and keeps what the user wrote', () => {
    const stored = obj(
      'v1',
      'ConfigMap',
      {
        name: 'c',
        namespace: 'web',
        uid: 'u-1',
        resourceVersion: '42',
        creationTimestamp: '2026-01-01T00:00:00Z',
        generation: 3,
        managedFields: [{ manager: 'kubectl' }],
        selfLink: '/api/v1/namespaces/web/configmaps/c',
        deletionTimestamp: '2026-01-02T00:00:00Z',
        deletionGracePeriodSeconds: 30,
        ownerReferences: [{ uid: 'gone', kind: 'Thing', name: 't' }],
        labels: { app: 'web' },
        annotations: { note: 'kept' },
        finalizers: ['example.com/keep'],
      },
      { data: { a: '1' }, status: { phase: 'x' } },
    );
    const copy = structuredClone(stored);
    assert.deepEqual(forApply(stored), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'c',
        namespace: 'web',
        labels: { app: 'web' },
        annotations: { note: 'kept' },
        finalizers: ['example.com/keep'],
      },
      data: { a: '1' },
    });
    assert.deepEqual(stored, copy, 'the stored object is not changed');
  });

  it("drops a Service's allocated cluster IPs but keeps a headless Service's None", () => {
    const svc = (clusterIP: string) =>
      forApply(
        obj('v1', 'Service', { name: 's' }, { spec: { clusterIP, clusterIPs: [clusterIP], ports: [{ port: 80 }] } }),
      );
    assert.deepEqual(svc('10.43.0.12').spec, { ports: [{ port: 80 }] });
    assert.deepEqual(svc('None').spec, { clusterIP: 'None', clusterIPs: ['None'], ports: [{ port: 80 }] });
  });

  it("drops a Job's generated selector and the uid labels it matched, unless the selector is manual", () => {
    const labels = { 'batch.kubernetes.io/controller-uid': 'u', 'controller-uid': 'u', 'job-name': 'j', app: 'x' };
    const job = (manualSelector?: boolean) =>
      forApply(
        obj(
          'batch/v1',
          'Job',
          { name: 'j' },
          { spec: { manualSelector, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: {} } } },
        ),
      ).spec as Record<string, any>;
    assert.equal(job().selector, undefined);
    assert.deepEqual(job().template.metadata.labels, { app: 'x' });
    assert.deepEqual(job(true).selector, { matchLabels: labels });
  });

  it('leaves Secrets out unless revealed, ServiceAccount tokens always unless generated ones are asked for', () => {
    const secret = obj('v1', 'Secret', { name: 's' }, { type: 'Opaque' });
    assert.equal(leftOutReason(secret, plain), 'secret');
    assert.equal(leftOutReason(secret, { reveal: true, includeGenerated: false }), undefined);
    const token = obj('v1', 'Secret', { name: 't' }, { type: 'kubernetes.io/service-account-token' });
    assert.equal(leftOutReason(token, { reveal: true, includeGenerated: false }), 'generated');
    assert.equal(leftOutReason(token, { reveal: true, includeGenerated: true }), undefined);
    assert.equal(leftOutReason(token, { reveal: false, includeGenerated: true }), 'secret');
  });

  it('leaves out what a controller owns, but not what merely has an owner', () => {
    const owned = (controller: boolean) =>
      obj('apps/v1', 'ReplicaSet', {
        name: 'r',
        ownerReferences: [{ kind: 'Deployment', name: 'd', uid: 'u', controller }],
      });
    assert.equal(leftOutReason(owned(true), plain), 'owned');
    assert.equal(leftOutReason(owned(false), plain), undefined);
    assert.equal(leftOutReason(owned(true), { reveal: false, includeGenerated: true }), undefined);
  });

  it("never exports kube-apiserver's own records, not even with generated objects included", () => {
    const all = { reveal: true, includeGenerated: true };
    assert.equal(leftOutReason(obj('v1', 'RangeAllocation', {}, { range: '10.43.0.0/16' }), all), 'internal');
    assert.equal(leftOutReason(obj('v1', 'Endpoints', { labels: { apiserverIdentity: 'x' } }), all), 'internal');
    assert.equal(leftOutReason(obj('v1', 'ConfigMap', { name: '' }), all), 'internal');
  });

  it('leaves out what the cluster makes itself, and keeps the same kinds made by users', () => {
    const generated: ApiObject[] = [
      obj('v1', 'Event', { name: 'e' }),
      obj('events.k8s.io/v1', 'Event', { name: 'e' }),
      obj('coordination.k8s.io/v1', 'Lease', { name: 'l' }),
      obj('discovery.k8s.io/v1', 'EndpointSlice', { name: 's' }),
      obj('v1', 'Endpoints', { name: 's' }),
      obj('v1', 'Node', { name: 'n' }),
      obj('networking.k8s.io/v1', 'IPAddress', { name: '10.43.0.1' }),
      obj('v1', 'Namespace', { name: 'kube-system' }),
      obj('v1', 'ConfigMap', { name: 'kube-root-ca.crt', namespace: 'web' }),
      obj('v1', 'ServiceAccount', { name: 'default', namespace: 'web' }),
      obj('v1', 'Service', { name: 'kubernetes', namespace: 'default' }),
      obj('rbac.authorization.k8s.io/v1', 'ClusterRole', {
        name: 'admin',
        annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
      }),
      obj('flowcontrol.apiserver.k8s.io/v1', 'FlowSchema', {
        name: 'exempt',
        annotations: { 'apf.kubernetes.io/autoupdate-spec': 'true' },
      }),
      obj('apiregistration.k8s.io/v1', 'APIService', {
        name: 'v1.apps',
        labels: { 'kube-aggregator.kubernetes.io/automanaged': 'onstart' },
      }),
      obj('scheduling.k8s.io/v1', 'PriorityClass', { name: 'system-node-critical' }),
    ];
    for (const o of generated)
      assert.equal(leftOutReason(o, plain), 'generated', `${o.kind}/${(o.metadata as any).name}`);
    const users: ApiObject[] = [
      obj('v1', 'Namespace', { name: 'web' }),
      obj('v1', 'ConfigMap', { name: 'settings', namespace: 'web' }),
      obj('v1', 'ServiceAccount', { name: 'worker', namespace: 'web' }),
      obj('v1', 'Service', { name: 'kubernetes', namespace: 'web' }),
      obj('rbac.authorization.k8s.io/v1', 'ClusterRole', { name: 'mine' }),
      obj('scheduling.k8s.io/v1', 'PriorityClass', { name: 'high' }),
      obj('example.com/v1', 'Widget', { name: 'w', namespace: 'web' }),
    ];
    for (const o of users) assert.equal(leftOutReason(o, plain), undefined, `${o.kind}/${(o.metadata as any).name}`);
  });
});
