/**
 * UI: a folder nobody trusted, opened in code-server with workspace trust on, as desktop VS Code opens a cloned
 * repository. Its .vscode/settings.json names a helm script (it records each run) and a connection of its own. The
 * .vsix as users install it activates in Restricted Mode: values IntelliSense works, a cluster command says why it is
 * off and names the ignored script, and the NATS view says what it ignored. The user then trusts the folder from the
 * notification's button; the first cluster command asks about the workspace's helm in a modal naming its path, and
 * only "Allow" lets it run.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useWorkbench } from './workbench';

describe('UI: Restricted Mode, then trusting the folder', function () {
  this.timeout(150_000);
  // The user's own kubeconfig (in user settings), so the Releases view gets as far as running helm.
  const userDir = mkdtempSync(join(tmpdir(), 'nk3s-ui-user-'));
  const kubeconfig = join(userDir, 'config');
  writeFileSync(
    kubeconfig,
    'apiVersion: v1\nkind: Config\ncurrent-context: mine\nclusters: [{ name: mine, cluster: { server: "https://127.0.0.1:1" } }]\ncontexts: [{ name: mine, context: { cluster: mine, user: mine } }]\nusers: [{ name: mine, user: {} }]\n',
  );
  after(() => rmSync(userDir, { recursive: true, force: true }));

  const wb = useWorkbench(() => ({
    workspaceTrust: true,
    settings: { 'natsK3s.kubeconfig': kubeconfig },
    files: (folder) => ({
      'tools/helm.sh': `#!/bin/sh\necho "$@" >> "${join(folder, 'helm-ran.log')}"\nexit 1\n`,
      '.vscode/settings.json': JSON.stringify(
        {
          'natsK3s.helmPath': join(folder, 'tools', 'helm.sh'),
          'natsK3s.connections': [{ name: 'from-repo', servers: 'nats://127.0.0.1:2' }],
        },
        null,
        2,
      ),
      'nats-values.yaml': '# values for the NATS chart\nnats:\n  jetstream:\n    enabled: true\n',
    }),
  }));
  const helm = () => join(wb().folder, 'tools', 'helm.sh');
  const helmRan = () => existsSync(join(wb().folder, 'helm-ran.log'));

  it('opens in Restricted Mode, where values.yaml IntelliSense works', async () => {
    const page = wb().page;
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).waitFor({ timeout: 30_000 });
    await page.keyboard.press('Control+Shift+E');
    await page
      .locator('.explorer-folders-view')
      .getByRole('treeitem', { name: /nats-values\.yaml/ })
      .click({ timeout: 30_000 });
    const editor = page.locator('.monaco-editor[data-uri$="nats-values.yaml"]');
    // The 0.x key gets the extension's squiggle, and completion offers the chart's keys.
    await editor.locator('.squiggly-error').first().waitFor({ timeout: 30_000 });
    await editor.locator('.view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('config:\n');
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+End');
    await page.keyboard.type('  jet');
    await page.keyboard.press('Control+Space');
    await page
      .locator('.suggest-widget .monaco-list-row .label-name')
      .filter({ hasText: /^jetstream$/ })
      .first()
      .waitFor({ timeout: 15_000 });
    await page.keyboard.press('Escape');
  });

  it('a cluster command says why it is off and names the ignored helm script; the NATS view says what it ignored', async () => {
    const page = wb().page;
    await wb().runCommand('NATS: Install or Upgrade the NATS Chart');
    const toast = page.locator('.notification-list-item', { hasText: 'Restricted Mode: the NATS cluster commands' });
    await toast.waitFor({ timeout: 15_000 });
    assert.match(
      await toast.innerText(),
      new RegExp(`until then this workspace's natsK3s\\.helmPath \\(${helm().replace(/[.]/g, '\\.')}\\) is ignored\\.`),
    );
    await wb().openNatsView({ foldReleases: false });
    await wb().widenSideBar(260);
    await wb()
      .row(/^natsK3s\.connections from this workspace is ignored in Restricted Mode/)
      .waitFor({ timeout: 15_000 });
    await wb()
      .row(/^Restricted Mode: the NATS cluster commands/)
      .waitFor({ timeout: 15_000 });
    const rows = await wb().view().getByRole('treeitem').allInnerTexts();
    assert.ok(!rows.some((r) => r.startsWith('from-repo')), rows.join(' | '));
    await wb().screenshot('restricted-mode.png');
    assert.equal(helmRan(), false, "the workspace's helm did not run");
  });

  it("after Manage Workspace Trust › Trust, the first cluster command asks about the workspace's helm by its path", async () => {
    const page = wb().page;
    await page.locator('.notification-list-item').getByRole('button', { name: 'Manage Workspace Trust' }).click();
    await page.getByRole('button', { name: 'Trust', exact: true }).click({ timeout: 15_000 });
    await page
      .locator('.statusbar-item', { hasText: 'Restricted Mode' })
      .waitFor({ state: 'detached', timeout: 15_000 });
    // The trust editor opens over the workbench and keeps the command palette from opening: close it.
    await page.locator('[aria-label^="Close Modal Editor"]').click();
    await page.getByText('You trust this folder').waitFor({ state: 'detached', timeout: 15_000 });
    // Trusted: the workspace's helm is in effect now, but the Releases view never runs it unasked.
    await wb()
      .row(/^This workspace's settings choose natsK3s\.helmPath/)
      .waitFor({ timeout: 15_000 });
    const dialog = page.locator('.monaco-dialog-box');
    await wb().runCommand('NATS: Refresh Releases');
    await dialog.waitFor({ timeout: 15_000 });
    assert.match(
      await dialog.innerText(),
      new RegExp(
        `This workspace's settings choose the helm program: ${helm().replace(/[.]/g, '\\.')}\\. Use it for the NATS cluster commands\\?`,
      ),
    );
    await wb().screenshot('workspace-program-prompt.png');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached', timeout: 15_000 });
    assert.equal(helmRan(), false, "not allowed: the workspace's helm did not run");
    await wb().runCommand('NATS: Refresh Releases');
    await dialog.getByRole('button', { name: 'Allow' }).click({ timeout: 15_000 });
    // Allowed: the Releases view lists with it (the script fails, and the view says helm did).
    await wb()
      .row(/^helm exited with code 1/)
      .waitFor({ timeout: 15_000 });
    assert.equal(helmRan(), true, "allowed: the workspace's helm ran");
  });
});
