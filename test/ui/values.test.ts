import * as assert from 'node:assert/strict';
import { useWorkbench } from './workbench';

describe('UI: values.yaml IntelliSense while typing', function () {
  this.timeout(120_000);

  const wb = useWorkbench(() => ({
    files: { 'nats-values.yaml': '# values for the NATS chart\nnats:\n  jetstream:\n    enabled: true\n' },
  }));

  it('flags a 0.x key, and offers chart keys as the user types', async () => {
    const page = wb().page;
    // Open the file from the Explorer view, as a user would.
    // Ctrl+Shift+E shows the Explorer (it never toggles the side bar off, as a click on its tab can).
    await page.keyboard.press('Control+Shift+E');
    await page
      .locator('.explorer-folders-view')
      .getByRole('treeitem', { name: /nats-values\.yaml/ })
      .click({ timeout: 30_000 });
    const editor = page.locator('.monaco-editor[data-uri$="nats-values.yaml"]');
    await editor.waitFor({ timeout: 15_000 });
    // The legacy key gets a squiggle from the extension's diagnostics.
    await editor.locator('.squiggly-error').first().waitFor({ timeout: 30_000 });
    await editor.locator('.view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('config:\n');
    // Start the line at column 0 whatever the editor's auto-indent did, then indent under config.
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+End');
    await page.keyboard.type('  jet');
    await page.keyboard.press('Control+Space');
    const labels = page.locator('.suggest-widget .monaco-list-row .label-name');
    await labels
      .filter({ hasText: /^jetstream$/ })
      .first()
      .waitFor({ timeout: 15_000 });
    const shown = await labels.allInnerTexts();
    assert.ok(shown.includes('jetstream'), shown.join(', '));
    await wb().screenshot('values-completion.png');
  });
});
