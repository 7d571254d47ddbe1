import * as assert from 'node:assert/strict';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { FrameLocator } from 'playwright-core';
import { useWorkbench } from './workbench';

const HOSTILE = '<img src=x onerror=alert(1)>';

async function seed(urls: string[]): Promise<void> {
  const nc = await connect({ servers: urls });
  try {
    // R3 assets elect a leader each: on a loaded 2-core machine that can take longer than the 5 s default.
    const jsm = await jetstreamManager(nc, { timeout: 30_000 });
    await jsm.streams.add({ name: 'ORDERS', subjects: ['orders.>'], num_replicas: 3 });
    await jsm.consumers.add('ORDERS', { durable_name: 'billing', filter_subject: 'orders.eu.>' });
    const js = jetstream(nc, { timeout: 30_000 });
    for (let i = 1; i <= 8; i++)
      await js.publish(`orders.${i % 2 ? 'eu' : 'us'}.created`, JSON.stringify({ id: i, total: i * 7.5 }));
    await js.publish('orders.eu.note', HOSTILE);
    const kv = await new Kvm(js).create('app-config', { history: 5, replicas: 3 });
    await kv.put('feature.checkout', 'on');
    await kv.put('feature.search', 'off');
    await kv.put('feature.search', JSON.stringify({ enabled: true, engine: 'v2' }));
  } finally {
    await nc.close();
  }
}

// The extension as a user gets it: the built .vsix installed into a fresh code-server, no test driver.
describe('UI: the NATS explorer, installed from the .vsix', function () {
  this.timeout(120_000);

  // The seed's shape: a 3-node JetStream cluster with replicated streams and buckets.
  const wb = useWorkbench(() => ({ seed, cluster: true }));

  it('opens the NATS view from the activity bar and browses the server, its streams and KV buckets', async () => {
    await wb().openNatsView();
    await wb().widenSideBar(220);
    await wb()
      .row(/^default/)
      .click({ timeout: 30_000 });
    await wb()
      .row(/^Server/)
      .click({ timeout: 15_000 });
    await wb()
      .row(/nats-server 2\.\d+\.\d+/)
      .waitFor({ timeout: 15_000 });
    // The server's name, cluster and version on its row; its 56-character ID only in the tooltip.
    const server = await wb()
      .row(/^Server/)
      .innerText();
    assert.match(server, /^Server\s*n\d · cluster \S+ · v2\.\d+\.\d+$/);
    // Each opened by its twistie and seen open: a click while the rows above still load can land on a moved row.
    await wb().expand(/^Streams/);
    await wb()
      .row(/^ORDERS/)
      .waitFor({ timeout: 15_000 });
    await wb().expand(/^KV Buckets/);
    await wb().expand(/^app-config/);
    await wb()
      .row(/^feature/)
      .waitFor({ timeout: 15_000 });
    const rows = await wb().view().getByRole('treeitem').allInnerTexts();
    assert.ok(
      rows.some((r) => r.startsWith('ORDERS') && r.includes('9 msgs') && /R3 · leader n\d/.test(r)),
      `rows: ${rows.join(' | ')}`,
    );
    assert.ok(
      rows.some((r) => r.startsWith('app-config') && /R3 · leader n\d/.test(r)),
      `rows: ${rows.join(' | ')}`,
    );
    await wb().screenshot('nats-view.png');
  });

  it('shows messages in the message browser, a hostile payload as plain text', async () => {
    await wb()
      .row(/^ORDERS/)
      .click();
    // code-server nests a webview's page two frames deep.
    const frame: FrameLocator = wb().page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    const hostile = frame.locator('article.message', { hasText: 'orders.eu.note' });
    await hostile.waitFor({ timeout: 30_000 });
    assert.equal(await hostile.locator('pre.payload').innerText(), HOSTILE);
    assert.equal(await frame.locator('article.message img').count(), 0, 'the payload was not rendered as HTML');
    assert.equal(await frame.locator('article.message').count(), 9);
    await wb().screenshot('message-browser.png');
  });

  it("compares a KV key's revisions in the diff editor", async () => {
    await wb()
      .row(/^feature/)
      .click();
    const search = wb().row(/^search/);
    // Hover, not click: a click also opens the value, and that editor taking focus can close the quick pick.
    await search.hover({ timeout: 15_000 });
    await search.locator('.action-label[aria-label^="History"]').click();
    await wb()
      .page.locator('.quick-input-list .monaco-list-row', { hasText: 'compare with previous' })
      .first()
      .click({ timeout: 15_000 });
    const diff = wb().page.locator('.monaco-diff-editor');
    await diff.waitFor({ timeout: 15_000 });
    await diff.locator('.view-line', { hasText: '"engine": "v2"' }).first().waitFor({ timeout: 15_000 });
    await wb().screenshot('kv-history-diff.png');
  });

  it('samples live subjects into a tree with counts', async () => {
    const nc: NatsConnection = await connect({ servers: wb().nats.urls });
    try {
      await wb()
        .row(/^Subjects/)
        .click();
      // Live traffic while the sampler (started by the expand) fills the tree: 50 messages every 100 ms.
      const traffic = setInterval(() => {
        for (let i = 0; i < 50; i++) nc.publish(`telemetry.node${i % 3}.cpu`, String(i));
      }, 100);
      try {
        await wb()
          .row(/^telemetry/)
          .click({ timeout: 15_000 });
      } finally {
        clearInterval(traffic);
      }
      await wb()
        .row(/^node1/)
        .waitFor({ timeout: 15_000 });
      const text = await wb()
        .row(/^telemetry/)
        .innerText();
      assert.match(text, /\d+ msgs/);
      await wb().screenshot('subject-tree.png');
    } finally {
      await nc.close();
    }
  });

  it('tails a subject live in a bounded view', async () => {
    const nc: NatsConnection = await connect({ servers: wb().nats.urls });
    try {
      const telemetry = wb().row(/^telemetry/);
      await telemetry.hover();
      await telemetry.locator('.action-label[aria-label^="Tail"]').click();
      // The subject box comes filled with the node's wildcard; Enter accepts it.
      const input = wb().page.locator('.quick-input-widget input');
      await input.waitFor({ timeout: 15_000 });
      assert.equal(await input.inputValue(), 'telemetry.>');
      await input.press('Enter');
      // Each step waited for on its own, so a slow run says which one it was stuck at.
      await wb().page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 15_000 });
      await wb().page.locator('.tab', { hasText: 'Tail telemetry.>' }).waitFor({ timeout: 15_000 });
      // The visible webview: a hidden one another test opened may still be in the page.
      const frame: FrameLocator = wb()
        .page.frameLocator('iframe.webview.ready >> visible=true')
        .frameLocator('iframe#active-frame');
      await frame.locator('.toolbar [aria-label="Pause"]').waitFor({ timeout: 30_000 });
      // The status line comes with the first batch, once the extension has subscribed.
      await frame.locator('.status', { hasText: /^telemetry\.> · / }).waitFor({ timeout: 15_000 });
      const traffic = setInterval(() => nc.publish('telemetry.node7.cpu', '<b>42</b>'), 100);
      try {
        const card = frame.locator('article.message', { hasText: 'telemetry.node7.cpu' }).first();
        await card.waitFor({ timeout: 15_000 });
        assert.equal(await card.locator('pre.payload').innerText(), '<b>42</b>');
        assert.equal(await frame.locator('article.message b').count(), 0, 'payloads stay text');
      } finally {
        clearInterval(traffic);
      }
      await wb().screenshot('live-tail.png');
    } finally {
      await nc.close();
    }
  });

  it('brings the tail tab back, tailing again, after the window reloads', async () => {
    const nc: NatsConnection = await connect({ servers: wb().nats.urls });
    try {
      // As a user reloads: the command shuts the window down properly, so its open tabs are saved first.
      await wb().runCommand('Developer: Reload Window');
      await wb().page.locator('.tab', { hasText: 'Tail telemetry.>' }).click({ timeout: 60_000 });
      const frame: FrameLocator = wb()
        .page.frameLocator('iframe.webview.ready >> visible=true')
        .frameLocator('iframe#active-frame');
      await frame.locator('.toolbar [aria-label="Pause"]').waitFor({ timeout: 30_000 });
      const traffic = setInterval(() => nc.publish('telemetry.node8.cpu', 'after the reload'), 100);
      try {
        await frame.locator('article.message', { hasText: 'telemetry.node8.cpu' }).first().waitFor({ timeout: 15_000 });
      } finally {
        clearInterval(traffic);
      }
      assert.match(await frame.locator('.status').innerText(), /^telemetry\.> · /);
    } finally {
      await nc.close();
    }
  });
});
