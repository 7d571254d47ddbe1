/**
 * UI: the "Get Started" walkthrough, walked from start to finish in the demo's setup, in the browser against the .vsix
 * in code-server. The shared K3s-shaped stack (sharedStack.ts: kube-apiserver on kine on the 3-node NATS cluster,
 * kwok playing the kubelet and forwarding the release's pods nats-0..2 to the cluster's nodes) with the demo's values
 * installed by real helm v4 from the real chart, as `npm start` does. Nothing is set up in the Connections view, so
 * its welcome shows first. Each step completes from what the user did: a values file open and clean, the cluster
 * answering, the release listed, a smoke test passed, a nats-box shell opened, streams listed on a connection to the
 * release, and K3s's kine bucket decoded. README's walkthrough screenshot comes from this test.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadClientNode } from '../../src/core/kube/clientNode';
import type { K8sStack } from '../harness/k8sStack';
import { sharedStack } from '../harness/sharedStack';
import { repoRoot, tools } from '../harness/tools';
import { useWorkbench } from './workbench';

const NAMESPACE = 'nats-demo';
const STEPS = ['values', 'check', 'cluster', 'install', 'smokeTest', 'natsBox', 'explore', 'datastore'];

describe('UI: the Get Started walkthrough, from the values file to K3s’s datastore, in the demo’s setup', function () {
  this.timeout(300_000);
  let stack: K8sStack;

  before(async () => {
    stack = await sharedStack();
    const k8s = await loadClientNode();
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(stack.kubeconfig);
    await kc.makeApiClient(k8s.CoreV1Api).createNamespace({ body: { metadata: { name: NAMESPACE } } });
    // The release's pods nats-0..2 stand for the cluster's nodes n1..n3, as in the demo.
    await stack.forwardPodsToNats(NAMESPACE, 'nats');
    execFileSync(
      tools().helm4,
      [
        'install',
        'nats',
        join(repoRoot, '..', 'shared', 'charts', 'nats-2.14.2'),
        `--namespace=${NAMESPACE}`,
        `--values=${join(repoRoot, 'demo', 'values.yaml')}`,
        '--wait',
        '--timeout=120s',
        `--kubeconfig=${stack.kubeconfig}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
  });
  // Registered after the release is installed and before it is removed: hooks run in the order they are registered.
  const wb = useWorkbench(() => ({
    settings: {
      'natsK3s.helmPath': tools().helm4,
      'natsK3s.kubeconfig': stack.kubeconfig,
      'natsK3s.kubectlPath': tools().kubectl,
      // Nothing set up for NATS yet: no default server chosen, no nats CLI contexts.
      'natsK3s.defaultServerUrl': undefined,
      'natsK3s.showCliContexts': false,
    },
    files: { 'values.yaml': readFileSync(join(repoRoot, 'demo', 'values.yaml'), 'utf8') },
  }));
  after(async () => {
    if (!stack) return;
    const k8s = await loadClientNode();
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(stack.kubeconfig);
    await kc
      .makeApiClient(k8s.CoreV1Api)
      .deleteNamespace({ name: NAMESPACE })
      .catch(() => undefined);
  });

  const connections = () =>
    wb().page.locator('.pane', { has: wb().page.locator('.pane-header', { hasText: 'Connections' }) });
  /** The walkthrough's step checkbox (aria-checked once the step is done). */
  const stepBox = (id: string) => wb().page.locator(`[data-done-step-id$="${id}"]`).first();
  const pickRelease = async () => {
    const row = wb().page.locator('.quick-input-list .monaco-list-row', { hasText: NAMESPACE }).first();
    await row.waitFor({ timeout: 30_000 });
    await row.click();
  };
  const waitDone = async (id: string) => {
    await wb().page.locator(`[data-done-step-id$="${id}"][aria-checked="true"]`).first().waitFor({ timeout: 60_000 });
  };
  const openWalkthrough = async () => {
    // The Connections view's title action, as a user finds it.
    await connections().locator('.pane-header').hover();
    await connections().locator('.pane-header .action-label[aria-label="Get Started"]').click({ timeout: 15_000 });
    await stepBox('values').waitFor({ timeout: 30_000 });
  };

  it('the Connections view shows its welcome with nothing set up, and its title opens the walkthrough, every step to do', async () => {
    await wb().openNatsView();
    await connections()
      .getByText(/No NATS connection is set up yet/)
      .waitFor({ timeout: 30_000 });
    await wb().screenshot('connections-welcome.png');
    await openWalkthrough();
    // The cluster steps may be done already: the Releases view lists the release as soon as it is shown.
    for (const id of STEPS.filter((s) => s !== 'cluster' && s !== 'install'))
      assert.equal(await stepBox(id).getAttribute('aria-checked'), 'false', id);
  });

  it('writing and checking the values: the demo’s values.yaml open, with no errors', async () => {
    await wb().page.keyboard.press('Control+P');
    await wb().page.locator('.quick-input-widget input').fill('values.yaml');
    await wb().page.locator('.quick-input-list .monaco-list-row', { hasText: 'values.yaml' }).first().waitFor();
    await wb().page.keyboard.press('Enter');
    await wb().page.locator('.monaco-editor .view-line', { hasText: 'jetstream' }).first().waitFor({ timeout: 15_000 });
    await openWalkthrough();
    await waitDone('values');
    await waitDone('check');
  });

  it('choosing the cluster and installing: the Releases view lists the demo’s release from the cluster', async () => {
    const releases = wb().page.locator('.pane', { has: wb().page.locator('.pane-header', { hasText: 'Releases' }) });
    await wb().page.locator('.pane-header', { hasText: 'Releases' }).click();
    await releases.getByRole('treeitem', { name: /^nats/ }).first().waitFor({ timeout: 60_000 });
    await waitDone('cluster');
    await waitDone('install');
  });

  it('the smoke test and the nats-box shell, each on the release picked from the palette, without asking for more', async () => {
    await wb().runCommand('NATS: Test the Installation');
    await pickRelease();
    await wb()
      .page.locator('.notification-list-item-message', { hasText: /Release nats in namespace nats-demo works/ })
      .first()
      .waitFor({ timeout: 60_000 });
    // The smoke test's report opens in the Markdown preview, a webview that takes the focus once it has loaded
    // (closing a palette opened before): wait for it first.
    await wb().page.locator('iframe.webview.ready').first().waitFor({ timeout: 30_000 });
    await wb().page.locator('.tab', { hasText: 'smoke-test.md' }).first().waitFor({ timeout: 30_000 });
    await wb().runCommand('NATS: Open nats-box Shell');
    await pickRelease();
    await wb().page.locator('.xterm').first().waitFor({ timeout: 30_000 });
  });

  it('exploring streams, then K3s’s kine bucket, on a connection to the release', async () => {
    await wb().runCommand('NATS: Connect to Release');
    await pickRelease();
    // Fold the Releases view: the Connections tree needs the height.
    await wb().page.locator('.pane-header', { hasText: 'Releases' }).click();
    await wb()
      .row(new RegExp(`^nats\\.${NAMESPACE}@`))
      .click({ timeout: 30_000 });
    // The path again from the top when a row does not show: a redraw on a loaded machine can fold a row opened before.
    const path = [/^Streams/, /^KV Buckets/, /^kine/, /^pods/];
    for (let attempt = 1; ; attempt++) {
      const walked = await (async () => {
        for (const name of path) await wb().expand(name);
      })().then(
        () => undefined,
        (err: unknown) => err,
      );
      if (!walked) break;
      if (attempt === 3) throw walked;
    }
    // The release's own pods, as kube-apiserver stored them through kine.
    await wb()
      .row(new RegExp(`^${NAMESPACE}, \\d+ objects?`))
      .waitFor({ timeout: 30_000 });
  });

  it('the walkthrough shows every step done', async () => {
    // Room for the whole list in the picture: no toasts, no terminal panel.
    await wb().runCommand('Notifications: Clear All Notifications');
    await wb().runCommand('View: Hide Panel');
    await wb().page.locator('.xterm').first().waitFor({ state: 'hidden', timeout: 15_000 });
    await openWalkthrough();
    for (const id of STEPS) await waitDone(id);
    for (const id of STEPS) assert.equal(await stepBox(id).getAttribute('aria-checked'), 'true', id);
    // The whole list in the picture, with the last step open.
    await wb().page.setViewportSize({ width: 1280, height: 1000 });
    await wb().page.locator('button.getting-started-step[data-step-id$="datastore"]').first().click();
    await wb()
      .page.locator('button.getting-started-step[data-step-id$="datastore"][aria-expanded="true"]')
      .first()
      .waitFor({ timeout: 15_000 });
    await wb().screenshot('walkthrough.png');
  });
});

describe('UI: the welcome views with nothing set up, no kubeconfig and no NATS connection', function () {
  this.timeout(120_000);
  const saved = process.env.KUBECONFIG;
  before(() => {
    // code-server inherits this process's environment: no KUBECONFIG there, no natsK3s.kubeconfig below, and this
    // machine has no ~/.kube/config nor K3s's file.
    delete process.env.KUBECONFIG;
  });
  const wb = useWorkbench(() => ({
    settings: { 'natsK3s.defaultServerUrl': undefined, 'natsK3s.showCliContexts': false },
  }));
  after(() => {
    if (saved !== undefined) process.env.KUBECONFIG = saved;
  });

  it('both views explain what is missing with the buttons that fix it, and the Releases welcome opens the walkthrough', async () => {
    await wb().openNatsView({ foldReleases: false });
    const pane = (title: string) =>
      wb().page.locator('.pane', { has: wb().page.locator('.pane-header', { hasText: title }) });
    await pane('Connections')
      .getByText(/No NATS connection is set up yet/)
      .waitFor({ timeout: 30_000 });
    const releases = pane('Releases');
    await releases.getByText(/No kubeconfig was found/).waitFor({ timeout: 30_000 });
    assert.equal(await releases.getByRole('treeitem').count(), 0, 'no error row');
    for (const button of ['Choose Kubeconfig', 'Open Settings'])
      assert.ok(await releases.getByRole('button', { name: button }).isVisible(), button);
    await wb().screenshot('welcome-views.png');
    await releases
      .getByRole('link', { name: 'Get Started' })
      .or(releases.getByRole('button', { name: 'Get Started' }))
      .first()
      .click();
    await wb().page.locator('[data-done-step-id$="values"]').first().waitFor({ timeout: 30_000 });
  });
});
