import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  K3S_KUBECONFIG,
  k3sKubeconfigOffer,
  KubeconfigError,
  readContexts,
  resolveKubeconfig,
} from '../../../../src/core/kube/kubeconfigSource';

describe('choosing the kubeconfig and reading its contexts', () => {
  const readable = (files: string[]) => (p: string) => files.includes(p);

  it('the setting wins, then KUBECONFIG (readable entries only), then ~/.kube/config, then K3s', () => {
    const all = readable(['/a', '/b', '/home/u/.kube/config', K3S_KUBECONFIG]);
    assert.deepEqual(
      resolveKubeconfig({ setting: '~/k.yaml', env: { KUBECONFIG: '/a' }, home: '/home/u', isReadable: all }),
      { paths: ['/home/u/k.yaml'], source: 'setting' },
    );
    assert.deepEqual(resolveKubeconfig({ env: { KUBECONFIG: '/a:/missing:/b' }, home: '/home/u', isReadable: all }), {
      paths: ['/a', '/b'],
      source: 'env',
    });
    assert.deepEqual(resolveKubeconfig({ env: { KUBECONFIG: '/missing' }, home: '/home/u', isReadable: all }), {
      paths: ['/home/u/.kube/config'],
      source: 'default',
    });
    assert.deepEqual(resolveKubeconfig({ env: {}, home: '/nobody', isReadable: readable([K3S_KUBECONFIG]) }), {
      paths: [K3S_KUBECONFIG],
      source: 'k3s',
    });
    assert.equal(resolveKubeconfig({ env: {}, home: '/nobody', isReadable: readable([]) }), undefined);
  });

  it('offers K3s only when its file is readable', () => {
    assert.equal(k3sKubeconfigOffer(readable([K3S_KUBECONFIG])), '/etc/rancher/k3s/k3s.yaml');
    assert.equal(k3sKubeconfigOffer(readable([])), undefined);
  });

  it('lists contexts first-file-wins and the first current-context', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nk3s-kc-'));
    try {
      const a = join(dir, 'a.yaml');
      const b = join(dir, 'b.yaml');
      writeFileSync(
        a,
        'apiVersion: v1\nkind: Config\ncontexts:\n- name: default\n  context: {cluster: k3s, user: admin, namespace: nats}\n',
      );
      writeFileSync(
        b,
        'current-context: prod\ncontexts:\n- name: prod\n  context: {cluster: eks, user: ops}\n- name: default\n  context: {cluster: other, user: other}\n',
      );
      assert.deepEqual(readContexts([a, b]), {
        contexts: [
          { name: 'default', cluster: 'k3s', user: 'admin', namespace: 'nats' },
          { name: 'prod', cluster: 'eks', user: 'ops' },
        ],
        current: 'prod',
      });
      writeFileSync(join(dir, 'bad.yaml'), '- a list\n');
      assert.throws(
        () => readContexts([join(dir, 'bad.yaml')]),
        (e: Error) => e instanceof KubeconfigError && /is not a kubeconfig/.test(e.message),
      );
      assert.throws(
        () => readContexts([join(dir, 'missing.yaml')]),
        /cannot be read: it does not exist\. Choose another file in natsK3s\.kubeconfig\./,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
