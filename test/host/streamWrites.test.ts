// Stream and consumer writes through the registered commands on a real 3-node JetStream cluster, each effect read
// back from the server: create from the defaults document (edited in an editor, applied with a diff and a modal),
// edit, copy, purge below a sequence, delete and republish a message, seal, leader step-down, consumer create, edit,
// pause and resume (or, on 2.9.10, refused with the version needed). Read-only mode refuses every one of them even
// when every prompt is confirmed.
import * as assert from 'node:assert/strict';
import { AckPolicy, jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import * as vscode from 'vscode';
import type { NatsK3sApi } from '../../src/extension';
import { atLeast } from '../../src/core/nats/cluster/serverFeatures';
import { startNatsCluster, type NatsCluster } from '../harness/natsCluster';
import { startNatsServer } from '../harness/natsServer';
import { tools } from '../harness/tools';
import { api, find, until } from './explorerHelpers';
import { ACCEPT, ScriptedPrompts } from './prompts';

const config = () => vscode.workspace.getConfiguration('natsK3s');

/** Re-reads `read` until `pred` holds: a leader change has no event a client can wait on. */
async function serverUntil<T>(read: () => Promise<T>, pred: (v: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  let last: unknown;
  for (;;) {
    try {
      const v = await read();
      last = v;
      if (pred(v)) return v;
    } catch (err) {
      // an election in progress answers with an error for a moment
      last = String(err);
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last)?.slice(0, 800)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('extension host: stream and consumer writes on a 3-node cluster', function () {
  this.timeout(240_000);
  let cluster: NatsCluster;
  let outside: NatsConnection;
  let jsm: JetStreamManager;
  let prompts: ScriptedPrompts;
  let a: NatsK3sApi;

  const streamNode = async (name: string) => find(a, 'ha', 'Streams', name);
  const consumerNode = async (stream: string, name: string) => find(a, 'ha', 'Streams', stream, name);
  const errors = () =>
    prompts
      .take()
      .filter((p) => p.kind === 'showErrorMessage')
      .map((p) => p.text);

  before(async () => {
    cluster = await startNatsCluster();
    await cluster.waitHealthy();
    outside = await connect({ servers: cluster.urls, name: 'checker' });
    jsm = await jetstreamManager(outside, { timeout: 30_000 });
    await config().update('connections', [{ name: 'ha', servers: cluster.urls.join(',') }], 1);
    a = await api();
    await until(
      a.connections.onDidChange,
      async () => (await a.connections.list()).some((c) => c.spec.name === 'ha'),
      'the connection',
    );
    await a.explorer.getChildren(await find(a, 'ha'));
    await until(
      a.connections.onDidChange,
      async () => (await a.connections.list()).find((c) => c.spec.name === 'ha')?.session?.state.kind === 'connected',
      "'ha' to connect",
      30_000,
    );
    prompts = new ScriptedPrompts().install();
  });
  after(async () => {
    prompts?.restore();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await config().update('connections', undefined, 1);
    await config().update('readOnly', undefined, 1);
    await outside?.close();
    await cluster?.stop();
  });

  it('creates a stream from the defaults document: edited in the editor, applied after a diff and a modal', async () => {
    prompts
      .once('showInputBox', /^New stream on 'ha' — Stream name/, 'ORDERS')
      .once('showInputBox', /^Subjects of ORDERS/, 'orders.>')
      .once('showWarningMessage', /^Create stream ORDERS on 'ha'\?/, 'Create');
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>(
      'natsK3s.stream.create',
      await find(a, 'ha', 'Streams'),
    );
    const shown = JSON.parse(editor.document.getText()) as Record<string, unknown>;
    // The document shows the server's defaults before anything exists on the server.
    assert.equal(shown.max_msgs, -1);
    assert.equal(shown.retention, 'limits');
    assert.equal(shown.duplicate_window, 120_000_000_000);
    await editor.edit((b) =>
      b.replace(
        new vscode.Range(0, 0, editor.document.lineCount, 0),
        JSON.stringify({ ...shown, num_replicas: 3, description: 'orders' }, null, 2),
      ),
    );
    assert.equal(await vscode.commands.executeCommand('natsK3s.stream.applyConfig'), 'ORDERS');
    const asked = prompts.take();
    assert.ok(asked.some((p) => p.modal && /Create stream ORDERS on 'ha'/.test(p.text)));
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputTextDiff, 'the config diff is open');
    // The draft is an unsaved document: revert it so closing the editors later asks nothing.
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    const info = await jsm.streams.info('ORDERS');
    assert.equal(info.config.num_replicas, 3);
    assert.equal(info.config.description, 'orders');
    const js = jetstream(outside);
    for (let i = 1; i <= 10; i++) await js.publish(i % 2 ? 'orders.eu' : 'orders.us', `o${i}`);
  });

  it('edits a stream: the modal names it and the lower limit that removes messages; the server applies it', async () => {
    const cfg = (await jsm.streams.info('ORDERS')).config;
    prompts.once('showWarningMessage', /^Apply 1 change to stream ORDERS on 'ha'\?\nmax_msgs: -1 → 8/, 'Apply');
    const applied = await vscode.commands.executeCommand('natsK3s.stream.edit', await streamNode('ORDERS'), {
      config: JSON.stringify({ ...cfg, max_msgs: 8 }),
    });
    assert.equal(applied, 'ORDERS');
    assert.match(prompts.take().find((p) => p.modal)!.text, /max_msgs can remove stored messages/);
    const info = await jsm.streams.info('ORDERS');
    assert.equal(info.config.max_msgs, 8);
    assert.equal(info.state.messages, 8);

    // Backing out of the modal leaves the stream as it was.
    prompts.once('showWarningMessage', /^Apply 1 change to stream ORDERS/, undefined);
    await vscode.commands.executeCommand('natsK3s.stream.edit', await streamNode('ORDERS'), {
      config: JSON.stringify({ ...cfg, max_msgs: 2 }),
    });
    prompts.take();
    assert.equal((await jsm.streams.info('ORDERS')).state.messages, 8);

    // A broken document is one sentence naming the field; nothing is sent.
    await vscode.commands.executeCommand('natsK3s.stream.edit', await streamNode('ORDERS'), {
      config: JSON.stringify({ ...cfg, retention: 'forever' }),
    });
    assert.deepEqual(errors(), [
      '"retention" must be one of "limits", "interest", "workqueue"; fix it and apply again.',
    ]);
  });

  it('deletes one message, purges below a sequence and republishes a message, each after its modal', async () => {
    prompts.once('showWarningMessage', /^Delete message 4 of stream ORDERS on 'ha'\?/, 'Delete Message');
    assert.equal(
      await vscode.commands.executeCommand('natsK3s.stream.deleteMessage', await streamNode('ORDERS'), { seq: 4 }),
      true,
    );
    assert.deepEqual(
      prompts
        .take()
        .filter((p) => p.kind === 'showInformationMessage')
        .map((p) => p.text),
      ['Deleted message 4 of stream ORDERS.'],
    );
    prompts.once('showInputBox', /^Purge ORDERS below a sequence/, '6');
    prompts.once('showWarningMessage', /^Purge every message below sequence 6 in stream ORDERS on 'ha'\?/, 'Purge');
    assert.equal(await vscode.commands.executeCommand('natsK3s.stream.purgeUpTo', await streamNode('ORDERS')), 2);
    prompts.once('showInputBox', /^Republish message 7 of ORDERS/, 'orders.replay');
    await vscode.commands.executeCommand('natsK3s.stream.republish', await streamNode('ORDERS'), { seq: 7 });
    prompts.take();
    const state = (await jsm.streams.info('ORDERS')).state;
    assert.equal(state.first_seq, 6);
    const copy = await jsm.streams.getMessage('ORDERS', { last_by_subj: 'orders.replay' });
    assert.equal(copy?.string(), 'o7');
  });

  it('copies a stream config and seals the copy after a modal naming it', async () => {
    prompts
      .once('showInputBox', /^Copy stream ORDERS/, 'ORDERS_COPY')
      .once('showInputBox', /^Subjects of ORDERS_COPY/, 'copy.>');
    await vscode.commands.executeCommand('natsK3s.stream.copy', await streamNode('ORDERS'));
    const copy = await jsm.streams.info('ORDERS_COPY');
    assert.equal(copy.config.max_msgs, 8);
    assert.equal(copy.state.messages, 0);
    prompts.once('showWarningMessage', /^Seal stream ORDERS_COPY on 'ha'\?/, 'Seal');
    assert.equal(await vscode.commands.executeCommand('natsK3s.stream.seal', await streamNode('ORDERS_COPY')), true);
    prompts.take();
    assert.equal((await jsm.streams.info('ORDERS_COPY')).config.sealed, true);
  });

  it('creates a consumer through its prompts, edits it, and shows its counts on the node', async () => {
    prompts
      .once('showInputBox', /^New consumer on ORDERS — Durable name/, 'billing')
      .once('showInputBox', /^New consumer on ORDERS — Filter subjects/, 'orders.eu')
      .once('showQuickPick', /Deliver policy/, 'all')
      .once('showQuickPick', /Ack policy/, 'explicit')
      .once('showInputBox', /Max deliver/, '5')
      .once('showInputBox', /Backoff/, '1, 5');
    assert.equal(
      await vscode.commands.executeCommand('natsK3s.consumer.create', await streamNode('ORDERS')),
      'billing',
    );
    prompts.take();
    const ci = await jsm.consumers.info('ORDERS', 'billing');
    assert.equal(ci.config.filter_subject, 'orders.eu');
    assert.equal(ci.config.max_deliver, 5);
    assert.deepEqual(ci.config.backoff, [1e9, 5e9]);
    const node = await consumerNode('ORDERS', 'billing');
    const item = a.explorer.getTreeItem(node);
    assert.match(String(item.description), /^pending 2 · ack pending 0/);
    assert.match(String(item.tooltip), /ack floor 0, redelivered 0/);

    prompts.once('showWarningMessage', /^Apply the edit to consumer billing of stream ORDERS on 'ha'\?/, 'Apply');
    await vscode.commands.executeCommand('natsK3s.consumer.edit', node, {
      spec: { durable: 'billing', filterSubjects: ['orders.eu'], ackPolicy: 'explicit', maxDeliver: 10 },
    });
    prompts.take();
    const edited = await jsm.consumers.info('ORDERS', 'billing');
    assert.equal(edited.config.max_deliver, 10);
    assert.equal(edited.config.backoff, undefined);
  });

  it('pauses and resumes a consumer on 2.11+, or refuses with the version it needs', async () => {
    const version = outside.info!.version;
    await vscode.commands.executeCommand('natsK3s.consumer.pause', await consumerNode('ORDERS', 'billing'), {
      until: '2h',
    });
    if (atLeast(version, '2.11.0')) {
      prompts.take();
      // The pause, like the resume below, is applied through the consumer's Raft group: read back until it shows.
      await serverUntil(
        () => jsm.consumers.info('ORDERS', 'billing'),
        (i) => i.paused === true,
        'the consumer paused',
      );
      assert.match(String(a.explorer.getTreeItem(await consumerNode('ORDERS', 'billing')).description), /paused until/);
      await vscode.commands.executeCommand('natsK3s.consumer.resume', await consumerNode('ORDERS', 'billing'));
      prompts.take();
      // The resume is applied through the consumer's Raft group; the server has no event for it, so read it back
      // until it shows (a few tries at most).
      const deadline = Date.now() + 10_000;
      while ((await jsm.consumers.info('ORDERS', 'billing')).paused && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 200));
      assert.ok(!(await jsm.consumers.info('ORDERS', 'billing')).paused);
    } else {
      assert.deepEqual(errors(), [
        `Pausing a consumer needs nats-server 2.11.0 and this server runs ${version}; upgrade the server to use it.`,
      ]);
    }
  });

  it('on a server older than 2.11 the consumer menu leaves out Pause and Resume, and the tooltip says why', async () => {
    assert.equal(a.explorer.getTreeItem(await consumerNode('ORDERS', 'billing')).contextValue, 'consumer');
    const old = await startNatsServer({ binary: tools().natsServerOldest });
    const nc = await connect({ servers: old.url });
    try {
      const oldJsm = await jetstreamManager(nc);
      await oldJsm.streams.add({ name: 'LEGACY', subjects: ['legacy.>'] });
      await oldJsm.consumers.add('LEGACY', { durable_name: 'reader', ack_policy: AckPolicy.Explicit });
      await config().update(
        'connections',
        [
          { name: 'ha', servers: cluster.urls.join(',') },
          { name: 'old', servers: old.url },
        ],
        1,
      );
      await until(
        a.connections.onDidChange,
        async () => (await a.connections.list()).some((c) => c.spec.name === 'old'),
        "the connection 'old'",
      );
      const item = a.explorer.getTreeItem(await find(a, 'old', 'Streams', 'LEGACY', 'reader'));
      assert.equal(item.contextValue, 'consumer.noPause');
      assert.match(
        String(item.tooltip),
        /Pause and resume need nats-server 2\.11\.0 \(this server runs 2\.9\.\d+\); the menu leaves them out\./,
      );
    } finally {
      await config().update('connections', [{ name: 'ha', servers: cluster.urls.join(',') }], 1);
      await nc.close();
      await old.stop();
    }
  });

  it('steps down the stream and consumer leaders after modals naming them', async () => {
    // A request that lands mid-election can go unanswered: poll with a short timeout instead of the 30 s one.
    const quick = await jetstreamManager(outside, { timeout: 1_000 });
    const streamLeader = (await jsm.streams.info('ORDERS')).cluster?.leader;
    prompts.once('showWarningMessage', /^Step down the leader .*of stream ORDERS on 'ha'\?/, 'Step Down');
    assert.equal(await vscode.commands.executeCommand('natsK3s.stream.stepDown', await streamNode('ORDERS')), true);
    await serverUntil(
      () => quick.streams.info('ORDERS'),
      (i) => Boolean(i.cluster?.leader) && i.cluster?.leader !== streamLeader,
      'a new stream leader',
    );
    const consumerLeader = (
      await serverUntil(
        () => quick.consumers.info('ORDERS', 'billing'),
        (i) => Boolean(i.cluster?.leader),
        'a consumer leader',
      )
    ).cluster?.leader;
    prompts.once(
      'showWarningMessage',
      /^Step down the leader of consumer billing of stream ORDERS on 'ha'\?/,
      'Step Down',
    );
    assert.equal(
      await vscode.commands.executeCommand('natsK3s.consumer.stepDown', await consumerNode('ORDERS', 'billing')),
      true,
    );
    prompts.take();
    await serverUntil(
      () => quick.consumers.info('ORDERS', 'billing'),
      (i) => Boolean(i.cluster?.leader) && i.cluster?.leader !== consumerLeader,
      'a new consumer leader',
    );
  });

  it('read-only mode refuses every write even when every prompt is confirmed, and the server is unchanged', async () => {
    const stream = await streamNode('ORDERS');
    const consumer = await consumerNode('ORDERS', 'billing');
    const before = await jsm.streams.info('ORDERS');
    const consumerBefore = await jsm.consumers.info('ORDERS', 'billing');
    await config().update('readOnly', true, 1);
    try {
      for (const kind of ['showWarningMessage', 'showInputBox', 'showQuickPick'] as const)
        prompts.always(kind, /[\s\S]*/, ACCEPT);
      const runs: Array<[string, ...unknown[]]> = [
        ['natsK3s.stream.create', await find(a, 'ha', 'Streams'), { config: JSON.stringify({ name: 'RO' }) }],
        ['natsK3s.stream.edit', stream, { config: JSON.stringify({ ...before.config, max_msgs: 1 }) }],
        ['natsK3s.stream.copy', stream, { name: 'RO_COPY', subjects: ['ro.>'] }],
        ['natsK3s.stream.seal', stream],
        ['natsK3s.stream.purgeUpTo', stream, { seq: 100 }],
        ['natsK3s.stream.deleteMessage', stream, { seq: 8 }],
        ['natsK3s.stream.republish', stream, { seq: 8, subject: 'orders.ro' }],
        ['natsK3s.stream.stepDown', stream],
        ['natsK3s.consumer.create', stream, { spec: { durable: 'ro' } }],
        ['natsK3s.consumer.edit', consumer, { spec: { durable: 'billing', maxDeliver: 1 } }],
        ['natsK3s.consumer.pause', consumer, { until: '1h' }],
        ['natsK3s.consumer.resume', consumer],
        ['natsK3s.consumer.stepDown', consumer],
      ];
      for (const [id, ...args] of runs) await vscode.commands.executeCommand(id, ...args);
      const asked = prompts.take();
      assert.deepEqual(
        asked.filter((p) => p.modal).map((p) => p.text),
        [],
        'no modal was even asked',
      );
      const refusals = asked.filter((p) => p.kind === 'showErrorMessage').map((p) => p.text);
      assert.equal(refusals.length, runs.length, refusals.join(' | '));
      for (const r of refusals) assert.match(r, /natsK3s\.readOnly/);
      const after = await jsm.streams.info('ORDERS');
      assert.deepEqual(after.config, before.config);
      assert.deepEqual(after.state, before.state);
      const consumerAfter = await jsm.consumers.info('ORDERS', 'billing');
      assert.deepEqual(consumerAfter.config, consumerBefore.config);
      const names: string[] = [];
      for await (const s of jsm.streams.names()) names.push(s);
      assert.deepEqual(names.sort(), ['ORDERS', 'ORDERS_COPY']);
      const consumers: string[] = [];
      for await (const c of jsm.consumers.list('ORDERS')) consumers.push(c.name);
      assert.deepEqual(consumers, ['billing']);
    } finally {
      await config().update('readOnly', undefined, 1);
    }
  });
});
