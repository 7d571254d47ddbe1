// The operations of issue #14 as a user drives them in the installed .vsix on a 3-node cluster: the Cluster node
// (every server, JetStream health) through a system-account connection, Services with a request from the endpoint's
// row, Object Stores with Show Object Info, Edit Stream… applied after the diff and the modal, and a consumer's counts.
import * as assert from 'node:assert/strict';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Objm } from '@nats-io/obj';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import type { Locator } from 'playwright-core';
import { startTestService, type TestService } from '../generators/services/microService';
import { useWorkbench } from './workbench';

const REPORT = 'a line of the quarterly report\n'.repeat(100); // 3,100 bytes: more than a KiB, so the size shows it

async function seed(urls: string[]): Promise<void> {
  const nc = await connect({ servers: urls });
  try {
    // R3 assets elect a leader each: on a loaded 2-core machine that can take longer than the 5 s default.
    const jsm = await jetstreamManager(nc, { timeout: 30_000 });
    // A fresh-clone run saw the first create on a new cluster go unanswered for 30 s: the same create again (it is
    // idempotent) once more before giving up.
    const orders = { name: 'ORDERS', subjects: ['orders.>'], num_replicas: 3 };
    await jsm.streams
      .add(orders)
      .catch((err: Error) => (err.name === 'TimeoutError' ? jsm.streams.add(orders) : Promise.reject(err)));
    // A long ack wait, so the message fetched below stays pending acknowledgement for the whole suite.
    await jsm.consumers.add('ORDERS', {
      durable_name: 'billing',
      filter_subject: 'orders.eu.>',
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(3_600_000),
    });
    const js = jetstream(nc, { timeout: 30_000 });
    for (let i = 1; i <= 8; i++) await js.publish(`orders.${i % 2 ? 'eu' : 'us'}.created`, JSON.stringify({ id: i }));
    // Four eu orders: one delivered and not acknowledged leaves 3 pending and 1 ack pending.
    const consumer = await js.consumers.get('ORDERS', 'billing');
    const fetched = await consumer.next({ expires: 10_000 });
    assert.ok(fetched, 'the consumer delivered a message');
    const objects = await new Objm(js).create('files', { replicas: 3, description: 'reports' });
    await objects.putBlob({ name: 'report.txt' }, new TextEncoder().encode(REPORT));
  } finally {
    await nc.close();
  }
}

describe('UI: JetStream operations on a 3-node cluster, installed from the .vsix', function () {
  this.timeout(180_000);

  const wb = useWorkbench(() => ({
    seed,
    cluster: true,
    // The system user (see the cluster harness) sees every server; the default connection is the APP account.
    settings: (urls) => ({
      // Whole lines in the editor, so a line of a document is one line on the screen.
      'editor.wordWrap': 'off',
      '[markdown]': { 'editor.wordWrap': 'off' },
      'natsK3s.connections': [{ name: 'ha-sys', servers: urls.join(','), auth: { kind: 'userPassword', user: 'sys' } }],
    }),
  }));

  let client: NatsConnection | undefined;
  let service: TestService | undefined;
  before(async () => {
    client = await connect({ servers: wb().nats.urls, name: 'ui-calc' });
    service = startTestService(client, {
      name: 'uicalc',
      version: '1.4.0',
      endpoints: [{ name: 'echo', subject: 'uicalc.echo', handle: (d) => `echo:${new TextDecoder().decode(d)}` }],
    });
    await client.flush();
  });
  // The workbench's own after hook has stopped the cluster by now: closing the connection ends the service.
  after(async () => {
    await client?.close();
  });

  const page = () => wb().page;
  /**
   * A row of one connection: both connections show Cluster, Streams, Services… and the tree lists the default
   * connection's rows before the system connection's. The list's `data-index` is that order (the DOM's may not be).
   */
  async function row(name: RegExp, under: 'default' | 'ha-sys' = 'default'): Promise<Locator> {
    const all = wb().row(name);
    await all.first().waitFor({ timeout: 30_000 });
    const indexes = (await all.evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-index'))))).sort(
      (x, y) => x - y,
    );
    const index = under === 'default' ? indexes[0] : indexes[indexes.length - 1];
    return wb().view().locator(`.monaco-list-row[data-index="${index}"]`);
  }
  /** Clicks a row only if it is folded (or only if it is open), as the tree remembers what was open. */
  async function setExpanded(name: RegExp, open: boolean, under: 'default' | 'ha-sys' = 'default'): Promise<void> {
    const r = await row(name, under);
    // The twistie, as a row with a command (a stream's messages, an instance's document) runs it on a click instead.
    if ((await r.getAttribute('aria-expanded')) !== String(open)) await r.locator('.monaco-tl-twistie').click();
    await r.and(wb().view().getByRole('treeitem', { name, expanded: open })).waitFor({ timeout: 30_000 });
  }

  it('Cluster: every server of the cluster, and JetStream health with every replica current', async () => {
    await wb().openNatsView();
    await wb().widenSideBar(260);
    // The password of the system connection, as a user sets it: its context menu, then the password box.
    await wb().contextMenu(wb().row(/^ha-sys/), 'Set Connection Secret…');
    const input = page().locator('.quick-input-widget input');
    await input.waitFor({ timeout: 15_000 });
    await input.fill('sys');
    await input.press('Enter');
    await setExpanded(/^ha-sys/, true);
    await setExpanded(/^Cluster/, true, 'ha-sys');
    // Each server's row: its name, then version, cluster and routes (the accessible name joins them with a comma).
    for (const name of ['n1', 'n2', 'n3'])
      await wb()
        .row(new RegExp(`^${name}, v2\\.\\d+\\.\\d+ · nats-k3s · 2 routes · 0 gateways · 0 leafnodes`))
        .waitFor({ timeout: 30_000 });
    assert.equal(
      await wb()
        .row(/^n\d, v2\./)
        .count(),
      3,
    );

    // Replicas catch up on their own time and the server has no event for it: the user clicks the row again.
    const healthy = wb().editorLine(
      /^All\s3\sstreams\sand\sconsumers\shave\sa\sleader\sand\severy\sreplica\scurrent\.$/,
    );
    const deadline = Date.now() + 90_000;
    for (;;) {
      await (await row(/^JetStream health/, 'ha-sys')).click();
      await wb()
        .editorLine(/^#\sJetStream\shealth\sof\sha-sys/)
        .waitFor({ timeout: 30_000 });
      if (await healthy.isVisible()) break;
      assert.ok(Date.now() < deadline, 'every replica current within 90 s');
      await healthy.waitFor({ timeout: 2_000 }).catch(() => undefined);
    }
    await wb()
      .editorLine(/^\|\sAPP\s\|\sORDERS\s\|\s–\s\|\sR3\s\|\shealthy\s\|/)
      .waitFor({ timeout: 15_000 });
    await wb()
      .editorLine(/^\|\sAPP\s\|\sORDERS\s\|\sbilling\s\|\sR3\s\|\shealthy\s\|/)
      .waitFor({ timeout: 15_000 });
    await wb().screenshot('cluster-health.png');
    await setExpanded(/^Cluster/, false, 'ha-sys');
  });

  /** Folds the system connection, so the default connection's Services, Streams… are the only rows of that name. */
  async function onlyDefault(): Promise<void> {
    await setExpanded(/^ha-sys/, false);
    await wb()
      .row(/^Services/)
      .nth(1)
      .waitFor({ state: 'detached', timeout: 15_000 });
  }

  it('Services: the test’s service with its endpoint; a request from the endpoint row answers in a document', async () => {
    await onlyDefault();
    await setExpanded(/^default/, true);
    // Expanding a connection the first time opens its session, and the connected state redraws the connection's
    // rows: a landing run saw the service's row open with no instance under it, once. Services folded and opened
    // again asks the bus again; the rows must show by the third time.
    const endpoint = wb().row(/^echo, uicalc\.echo · 0 req/);
    for (let attempt = 1; ; attempt++) {
      await setExpanded(/^Services/, true);
      await setExpanded(/^uicalc, /, true);
      const shown = await wb()
        .row(new RegExp(`^${service!.id}`))
        .first()
        .waitFor({ timeout: 10_000 })
        .then(
          () => true,
          () => false,
        );
      if (shown) break;
      await wb().screenshot(`services-attempt-${attempt}.png`);
      assert.ok(attempt < 3, `the instance ${service!.id} shows under uicalc`);
      await setExpanded(/^Services/, false);
    }
    await setExpanded(new RegExp(`^${service!.id}`), true);
    await endpoint.waitFor({ timeout: 15_000 });
    await endpoint.hover();
    await endpoint.locator('.action-label[aria-label^="Request Service Endpoint"]').click();
    const input = page().locator('.quick-input-widget input');
    await input.waitFor({ timeout: 15_000 });
    await input.fill('from the UI');
    await input.press('Enter');
    await wb()
      .editorLine(/^echo:from\sthe\sUI$/)
      .waitFor({ timeout: 30_000 });
    await wb().screenshot('service-request.png');
    await setExpanded(/^Services/, false);
  });

  it('Object Stores: the bucket and its object with their sizes; Show Object Info opens the info', async () => {
    await onlyDefault();
    await setExpanded(/^Object Stores/, true);
    await setExpanded(/^files/, true);
    const object = wb().row(/^report\.txt/);
    await object.waitFor({ timeout: 15_000 });
    const sizes = `${await wb()
      .row(/^files/)
      .getAttribute('aria-label')} | ${await object.getAttribute('aria-label')}`;
    assert.match(sizes, /^files, \d+(\.\d+)? KiB.* \| report\.txt, 3(\.0)? KiB/, sizes);
    await wb().contextMenu(object, 'Show Object Info');
    await wb()
      .editorLine(/"size":\s*3100/)
      .waitFor({ timeout: 30_000 });
    await wb()
      .editorLine(/"name":\s*"report\.txt"/)
      .waitFor({ timeout: 15_000 });
    await wb().screenshot('object-info.png');
    await setExpanded(/^Object Stores/, false);
  });

  it('Consumers: the consumer row shows pending and ack pending', async () => {
    await onlyDefault();
    await setExpanded(/^Streams/, true);
    // Its consumers under the stream's row.
    await setExpanded(/^ORDERS/, true);
    const consumer = wb().row(/^billing/);
    await consumer.waitFor({ timeout: 15_000 });
    const shown = String(await consumer.getAttribute('aria-label'));
    assert.match(shown, /pending 3 · ack pending 1/, shown);
    await wb().screenshot('consumer-counts.png');
  });

  it('Streams: Edit Stream…, max_msgs changed in the document, applied after the diff and the modal', async () => {
    await onlyDefault();
    await setExpanded(/^Streams/, true);
    await wb().contextMenu(await row(/^ORDERS/), 'Edit Stream…');
    const line = wb().editorLine(/"max_msgs":/);
    await line.waitFor({ timeout: 30_000 });
    const text = (await line.innerText()).replace(/\u00a0/g, ' ');
    assert.match(text, /"max_msgs": -1,?$/);
    // Typed as a user would: to the end of the line, the old value away, the new one in.
    await line.click();
    await page().keyboard.press('End');
    const old = text.endsWith(',') ? '-1,' : '-1';
    for (let i = 0; i < old.length; i++) await page().keyboard.press('Backspace');
    await page().keyboard.type(old.replace('-1', '500'));
    await wb()
      .editorLine(/"max_msgs":\s500/)
      .waitFor({ timeout: 15_000 });

    await page().locator('.editor-actions .action-label[aria-label^="Apply Stream Config"]').click({ timeout: 15_000 });
    const dialog = page().locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    assert.match(await dialog.innerText(), /Apply 1 change to stream ORDERS on 'default'\?/);
    assert.match(await dialog.innerText(), /max_msgs: -1 → 500/);
    const diff = page().locator('.monaco-diff-editor');
    await diff
      .locator('.view-line', { hasText: /"max_msgs":\s500/ })
      .first()
      .waitFor({ timeout: 15_000 });
    await wb().screenshot('stream-edit-diff.png');
    await dialog.locator('.monaco-button', { hasText: /^Apply$/ }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 15_000 });
    await page().locator('.notifications-toasts', { hasText: 'Stream ORDERS updated.' }).waitFor({ timeout: 30_000 });

    const nc = await connect({ servers: wb().nats.urls });
    try {
      const info = await (await jetstreamManager(nc, { timeout: 30_000 })).streams.info('ORDERS');
      assert.equal(info.config.max_msgs, 500);
      assert.equal(info.state.messages, 8, 'a higher limit keeps every message');
    } finally {
      await nc.close();
    }
  });
});
