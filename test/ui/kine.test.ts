import * as assert from 'node:assert/strict';
import { connect } from '@nats-io/transport-node';
import { KineFixtureWriter } from '../generators/kine/fixtureWriter';
import { writeReferenceScenario } from '../generators/kine/fixtureScenario';
import { useWorkbench } from './workbench';

async function seed(urls: string[]): Promise<void> {
  const nc = await connect({ servers: urls });
  try {
    await writeReferenceScenario(await KineFixtureWriter.create(nc, { bucket: 'kine' }));
  } finally {
    await nc.close();
  }
}

describe('UI: the K3s kine bucket, decoded', function () {
  this.timeout(120_000);

  const wb = useWorkbench(() => ({ seed }));

  it('shows the bucket as a Kubernetes tree and opens a Pod as a document', async () => {
    await wb().openNatsView();
    await wb()
      .row(/^default/)
      .click({ timeout: 30_000 });
    await wb()
      .row(/^KV Buckets/)
      .click({ timeout: 15_000 });
    await wb().row(/^kine/).click({ timeout: 15_000 });
    await wb().row(/^pods/).click({ timeout: 15_000 });
    await wb()
      .row(/^default, \d+ objects?/)
      .click({ timeout: 15_000 });
    await wb()
      .row(/^nginx/)
      .click({ timeout: 15_000 });
    const editor = wb().page.locator('.monaco-editor .view-lines');
    await editor.locator('.view-line', { hasText: 'kind: Pod' }).first().waitFor({ timeout: 15_000 });
    await wb().screenshot('kine-object.png');
  });

  it('compares two revisions of the Pod in the diff editor', async () => {
    const nginx = wb().row(/^nginx/);
    // Hover, not click: a click also opens the object, and that editor taking focus can close the quick pick.
    await nginx.hover();
    await nginx.locator('.action-label[aria-label^="History"]').click();
    await wb()
      .page.locator('.quick-input-list .monaco-list-row', { hasText: 'compare with previous' })
      .first()
      .click({ timeout: 15_000 });
    await wb().page.locator('.monaco-diff-editor').waitFor({ timeout: 15_000 });
    await wb().page.locator('.monaco-diff-editor .view-line', { hasText: 'rev:' }).first().waitFor({ timeout: 15_000 });
    await wb().screenshot('kine-history-diff.png');
  });

  it('asks before revealing bootstrap data, and shows it only after the user confirms', async () => {
    await wb()
      .row(/^Other keys/)
      .click({ timeout: 30_000 });
    const bootstrap = wb().row(/^\/bootstrap\//);
    await wb().contextMenu(bootstrap, 'Reveal Value…');
    const dialog = wb().page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 15_000 });
    assert.match(await dialog.innerText(), /Reveal the value of \/bootstrap\/2f9c3a1b0d4e\?/);
    await wb().screenshot('kine-reveal-prompt.png');
    await dialog.getByRole('button', { name: 'Reveal' }).click();
    await wb().page.locator('.monaco-editor .view-line', { hasText: '3q2+7w==' }).first().waitFor({ timeout: 15_000 });
  });
});
