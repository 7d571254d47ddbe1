/**
 * UI: the Releases view in the browser, on the real control plane: the shared K3s-shaped stack (sharedStack.ts:
 * kube-apiserver on kine on the 3-node NATS cluster, kube-controller-manager) with one node run by kwok, which plays
 * the kubelet (no machine here runs containers: it marks the pods Running and Ready). Real helm v4 installs the real
 * chart (../shared/charts/nats-2.14.2) as a 3-node JetStream cluster, as the README's users do; VS Code in code-server
 * with the .vsix installed, client-node and Chromium show it. README's Releases screenshot comes from this test. A
 * crash loop is kwok reporting one on request (podStates.ts), as a kubelet would for a failing container.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadClientNode } from '../../src/core/kube/clientNode';
import type { K8sStack } from '../harness/k8sStack';
import { setKubeletReport } from '../harness/podStates';
import { sharedStack } from '../harness/sharedStack';
import { repoRoot, tools } from '../harness/tools';
import { useWorkbench } from './workbench';

const VALUES = `config:
  cluster:
    enabled: true
    replicas: 3
  jetstream:
    enabled: true
    fileStore:
      pvc:
        size: 10Gi
`;

describe('UI: releases of the NATS chart and their pods, installed by helm into the real control plane', function () {
  this.timeout(180_000);
  let stack: K8sStack;
  let dir: string;

  before(async () => {
    stack = await sharedStack();
    dir = mkdtempSync(join(tmpdir(), 'nk3s-ui-releases-'));
    const values = join(dir, 'values.yaml');
    writeFileSync(values, VALUES);
    const chart = join(repoRoot, '..', 'shared', 'charts', 'nats-2.14.2');
    execFileSync(
      tools().helm4,
      [
        'install',
        'nats',
        chart,
        '--namespace=nats',
        '--create-namespace',
        `--values=${values}`,
        '--wait',
        '--timeout=120s',
        `--kubeconfig=${stack.kubeconfig}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
  });
  // Registered after the release is installed and before it is removed: hooks run in the order they are registered.
  const wb = useWorkbench(() => ({
    settings: { 'natsK3s.helmPath': tools().helm4, 'natsK3s.kubeconfig': stack.kubeconfig },
  }));
  after(async () => {
    if (stack) {
      const k8s = await loadClientNode();
      const kc = new k8s.KubeConfig();
      kc.loadFromFile(stack.kubeconfig);
      await kc
        .makeApiClient(k8s.CoreV1Api)
        .deleteNamespace({ name: 'nats' })
        .catch(() => undefined);
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the release with its status and versions, and its pods with readiness', async () => {
    await wb().openNatsView({ foldReleases: false });
    // Fold the Connections view so the Releases view has the room.
    await wb().page.locator('.pane-header', { hasText: 'Connections' }).click();
    // Room for the release's status and versions.
    await wb().widenSideBar(260);
    const releases = wb().page.locator('.pane', { has: wb().page.locator('.pane-header', { hasText: 'Releases' }) });
    const release = releases.getByRole('treeitem', { name: /^nats/ }).first();
    await release.waitFor({ timeout: 30_000 });
    assert.match(await release.innerText(), /deployed · chart 2\.14\.2 · app 2\.14\.2/);
    await release.click();
    for (const pod of ['nats-0', 'nats-1', 'nats-2']) {
      const row = releases.getByRole('treeitem', { name: new RegExp(`^${pod}\\b`) });
      await row.waitFor({ timeout: 30_000 });
      assert.match(await row.innerText(), /ready 2\/2/);
    }
    await releases.getByRole('treeitem', { name: /nats-box/ }).waitFor({ timeout: 15_000 });
    assert.match(await wb().page.locator('.statusbar').innerText(), new RegExp(stack.context));
    await wb().screenshot('releases.png');
  });

  it('shows why a pod is not ready after a refresh: a crash loop, as the kubelet reports it', async () => {
    await setKubeletReport(stack, 'nats', 'nats-1', 'crash-loop', { restartCount: 4 });
    const releases = wb().page.locator('.pane', { has: wb().page.locator('.pane-header', { hasText: 'Releases' }) });
    await wb().runCommand('NATS: Refresh Releases');
    const row = releases.getByRole('treeitem', { name: /^nats-1\b/ });
    await row.filter({ hasText: 'CrashLoopBackOff' }).waitFor({ timeout: 30_000 });
    assert.match(await row.innerText(), /not ready · CrashLoopBackOff \(container nats\): back-off/);
  });
});
