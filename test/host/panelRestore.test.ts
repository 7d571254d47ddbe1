// Webview tabs after a window reload: VS Code hands each serializer the new panel and the state its page kept (the
// `data-restore` of the page, which its script passes to setState). A reload would end this test run, so the test
// does what VS Code does: it takes the state from the page the command opened, gives it with a fresh panel of the
// same view type to the extension's restore, and checks the restored tab works.
import * as assert from 'node:assert/strict';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import * as vscode from 'vscode';
import type { KvWatchPanel } from '../../src/vscode/kvWatch/kvWatchPanel';
import type { LiveTailPanel } from '../../src/vscode/liveTail/liveTailPanel';
import type { MessageBrowserPanel } from '../../src/vscode/messageBrowser/messageBrowserPanel';
import { api, find, until } from './explorerHelpers';

const natsUrl = process.env.NATS_K3S_TEST_NATS_URL!;

/** The state a page keeps, read back from its `data-restore` attribute as the page's script reads it. */
function keptState(panel: vscode.WebviewPanel): unknown {
  const m = /data-restore="([^"]*)"/.exec(panel.webview.html);
  assert.ok(m, 'the page carries its state');
  const text = m[1]!
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
  return JSON.parse(text.replace(/&amp;/g, '&'));
}

function freshPanel(viewType: string): vscode.WebviewPanel {
  return vscode.window.createWebviewPanel(viewType, 'restored', vscode.ViewColumn.Active, {});
}

describe('extension host: webview tabs restored after a reload', function () {
  this.timeout(60_000);
  let nc: NatsConnection;

  before(async () => {
    nc = await connect({ servers: natsUrl });
    await (await jetstreamManager(nc)).streams.add({ name: 'RESTORED', subjects: ['restored.>'] });
    await jetstream(nc).publish('restored.one', 'first');
    await (await new Kvm(nc).create('restored-kv')).put('colour', 'green');
    await vscode.workspace
      .getConfiguration('natsK3s')
      .update('defaultServerUrl', natsUrl, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await nc?.close();
  });

  it('VS Code is told to activate the extension for each kind of tab', () => {
    const manifest = vscode.extensions.getExtension('nats-k3s.nats-k3s')!.packageJSON as {
      activationEvents: string[];
    };
    for (const view of ['natsK3s.messageBrowser', 'natsK3s.liveTail', 'natsK3s.kvWatch'])
      assert.ok(manifest.activationEvents.includes(`onWebviewPanel:${view}`), view);
  });

  it('a message browser comes back on the same connection and stream', async () => {
    const a = await api();
    const stream = await find(a, 'default', 'Streams', 'RESTORED');
    const opened = await vscode.commands.executeCommand<MessageBrowserPanel>('natsK3s.stream.viewMessages', stream);
    const state = keptState(opened.panel);
    assert.deepEqual(state, { connectionId: 'default:default', stream: 'RESTORED' });
    opened.panel.dispose();
    const panel = freshPanel('natsK3s.messageBrowser');
    const restored = (await a.panels.restore('natsK3s.messageBrowser', panel, state)) as MessageBrowserPanel;
    assert.equal(restored?.stream, 'RESTORED');
    assert.match(panel.webview.html, /messageBrowser\.js/);
    assert.deepEqual(keptState(panel), state, 'the restored page keeps its state for the next reload');
    panel.dispose();
  });

  it('a live tail comes back subscribed, and receives what is published next', async () => {
    const a = await api();
    const opened = await vscode.commands.executeCommand<LiveTailPanel>(
      'natsK3s.subject.tail',
      await find(a, 'default'),
      {
        subject: 'restored.tail.>',
      },
    );
    const state = keptState(opened.panel);
    assert.deepEqual(state, { connectionId: 'default:default', subject: 'restored.tail.>' });
    opened.panel.dispose();
    const panel = freshPanel('natsK3s.liveTail');
    const restored = (await a.panels.restore('natsK3s.liveTail', panel, state)) as LiveTailPanel;
    assert.equal(restored.subject, 'restored.tail.>');
    // The page says it is ready once it loads; the tail subscribes then.
    await until(restored.onDidUpdate, () => restored.stats().running, 'the restored tail to subscribe');
    nc.publish('restored.tail.x', 'after the reload');
    await until(restored.onDidUpdate, () => restored.stats().received >= 1, 'the message to reach the tail');
    panel.dispose();
  });

  it('a KV watch comes back with the bucket and its current values', async () => {
    const a = await api();
    const opened = await vscode.commands.executeCommand<KvWatchPanel>(
      'natsK3s.kv.watch',
      await find(a, 'default', 'KV Buckets', 'restored-kv'),
    );
    const state = keptState(opened.panel);
    assert.deepEqual(state, { connectionId: 'default:default', bucket: 'restored-kv' });
    opened.panel.dispose();
    const panel = freshPanel('natsK3s.kvWatch');
    const restored = (await a.panels.restore('natsK3s.kvWatch', panel, state)) as KvWatchPanel;
    await until(restored.onDidUpdate, () => restored.entries().some((e) => e.key === 'colour'), 'the current value');
    panel.dispose();
  });

  it('a tab whose state is missing or whose connection is gone says so instead of staying blank', async () => {
    const a = await api();
    const empty = freshPanel('natsK3s.messageBrowser');
    assert.equal(await a.panels.restore('natsK3s.messageBrowser', empty, undefined), undefined);
    assert.match(empty.webview.html, /This tab was saved without what it showed\./);
    empty.dispose();
    const orphan = freshPanel('natsK3s.liveTail');
    await a.panels.restore('natsK3s.liveTail', orphan, { connectionId: 'settings:long-gone', subject: 'x' });
    assert.match(orphan.webview.html, /The connection &#39;settings:long-gone&#39; it used is no longer configured\./);
    orphan.dispose();
  });
});
