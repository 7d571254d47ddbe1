// Each explorer command run with arguments that skip its prompts, against data this file seeds with nats.js on the
// runner's server. Modal dialogs are refused in this host, so destructive commands must leave everything in place.
import * as assert from 'node:assert/strict';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import * as vscode from 'vscode';
import type { ReplyView } from '../../src/core/nats/publish';
import type { LiveTailPanel } from '../../src/vscode/liveTail/liveTailPanel';
import { allTabs, api, find, labelsOf, tabWhere, until } from './explorerHelpers';

const natsUrl = process.env.NATS_K3S_TEST_NATS_URL!;
const config = () => vscode.workspace.getConfiguration('natsK3s');

describe('extension host: explorer commands with arguments', () => {
  let nc: NatsConnection;
  let firstRevision = 0;
  let secondRevision = 0;

  before(async () => {
    nc = await connect({ servers: natsUrl });
    const jsm = await jetstreamManager(nc);
    // Only cmds.> is stored; the ad-hoc traffic below uses adhoc.* so the stream neither answers requests nor grows.
    await jsm.streams.add({ name: 'CMDS', subjects: ['cmds.>'] });
    await jsm.consumers.add('CMDS', { durable_name: 'audit', filter_subject: 'cmds.audit.>' });
    for (let i = 0; i < 5; i++) await jetstream(nc).publish(`cmds.audit.${i}`, `entry ${i}`);
    const kv = await new Kvm(nc).create('cmd-kv', { history: 5 });
    firstRevision = await kv.put('greeting', 'hello');
    secondRevision = await kv.put('greeting', 'hello, world');
    // Another file may have left read-only on; these tests write.
    await config().update('readOnly', undefined, vscode.ConfigurationTarget.Global);
    (await api()).connections.applyReadOnly();
  });

  after(async () => {
    await config().update('readOnly', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await nc?.close();
  });

  it('consumer info opens the consumer as JSON', async () => {
    const a = await api();
    await vscode.commands.executeCommand('natsK3s.consumer.info', await find(a, 'default', 'Streams', 'CMDS', 'audit'));
    const doc = vscode.window.activeTextEditor?.document;
    assert.equal(doc?.languageId, 'json');
    const info = JSON.parse(doc!.getText()) as { name: string; stream_name: string; num_pending: number };
    assert.equal(info.name, 'audit');
    assert.equal(info.stream_name, 'CMDS');
    assert.equal(info.num_pending, 5);
  });

  it('kv.put stores a key given as arguments and returns its revision', async () => {
    const a = await api();
    const revision = await vscode.commands.executeCommand<number>(
      'natsK3s.kv.put',
      await find(a, 'default', 'KV Buckets', 'cmd-kv'),
      { key: 'notes.first', value: 'v1' },
    );
    assert.ok(typeof revision === 'number' && revision > secondRevision, `revision ${revision}`);
    const entry = await (await new Kvm(nc).open('cmd-kv')).get('notes.first');
    assert.equal(entry?.string(), 'v1');
    assert.equal(entry?.revision, revision);
    assert.deepEqual(await labelsOf(a, await find(a, 'default', 'KV Buckets', 'cmd-kv', 'notes')), ['first']);
  });

  it('kv.put refuses an invalid key given as an argument', async () => {
    const a = await api();
    const revision = await vscode.commands.executeCommand(
      'natsK3s.kv.put',
      await find(a, 'default', 'KV Buckets', 'cmd-kv'),
      { key: 'has space', value: 'x' },
    );
    assert.equal(revision, undefined);
    assert.equal(await (await new Kvm(nc).open('cmd-kv')).get('has space').catch(() => null), null);
  });

  it('kv.showValue opens the latest value', async () => {
    const a = await api();
    await vscode.commands.executeCommand(
      'natsK3s.kv.showValue',
      await find(a, 'default', 'KV Buckets', 'cmd-kv', 'greeting'),
    );
    assert.equal(vscode.window.activeTextEditor?.document.getText(), 'hello, world');
    // Its tab says which revision it is and when it was written.
    assert.match(
      decodeURIComponent(vscode.window.activeTextEditor?.document.uri.path ?? ''),
      new RegExp(`/greeting · revision ${secondRevision} · \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC$`),
    );
  });

  it('kv.history with a revision opens the diff with the revision before it', async () => {
    const a = await api();
    const uris = await vscode.commands.executeCommand<{ left: vscode.Uri; right: vscode.Uri }>(
      'natsK3s.kv.history',
      await find(a, 'default', 'KV Buckets', 'cmd-kv', 'greeting'),
      { revision: secondRevision },
    );
    assert.ok(uris, 'the command returns the two sides');
    assert.match(uris.left.path, new RegExp(`/cmd-kv/greeting@${firstRevision}$`));
    assert.match(uris.right.path, new RegExp(`/cmd-kv/greeting@${secondRevision}$`));
    const tab = await tabWhere(
      (t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.toString() === uris.right.toString(),
      'the history diff tab',
    );
    const input = tab.input as vscode.TabInputTextDiff;
    assert.equal(input.original.toString(), uris.left.toString());
    assert.equal((await vscode.workspace.openTextDocument(input.original)).getText(), 'hello');
    assert.equal((await vscode.workspace.openTextDocument(input.modified)).getText(), 'hello, world');
    assert.equal(tab.label, `greeting: revision ${firstRevision} ↔ ${secondRevision}`);
  });

  it('kv.history refuses a revision the key does not have', async () => {
    const a = await api();
    const result = await vscode.commands.executeCommand(
      'natsK3s.kv.history',
      await find(a, 'default', 'KV Buckets', 'cmd-kv', 'greeting'),
      { revision: 9_999 },
    );
    assert.equal(result, undefined);
  });

  it('publish sends subject, payload and headers given as arguments', async () => {
    const a = await api();
    const sub = nc.subscribe('adhoc.pub.test', { max: 1 });
    await nc.flush();
    await vscode.commands.executeCommand('natsK3s.publish', await find(a, 'default'), {
      subject: 'adhoc.pub.test',
      payload: '{"n":1}',
      headers: { 'X-Trace': 'abc', 'Content-Type': 'application/json' },
    });
    for await (const m of sub) {
      assert.equal(m.string(), '{"n":1}');
      assert.equal(m.headers?.get('X-Trace'), 'abc');
      assert.equal(m.headers?.get('Content-Type'), 'application/json');
    }
    assert.equal(sub.getProcessed(), 1);
  });

  it('request returns the reply and shows it as a document', async () => {
    const a = await api();
    const responder = nc.subscribe('adhoc.svc.echo', {
      callback: (_err, m) => {
        const h = headers();
        h.set('Served-By', 'test');
        m.respond(`echo:${m.string()}:${m.headers?.get('Q') ?? ''}`, { headers: h });
      },
    });
    try {
      await nc.flush();
      const reply = await vscode.commands.executeCommand<ReplyView>('natsK3s.request', await find(a, 'default'), {
        subject: 'adhoc.svc.echo',
        payload: 'ping',
        headers: 'Q: 42',
        timeoutMs: 2_000,
      });
      assert.equal(reply?.payload.text, 'echo:ping:42');
      assert.deepEqual(reply.headers, [['Served-By', 'test']]);
      const doc = vscode.window.activeTextEditor?.document;
      assert.equal(doc?.uri.path, '/default/replies/adhoc.svc.echo');
      assert.equal(doc?.getText(), 'Served-By: test\n\necho:ping:42');
    } finally {
      responder.unsubscribe();
    }
  });

  it('tail opens a webview tab, receives messages, and closing it stops the subscription', async () => {
    const a = await api();
    const panel = await vscode.commands.executeCommand<LiveTailPanel>(
      'natsK3s.subject.tail',
      await find(a, 'default'),
      { subject: 'adhoc.tail.*' },
    );
    assert.ok(panel, 'the command returns its panel');
    const tab = await tabWhere((t) => t.label === 'Tail adhoc.tail.* · default', 'the tail tab');
    assert.ok(tab.input instanceof vscode.TabInputWebview);
    // The tail subscribes when its page reports ready.
    await until(panel.onDidUpdate, () => panel.stats().running, 'the tail to subscribe');
    await nc.flush();
    for (let i = 0; i < 3; i++) nc.publish(`adhoc.tail.${i}`, `t${i}`);
    await nc.flush();
    await until(panel.onDidUpdate, () => panel.stats().received === 3, 'three tailed messages');
    await vscode.window.tabGroups.close(tab);
    assert.equal(panel.stats().running, false);
    assert.ok(!allTabs().some((t) => t.label === tab.label), 'the tab is gone');
    // Nothing arrives once closed: a later message leaves the count alone.
    nc.publish('adhoc.tail.9', 'late');
    await nc.flush();
    assert.equal(panel.stats().received, 3);
  });

  it('destructive commands do nothing when the modal is refused, arguments or not', async () => {
    const a = await api();
    const stream = await find(a, 'default', 'Streams', 'CMDS');
    const purged = await vscode.commands.executeCommand('natsK3s.stream.purge', stream, { subject: 'cmds.audit.>' });
    assert.equal(purged, undefined);
    await vscode.commands.executeCommand('natsK3s.stream.purge', stream, { subject: '' });
    await vscode.commands.executeCommand('natsK3s.stream.delete', stream);
    await vscode.commands.executeCommand(
      'natsK3s.consumer.delete',
      await find(a, 'default', 'Streams', 'CMDS', 'audit'),
    );
    const key = await find(a, 'default', 'KV Buckets', 'cmd-kv', 'greeting');
    await vscode.commands.executeCommand('natsK3s.kv.delete', key);
    await vscode.commands.executeCommand('natsK3s.kv.purge', key);
    const jsm = await jetstreamManager(nc);
    assert.equal((await jsm.streams.info('CMDS')).state.messages, 5);
    assert.equal((await jsm.consumers.info('CMDS', 'audit')).num_pending, 5);
    const kv = await new Kvm(nc).open('cmd-kv');
    assert.equal((await kv.get('greeting'))?.string(), 'hello, world');
    let revisions = 0;
    for await (const e of await kv.history({ key: 'greeting' })) if (e.operation === 'PUT') revisions++;
    assert.equal(revisions, 2);
  });

  it('read-only mode refuses writes given as arguments', async () => {
    const a = await api();
    await config().update('readOnly', true, vscode.ConfigurationTarget.Global);
    try {
      const sub = nc.subscribe('adhoc.ro.>', { max: 1 });
      await nc.flush();
      const revision = await vscode.commands.executeCommand(
        'natsK3s.kv.put',
        await find(a, 'default', 'KV Buckets', 'cmd-kv'),
        { key: 'ro', value: 'x' },
      );
      assert.equal(revision, undefined);
      await vscode.commands.executeCommand('natsK3s.publish', await find(a, 'default'), {
        subject: 'adhoc.ro.refused',
        payload: 'x',
      });
      const reply = await vscode.commands.executeCommand('natsK3s.request', await find(a, 'default'), {
        subject: 'adhoc.ro.req',
        payload: 'x',
        timeoutMs: 500,
      });
      assert.equal(reply, undefined);
      // A sentinel published after the commands is the first message: nothing was published before it.
      nc.publish('adhoc.ro.sentinel', 's');
      for await (const m of sub) assert.equal(m.subject, 'adhoc.ro.sentinel');
      assert.equal(await (await new Kvm(nc).open('cmd-kv')).get('ro'), null);
    } finally {
      await config().update('readOnly', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('retry reconnects the connection and its children load again', async () => {
    const a = await api();
    const state = await vscode.commands.executeCommand('natsK3s.connection.retry', await find(a, 'default'));
    assert.equal(state, 'connected');
    assert.deepEqual(await labelsOf(a, await find(a, 'default')), [
      'Server',
      'Cluster',
      'Subjects',
      'Streams',
      'KV Buckets',
      'Object Stores',
      'Services',
    ]);
    assert.ok((await labelsOf(a, await find(a, 'default', 'Streams'))).includes('CMDS'));
  });
});
