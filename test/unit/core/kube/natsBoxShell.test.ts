import * as assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HelmArgumentError } from '../../../../src/core/helm/helmArgs';
import { natsBoxShellCommand } from '../../../../src/core/kube/natsBoxShell';

describe('the nats-box shell command', () => {
  let dir: string;
  let kubectl: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'nk3s-kubectl-'));
    kubectl = join(dir, 'kubectl');
    writeFileSync(kubectl, '#!/bin/sh\n');
    chmodSync(kubectl, 0o755);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is kubectl exec -it <pod> -c nats-box -- sh -l, with kubeconfig, context and namespace', () => {
    assert.deepEqual(
      natsBoxShellCommand({
        pod: 'nats-box-5d8f7c9b4-x2x7q',
        namespace: 'nats',
        kubeconfig: '/etc/rancher/k3s/k3s.yaml',
        context: 'default',
        pathEnv: dir,
      }),
      {
        kind: 'ok',
        shellPath: kubectl,
        shellArgs: [
          '--kubeconfig=/etc/rancher/k3s/k3s.yaml',
          '--context=default',
          '--namespace=nats',
          'exec',
          '-it',
          'nats-box-5d8f7c9b4-x2x7q',
          '-c',
          'nats-box',
          '--',
          'sh',
          '-l',
        ],
      },
    );
  });

  it('uses natsK3s.kubectlPath when set', () => {
    const r = natsBoxShellCommand({ pod: 'p', namespace: 'n', kubectlPath: kubectl, pathEnv: '' });
    assert.equal(r.kind === 'ok' && r.shellPath, kubectl);
    assert.deepEqual(r.kind === 'ok' && r.shellArgs, [
      '--namespace=n',
      'exec',
      '-it',
      'p',
      '-c',
      'nats-box',
      '--',
      'sh',
      '-l',
    ]);
  });

  it('says kubectl is missing and how to set the path', () => {
    assert.deepEqual(natsBoxShellCommand({ pod: 'p', namespace: 'n', pathEnv: join(dir, 'empty') }), {
      kind: 'not-found',
      explanation: 'kubectl not found on PATH: install kubectl or set natsK3s.kubectlPath to its path.',
    });
    assert.deepEqual(
      natsBoxShellCommand({ pod: 'p', namespace: 'n', kubectlPath: '/opt/none/kubectl', pathEnv: dir }),
      {
        kind: 'not-found',
        explanation:
          'kubectl not found at /opt/none/kubectl: set natsK3s.kubectlPath to the path of an executable kubectl.',
      },
    );
  });

  it('refuses pod and namespace names Kubernetes would not accept', () => {
    assert.throws(() => natsBoxShellCommand({ pod: 'p; rm -rf ~', namespace: 'n', pathEnv: dir }), HelmArgumentError);
    assert.throws(
      () => natsBoxShellCommand({ pod: 'p', namespace: '--all-namespaces', pathEnv: dir }),
      HelmArgumentError,
    );
  });
});
