import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { launchChromium } from '../harness/browser';
import { startCodeServer, type CodeServer } from '../harness/codeServer';
import { startNatsServer, type NatsServer } from '../harness/natsServer';
import { repoRoot } from '../harness/tools';

const VSIX = join(repoRoot, 'nats-k3s.vsix');
const RESULTS = join(repoRoot, 'test-results');
const HOSTILE = '<img src=x onerror=alert(1)>';

async function seed(url: string): Promise<void> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'ORDERS', subjects: ['orders.>'] });
    await jsm.consumers.add('ORDERS', { durable_name: 'billing', filter_subject: 'orders.eu.>' });
    const js = jetstream(nc);
    for (let i = 1; i <= 8; i++) await js.publish(`orders.${i % 2 ? 'eu' : 'us'}.created`, JSON.stringify({ id: i, total: i * 7.5 }));
    await js.publish('orders.eu.note', HOSTILE);
    const kv = await new Kvm(nc).create('app-config', { history: 5 });
    await kv.put('feature.checkout', 'on');
    await kv.put('feature.search', 'off');
  } finally {
    await nc.close();
  }
}

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
    await seed(nats.url);
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
    if (failed && page) await page.screenshot({ path: join(RESULTS, 'ui-fail.png') }).catch(() => undefined);
    await browser?.close();
    await server?.stop({ keepDir: failed });
    await nats?.stop();
  });

  const view = () => page.locator('[id="workbench.view.extension.natsK3s"]');
  const row = (name: string | RegExp) => view().getByRole('treeitem', { name });

  it('opens the NATS view from the activity bar and browses the server, its streams and KV buckets', async () => {
    await page.locator('.activitybar').getByRole('tab', { name: /NATS/ }).click({ timeout: 60_000 });
    await row(/^default/).click({ timeout: 30_000 });
    await row(/^Server/).click({ timeout: 15_000 });
    await row(/nats-server 2\.\d+\.\d+/).waitFor({ timeout: 15_000 });
    await row(/^Streams/).click();
    await row(/^ORDERS/).waitFor({ timeout: 15_000 });
    await row(/^KV Buckets/).click();
    await row(/^app-config/).click({ timeout: 15_000 });
    await row(/^feature/).waitFor({ timeout: 15_000 });
    const rows = await view().getByRole('treeitem').allInnerTexts();
    assert.ok(rows.some((r) => r.startsWith('ORDERS') && r.includes('9 msgs')), `rows: ${rows.join(' | ')}`);

    const shot = join(RESULTS, 'nats-view.png');
    await page.mouse.move(900, 500); // no hover highlight in the picture
    await page.screenshot({ path: shot, animations: 'disabled' });
    // README shows a screenshot this test made; refresh it with UPDATE_README_SCREENSHOT=1 npm test.
    if (process.env.UPDATE_README_SCREENSHOT === '1') copyFileSync(shot, join(repoRoot, 'docs', 'nats-view.png'));
  });

  it('shows messages in the message browser, a hostile payload as plain text', async () => {
    await row(/^ORDERS/).click();
    // code-server nests a webview's page two frames deep.
    const frame: FrameLocator = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    const hostile = frame.locator('article.message', { hasText: 'orders.eu.note' });
    await hostile.waitFor({ timeout: 30_000 });
    assert.equal(await hostile.locator('pre.payload').innerText(), HOSTILE);
    assert.equal(await frame.locator('article.message img').count(), 0, 'the payload was not rendered as HTML');
    assert.equal(await frame.locator('article.message').count(), 9);
    await page.screenshot({ path: join(RESULTS, 'message-browser.png'), animations: 'disabled' });
  });
});
