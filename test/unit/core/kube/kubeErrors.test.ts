import * as assert from 'node:assert/strict';
import { explainKubeError, KubeAccessError } from '../../../../src/core/kube/kubeErrors';

describe('Kubernetes errors in one sentence', () => {
  const req = { context: 'k3s', action: 'list pods', namespace: 'nats' };
  const api = (code: number, message: string) =>
    Object.assign(new Error(`HTTP-Code: ${code}`), { code, body: JSON.stringify({ kind: 'Status', message }) });

  it('RBAC, credentials, not found, unreachable', () => {
    const forbidden = explainKubeError(api(403, 'pods is forbidden: User "dev" cannot list resource "pods"'), req);
    assert.equal(forbidden.kind, 'forbidden');
    assert.equal(
      forbidden.message,
      'Forbidden: the user of context k3s may not list pods in namespace nats (RBAC). Ask for that permission, or choose a namespace you may use.',
    );
    assert.equal(explainKubeError(api(401, 'Unauthorized'), req).kind, 'unauthorized');
    assert.match(
      explainKubeError(api(404, 'namespaces "nats" not found'), req).message,
      /^Not found while trying to list pods in namespace nats \(namespaces "nats" not found\)/,
    );
    const refused = explainKubeError(
      new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' }),
      }),
      req,
    );
    assert.equal(refused.kind, 'unreachable');
    assert.match(
      refused.message,
      /^The cluster of context k3s is unreachable \(ECONNREFUSED\): check that K3s is running/,
    );
  });

  it('a server certificate the kubeconfig does not trust', () => {
    const untrusted = explainKubeError(
      new Error(
        'request to https://127.0.0.1:6443/api/v1/namespaces failed, reason: self-signed certificate in certificate chain',
        {
          cause: Object.assign(new Error('self-signed certificate in certificate chain'), {
            code: 'SELF_SIGNED_CERT_IN_CHAIN',
          }),
        },
      ),
      req,
    );
    assert.equal(untrusted.kind, 'untrusted-certificate');
    assert.match(
      untrusted.message,
      /^The cluster of context k3s presented a certificate the kubeconfig does not trust \(SELF_SIGNED_CERT_IN_CHAIN\): if K3s was reinstalled/,
    );
  });

  it('passes a KubeAccessError through and keeps the cause', () => {
    const own = new KubeAccessError('no-ready-pod', 'x');
    assert.equal(explainKubeError(own, req), own);
    const cause = api(500, 'etcd down');
    assert.equal(explainKubeError(cause, req).cause, cause);
  });
});
