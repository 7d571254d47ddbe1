/**
 * UI: the Releases view in the browser. TEST DOUBLES: helm (test/doubles/helmDouble.ts, via natsK3s.helmPath) and the
 * Kubernetes API server (test/doubles/kubeApiDouble.ts, via natsK3s.kubeconfig). Real: VS Code in code-server with
 * the .vsix installed, client-node, Chromium.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHelmDouble, type HelmDouble } from '../doubles/helmDouble';
import { KubeApiDouble } from '../doubles/kubeApiDouble';
import { useWorkbench } from './workbench';

const labels = (component: string) => ({ 'app.kubernetes.io/name': 'nats', 'app.kubernetes.io/instance': 'nats', 'app.kubernetes.io/component': component });

describe('UI: releases of the NATS chart and their pods (helm and the API server are doubles)', function () {
  this.timeout(120_000);
  let helm: HelmDouble;
  let api: KubeApiDouble;
  let dir: string;

  before(async () => {
    helm = createHelmDouble();
    api = await KubeApiDouble.start();
    dir = mkdtempSync(join(tmpdir(), 'nk3s-ui-releases-'));
    api.addPod({ name: 'nats-0', namespace: 'nats', labels: labels('nats'), ready: true });
    api.addPod({
      name: 'nats-1', namespace: 'nats', labels: labels('nats'), ready: false,
      status: { containerStatuses: [{ name: 'nats', ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container' } } }] },
    });
    api.addPod({ name: 'nats-box-5d8f-x2', namespace: 'nats', labels: labels('nats-box'), ready: true, containers: [{ name: 'nats-box' }] });
  });
  // Registered after the doubles start and before they stop: hooks run in the order they are registered.
  const wb = useWorkbench(() => ({ settings: { 'natsK3s.helmPath': helm.binPath, 'natsK3s.kubeconfig': api.writeKubeconfig(dir) } }));
  after(async () => {
    await api?.stop();
    helm?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the release with its status and versions, and its pods with readiness and the reason', async () => {
    await wb().openNatsView({ foldReleases: false });
    // Fold the Connections view so the Releases view has the room.
    await wb().page.locator('.pane-header', { hasText: 'Connections' }).click();
    const releases = wb().page.locator('.pane', { has: wb().page.locator('.pane-header', { hasText: 'Releases' }) });
    const release = releases.getByRole('treeitem', { name: /^nats/ }).first();
    await release.waitFor({ timeout: 30_000 });
    await release.click();
    const notReady = releases.getByRole('treeitem', { name: /nats-1/ });
    await notReady.waitFor({ timeout: 30_000 });
    assert.match(await notReady.innerText(), /CrashLoopBackOff/);
    await releases.getByRole('treeitem', { name: /nats-0/ }).waitFor({ timeout: 15_000 });
    await releases.getByRole('treeitem', { name: /nats-box/ }).waitFor({ timeout: 15_000 });
    assert.match(await wb().page.locator('.statusbar').innerText(), /double/);
    await wb().screenshot('releases.png');
  });
});
