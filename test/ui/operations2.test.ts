// The rest of issue #14's operations as a user drives them in the installed .vsix on a 3-node cluster: a KV bucket
// created through its input boxes, a key reverted to an earlier revision, a consumer created and paused, one stream
// message deleted, and the account's limits and usage. Each write is read back from the server with nats.js.
import * as assert from 'node:assert/strict';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { useWorkbench } from './workbench';

async function seed(urls: string[]): Promise<void> {
  const nc = await connect({ servers: urls });
  try {
    // R3 assets elect a leader each: on a loaded 2-core machine that can take longer than the 5 s default.
    const jsm = await jetstreamManager(nc, { timeout: 30_000 });
    await jsm.streams.add({ name: 'ORDERS', subjects: ['orders.>'], num_replicas: 3 });
    const js = jetstream(nc, { timeout: 30_000 });
    for (let i = 1; i <= 4; i++) await js.publish(`orders.${i}`, JSON.stringify({ id: i }));
    // A key with two revisions, so there is an older value to go back to.
    const kv = await new Kvm(js).create('config', { history: 5, replicas: 3 });
    await kv.put('color', 'red');
    await kv.put('color', 'blue');
  } finally {
    await nc.close();
  }
}

/** Runs `read` on a fresh connection to the cluster and closes it. */
async function fromServer<T>(urls: string[], read: (nc: NatsConnection) => Promise<T>): Promise<T> {
  const nc = await connect({ servers: urls });
  try {
    return await read(nc);
  } finally {
    await nc.close();
  }
}

describe('UI: more JetStream operations on a 3-node cluster, installed from the .vsix', function () {
  this.timeout(180_000);

  const wb = useWorkbench(() => ({
    seed,
    cluster: true,
    settings: { 'editor.wordWrap': 'off', '[markdown]': { 'editor.wordWrap': 'off' } },
  }));

  const page = () => wb().page;
  const input = () => page().locator('.quick-input-widget input');
  const dialog = () => page().locator('.monaco-dialog-box');

  /** Clicks a row's twistie only if it is folded (or open), as the tree remembers what was open. */
  async function setExpanded(name: RegExp, open: boolean): Promise<void> {
    const r = wb().row(name).first();
    await r.waitFor({ timeout: 30_000 });
    // The twistie, as a row with a command (a stream's messages, a key's value) runs it on a click instead.
    if ((await r.getAttribute('aria-expanded')) !== String(open)) await r.locator('.monaco-tl-twistie').click();
    await wb().view().getByRole('treeitem', { name, expanded: open }).first().waitFor({ timeout: 30_000 });
  }

  /**
   * Answers the input box or pick that shows `shown` (its prompt, or one of its items): types `text` if given, then
   * Enter. Waiting for the text first keeps an Enter from landing on the box before it.
   */
  async function answer(shown: string, text?: string): Promise<void> {
    await page().locator('.quick-input-widget', { hasText: shown }).waitFor({ timeout: 15_000 });
    if (text !== undefined) await input().fill(text);
    await input().press('Enter');
  }

  // A test that failed half way can leave a menu, a pick or a modal open: closed, so the next test starts clean.
  afterEach(async function () {
    if (this.currentTest?.state !== 'failed') return;
    for (let i = 0; i < 3; i++) await page().keyboard.press('Escape');
  });

  before(async () => {
    await wb().openNatsView();
    await wb().widenSideBar(260);
    await setExpanded(/^default/, true);
  });

  it('KV: Create KV Bucket… through its input boxes with the defaults; the bucket row appears', async () => {
    // Right-clicked while folded: below an open group, a bucket row can take the click as the tree re-renders.
    await setExpanded(/^KV Buckets/, false);
    await wb().contextMenu(wb().row(/^KV Buckets/), 'Create KV Bucket…');
    await answer('Bucket name', 'sessions');
    for (const prompt of ['Description (optional)', 'History:', 'TTL:', 'Max value size', 'Replicas:'])
      await answer(prompt);
    await answer('memory'); // the storage pick: its first item, file, is the server's default
    await page()
      .locator('.notifications-toasts', { hasText: "Created KV bucket sessions on 'default'." })
      .waitFor({ timeout: 30_000 });
    await setExpanded(/^KV Buckets/, true);
    await wb()
      .row(/^sessions/)
      .waitFor({ timeout: 30_000 });
    await wb().screenshot('kv-create-bucket.png');

    const status = await fromServer(wb().nats.urls, async (nc) =>
      (await new Kvm(jetstream(nc, { timeout: 30_000 })).open('sessions')).status(),
    );
    assert.equal(status.bucket, 'sessions');
    assert.equal(status.history, 1, 'the default history');
    assert.equal(status.streamInfo.config.storage, 'file');
  });

  it('KV: Revert to This Revision… on a key with history, after the modal; the newest value is the old one', async () => {
    await setExpanded(/^KV Buckets/, true);
    await setExpanded(/^config/, true);
    const key = wb().row(/^color/);
    await key.waitFor({ timeout: 30_000 });
    await wb().contextMenu(key, 'Revert to This Revision…');
    await answer('revision 1');
    await dialog().waitFor({ timeout: 30_000 });
    assert.match(await dialog().innerText(), /Revert key color in bucket config to revision 1\?/);
    await wb().screenshot('kv-revert-modal.png');
    await dialog()
      .locator('.monaco-button', { hasText: /^Revert Key$/ })
      .click();
    await dialog().waitFor({ state: 'hidden', timeout: 15_000 });
    await page()
      .locator('.notifications-toasts', { hasText: 'Reverted color to revision 1: stored as revision 3.' })
      .waitFor({ timeout: 30_000 });

    const entry = await fromServer(wb().nats.urls, async (nc) =>
      (await new Kvm(jetstream(nc, { timeout: 30_000 })).open('config')).get('color'),
    );
    assert.equal(entry?.string(), 'red');
    assert.equal(entry?.revision, 3, 'a new revision, the history kept');
    await setExpanded(/^KV Buckets/, false);
  });

  it('Consumers: Create Consumer… on a stream; the consumer row appears', async () => {
    await setExpanded(/^Streams/, true);
    await wb().contextMenu(wb().row(/^ORDERS/), 'Create Consumer…');
    await answer('Durable name', 'audit');
    await answer('Filter subjects', 'orders.>');
    await answer('last_per_subject', 'all'); // the deliver policy, filtered to one item
    await answer('explicit', 'explicit'); // the ack policy
    await answer('Max deliver', '5');
    await answer('Backoff:');
    await page()
      .locator('.notifications-toasts', { hasText: 'Consumer audit created on stream ORDERS.' })
      .waitFor({ timeout: 30_000 });
    // A stream with no consumers has no twistie: the refreshed row has one once the consumer is there.
    await wb()
      .view()
      .getByRole('treeitem', { name: /^ORDERS/, expanded: false })
      .waitFor({ timeout: 30_000 });
    await setExpanded(/^ORDERS/, true);
    const consumer = wb().row(/^audit/);
    await consumer.waitFor({ timeout: 30_000 });
    assert.match(String(await consumer.getAttribute('aria-label')), /pending 4 · ack pending 0/);
    await wb().screenshot('consumer-create.png');

    const info = await fromServer(wb().nats.urls, async (nc) =>
      (await jetstreamManager(nc, { timeout: 30_000 })).consumers.info('ORDERS', 'audit'),
    );
    assert.equal(info.config.durable_name, 'audit');
    assert.equal(info.config.filter_subject ?? info.config.filter_subjects?.[0], 'orders.>');
    assert.equal(info.config.ack_policy, 'explicit');
    assert.equal(info.config.max_deliver, 5);
  });

  it('Consumers: Pause Consumer… for an hour; the row says paused', async () => {
    await setExpanded(/^Streams/, true);
    await setExpanded(/^ORDERS/, true);
    const started = Date.now();
    await wb().contextMenu(wb().row(/^audit/), 'Pause Consumer…');
    await answer('Until when', '1h');
    const paused = wb().row(/^audit, .*paused until /);
    await paused.waitFor({ timeout: 30_000 });
    await wb().screenshot('consumer-paused.png');

    const info = await fromServer(wb().nats.urls, async (nc) =>
      (await jetstreamManager(nc, { timeout: 30_000 })).consumers.info('ORDERS', 'audit'),
    );
    assert.equal(info.paused, true);
    const until = Date.parse(String(info.config.pause_until));
    assert.ok(until > started + 50 * 60_000 && until < Date.now() + 70 * 60_000, String(info.config.pause_until));
  });

  it('Streams: Delete a Message… by its sequence, after the modal naming stream and sequence; it is gone', async () => {
    await setExpanded(/^Streams/, true);
    await wb().contextMenu(wb().row(/^ORDERS/), 'Delete a Message…');
    await answer('Sequence number', '2');
    await dialog().waitFor({ timeout: 30_000 });
    assert.match(await dialog().innerText(), /Delete message 2 of stream ORDERS on 'default'\?/);
    await wb().screenshot('stream-delete-message-modal.png');
    await dialog()
      .locator('.monaco-button', { hasText: /^Delete Message$/ })
      .click();
    await dialog().waitFor({ state: 'hidden', timeout: 15_000 });
    // The delete runs after the modal closes; it says which message went, and the refreshed row counts one less.
    await page()
      .locator('.notifications-toasts', { hasText: 'Deleted message 2 of stream ORDERS.' })
      .waitFor({ timeout: 30_000 });
    await wb()
      .row(/^ORDERS, 3 msgs/)
      .waitFor({ timeout: 30_000 });

    const state = await fromServer(wb().nats.urls, async (nc) => {
      const jsm = await jetstreamManager(nc, { timeout: 30_000 });
      const info = await jsm.streams.info('ORDERS', { deleted_details: true });
      const gone = await jsm.streams.getMessage('ORDERS', { seq: 2 }).then(
        (m) => m === null,
        () => true,
      );
      return { messages: info.state.messages, deleted: info.state.deleted, gone };
    });
    assert.equal(state.gone, true, 'message 2 is no longer stored');
    assert.equal(state.messages, 3);
    assert.deepEqual(state.deleted, [2]);
    await setExpanded(/^Streams/, false);
  });

  it('Account: Show JetStream Account Info on the Cluster row; the document shows limits and usage', async () => {
    await wb().contextMenu(wb().row(/^Cluster/), 'Show JetStream Account Info');
    await wb()
      .editorLine(/^#\sJetStream\saccount\sof\sdefault$/)
      .waitFor({ timeout: 30_000 });
    await wb()
      .editorLine(/^API:\s[\d,]+\srequests,\s\d+\serrors/)
      .waitFor({ timeout: 15_000 });
    await wb()
      .editorLine(/^\|\sTier\s+\|\sMemory\s+\|\sStorage\s+\|\sStreams\s+\|\sConsumers\s+\|/)
      .waitFor({
        timeout: 15_000,
      });
    // Usage against limits, with the counts the server itself gives for this account.
    const usage = await fromServer(wb().nats.urls, async (nc) =>
      (await jetstreamManager(nc, { timeout: 30_000 })).getAccountInfo(),
    );
    await wb()
      .editorLine(
        new RegExp(
          `^\\|[^|]+\\|.*\\sof\\s.*\\|.*\\sof\\s.*\\|\\s${usage.streams}\\sof\\s[^|]+\\|\\s${usage.consumers}\\sof\\s`,
        ),
      )
      .waitFor({ timeout: 15_000 });
    await wb().screenshot('account-info.png');
  });
});
