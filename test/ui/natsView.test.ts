import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../harness/browser';
import { startCodeServer, type CodeServer } from '../harness/codeServer';
import { startNatsServer, type NatsServer } from '../harness/natsServer';
import { repoRoot } from '../harness/tools';

const VSIX = join(repoRoot, 'nats-k3s.vsix');
const RESULTS = join(repoRoot, 'test-results');

// The extension as a user gets it: the built .vsix installed into a fresh code-server, no test driver.
describe('UI: the NATS view, installed from the .vsix', function () {
  this.timeout(120_000);
  let nats: NatsServer;
  let server: CodeServer;
  let browser: Browser;
  let page: Page;
  let failed = false;

  before(async () => {
    assert.ok(existsSync(VSIX), `${VSIX} is missing: run 'npm run package'`);
    mkdirSync(RESULTS, { recursive: true });
    nats = await startNatsServer();
    server = await startCodeServer({ install: [VSIX], settings: { 'natsK3s.defaultServerUrl': nats.url } });
    browser = await launchChromium(server.dir);
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(server.url);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') failed = true;
  });

  after(async () => {
    if (failed && page) await page.screenshot({ path: join(RESULTS, 'nats-view-fail.png') }).catch(() => undefined);
    await browser?.close();
    await server?.stop({ keepDir: failed });
    await nats?.stop();
  });

  it('opens the NATS view from the activity bar and shows the server behind the default connection', async () => {
    await page.locator('.activitybar').getByRole('tab', { name: /NATS/ }).click({ timeout: 60_000 });
    const view = page.locator('[id="workbench.view.extension.natsK3s"]');
    const connection = view.getByRole('treeitem', { name: new RegExp(nats.url.replace(/[.:/]/g, '\\$&')) });
    await connection.waitFor({ timeout: 30_000 });
    await connection.click();
    await view.getByRole('treeitem', { name: /nats-server 2\.\d+\.\d+/ }).waitFor({ timeout: 15_000 });
    await view.getByRole('treeitem', { name: /JetStream on/ }).waitFor({ timeout: 15_000 });
    const rows = await view.getByRole('treeitem').allInnerTexts();
    assert.ok(rows.some((r) => r.includes(nats.url)), `rows: ${rows.join(' | ')}`);

    const shot = join(RESULTS, 'nats-view.png');
    await page.mouse.move(900, 500); // no hover highlight in the picture
    await page.screenshot({ path: shot, animations: 'disabled' });
    assert.ok(existsSync(shot));
    // README shows a screenshot this test made; refresh it with UPDATE_README_SCREENSHOT=1 npm test.
    if (process.env.UPDATE_README_SCREENSHOT === '1') copyFileSync(shot, join(repoRoot, 'docs', 'nats-view.png'));
  });
});
