// natsK3s.kv.watch: a live, bounded view of a bucket or key prefix that shows DEL and PURGE and stops on close.
import * as assert from 'node:assert/strict';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Kvm, type KV } from '@nats-io/kv';
import * as vscode from 'vscode';
import type { KvWatchPanel } from '../../src/vscode/kvWatch/kvWatchPanel';
import { api, find, tabWhere, until } from './explorerHelpers';

const natsUrl = process.env.NATS_K3S_TEST_NATS_URL!;

describe('extension host: KV watch', () => {
  let nc: NatsConnection;
  let kv: KV;
  const opened: KvWatchPanel[] = [];

  before(async () => {
    nc = await connect({ servers: natsUrl });
    kv = await new Kvm(nc).create('watch-kv', { history: 3 });
    await kv.put('app.a', '1');
    await kv.put('app.b', '2');
    await kv.put('other', 'x');
  });

  after(async () => {
    for (const p of opened) p.panel.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await nc?.close();
  });

  it('watches a prefix: current values, then PUT, DEL and PURGE as they happen; closing stops it', async () => {
    const a = await api();
    const panel = await vscode.commands.executeCommand<KvWatchPanel>(
      'natsK3s.kv.watch',
      await find(a, 'default', 'KV Buckets', 'watch-kv', 'app'),
    );
    assert.ok(panel, 'the command returns its panel');
    opened.push(panel);
    const tab = await tabWhere((t) => t.label === 'Watch watch-kv app.> · default', 'the watch tab');
    assert.ok(tab.input instanceof vscode.TabInputWebview);
    await until(panel.onDidUpdate, () => panel.entries().length === 2, 'the two current values');
    assert.equal(panel.stats().running, true);
    await kv.put('app.c', '3');
    await kv.put('other', 'not watched');
    await kv.delete('app.a');
    await kv.purge('app.b');
    await until(panel.onDidUpdate, () => panel.entries().length === 5, 'three changes');
    assert.deepEqual(
      panel.entries().map((e) => `${e.operation} ${e.key}${e.operation === 'PUT' ? `=${e.payload.text}` : ''}`),
      ['PUT app.a=1', 'PUT app.b=2', 'PUT app.c=3', 'DEL app.a', 'PURGE app.b'],
    );
    await vscode.window.tabGroups.close(tab);
    await until(panel.onDidUpdate, () => panel.stats().ended === 'stopped', 'the watch to stop');
    assert.equal(panel.stats().running, false);
    await kv.put('app.d', 'after close');
    assert.equal(panel.entries().length, 5);
  });

  it('keeps only the newest 500 entries of a busy bucket', async () => {
    const a = await api();
    const panel = await vscode.commands.executeCommand<KvWatchPanel>(
      'natsK3s.kv.watch',
      await find(a, 'default', 'KV Buckets', 'watch-kv'),
    );
    assert.ok(panel);
    opened.push(panel);
    await until(panel.onDidUpdate, () => panel.stats().received >= 4, 'the current values');
    const before = panel.stats().received;
    for (let i = 0; i < 600; i++) await kv.put(`bulk.k${i}`, String(i));
    await until(panel.onDidUpdate, () => panel.stats().received === before + 600, 'the 600 puts', 20_000);
    const entries = panel.entries();
    assert.equal(entries.length, 500);
    assert.equal(entries[entries.length - 1]!.key, 'bulk.k599');
    assert.equal(entries[0]!.key, 'bulk.k100');
  });

  it('refuses a key with nothing below it', async () => {
    const a = await api();
    const result = await vscode.commands.executeCommand(
      'natsK3s.kv.watch',
      await find(a, 'default', 'KV Buckets', 'watch-kv', 'other'),
    );
    assert.equal(result, undefined);
  });
});
