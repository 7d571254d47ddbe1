import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import * as vscode from 'vscode';
import { api, find, labelsOf } from './explorerHelpers';
import { ACCEPT, ScriptedPrompts } from './prompts';

const EXTENSION_ID = 'nats-k3s.nats-k3s';
const natsUrl = process.env.NATS_K3S_TEST_NATS_URL!;
const config = () => vscode.workspace.getConfiguration('natsK3s');

describe('extension host: the NATS explorer on a seeded server', () => {
  let nc: NatsConnection;

  before(async () => {
    nc = await connect({ servers: natsUrl });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'ORDERS', subjects: ['orders.>'] });
    await jsm.consumers.add('ORDERS', { durable_name: 'billing', filter_subject: 'orders.eu.>' });
    const js = jetstream(nc);
    for (let i = 0; i < 12; i++) await js.publish(`orders.${i % 2 ? 'eu' : 'us'}.created`, JSON.stringify({ id: i }));
    const kv = await new Kvm(nc).create('app-config', { history: 5 });
    await kv.put('feature.checkout', 'on');
    await kv.put('feature.search', 'off');
    await kv.put('limits', '600');
    await config().update('defaultServerUrl', natsUrl, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await config().update('readOnly', undefined, vscode.ConfigurationTarget.Global);
    await nc?.close();
  });

  it('registers every command package.json declares', async () => {
    await api();
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: { commands: { command: string }[] };
    };
    const registered = await vscode.commands.getCommands(true);
    const missing = manifest.contributes.commands.map((c) => c.command).filter((c) => !registered.includes(c));
    assert.deepEqual(missing, []);
  });

  it('every menu viewItem names a contextValue the tree produces', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
      contributes: { menus: Record<string, { when?: string }[]> };
    };
    const produced = [
      'connection.idle',
      'connection.connected',
      'connection.failed',
      'connection.connecting',
      'connection.reconnecting',
      'connection.disconnected',
      'connection.idle+secret+settings',
      'connection.connected+settings',
      'connection.failed+secret',
      'server',
      'subjects',
      'subject',
      'cluster',
      'clusterServer',
      'streams',
      'stream',
      'consumer',
      'consumer.noPause',
      'buckets',
      'bucket',
      'bucket.kine',
      'kvKey',
      'kvPrefix',
      'kineType',
      'kineNamespace',
      'kineOther',
      'kineObject',
      'kineObject.sensitive',
      'objectStores',
      'objectStore',
      'object',
      'services',
      'service',
      'serviceInstance',
      'serviceEndpoint',
      'release',
      'pod.nats',
      'pod.natsBox',
      'info',
      'error',
      'empty',
    ];
    for (const entry of manifest.contributes.menus['view/item/context'] ?? []) {
      const eq = /viewItem == ([\w.]+)/.exec(entry.when ?? '');
      if (eq) assert.ok(produced.includes(eq[1]!), `menu for unknown contextValue ${eq[1]}`);
      const re = /viewItem =~ \/(.+?)\//.exec(entry.when ?? '');
      if (re)
        assert.ok(
          produced.some((v) => new RegExp(re[1]!).test(v)),
          `menu regex ${re[1]} matches no contextValue`,
        );
    }
  });

  it('shows server, streams with consumers, and KV key levels', async () => {
    const a = await api();
    const conn = await find(a, 'default');
    assert.deepEqual(await labelsOf(a, conn), [
      'Server',
      'Cluster',
      'Subjects',
      'Streams',
      'KV Buckets',
      'Object Stores',
      'Services',
    ]);
    assert.equal(a.explorer.getTreeItem(conn).contextValue, 'connection.connected');
    const server = await labelsOf(a, await find(a, 'default', 'Server'));
    assert.ok(
      server.some((l) => /^nats-server 2\./.test(l)),
      server.join(' | '),
    );
    const orders = await find(a, 'default', 'Streams', 'ORDERS');
    assert.match(String(a.explorer.getTreeItem(orders).description), /^12 msgs · \d+(\.\d)? (B|KiB)$/);
    const billing = await find(a, 'default', 'Streams', 'ORDERS', 'billing');
    assert.equal(a.explorer.getTreeItem(billing).description, 'pending 6 · ack pending 0');
    const bucket = await find(a, 'default', 'KV Buckets', 'app-config');
    assert.deepEqual(await labelsOf(a, bucket), ['feature', 'limits']);
    assert.deepEqual(await labelsOf(a, await find(a, 'default', 'KV Buckets', 'app-config', 'feature')), [
      'checkout',
      'search',
    ]);
  });

  it('samples live subjects into a token tree when Subjects is expanded', async () => {
    const a = await api();
    const subjects = await find(a, 'default', 'Subjects');
    await a.explorer.getChildren(subjects); // expanding starts the sampler
    const seen = new Promise<void>((resolve) => {
      const sub = a.explorer.onDidChangeTreeData(async (node) => {
        if (node !== subjects) return;
        const labels = await labelsOf(a, subjects);
        if (labels.includes('telemetry')) {
          sub.dispose();
          resolve();
        }
      });
    });
    for (let i = 0; i < 30; i++) nc.publish(`telemetry.node${i % 3}.cpu`, String(i));
    await nc.flush();
    await seen;
    const telemetry = await find(a, 'default', 'Subjects', 'telemetry');
    assert.match(String(a.explorer.getTreeItem(telemetry).description), /^30 msgs/);
    assert.deepEqual(await labelsOf(a, telemetry), ['node0', 'node1', 'node2']);
    assert.match(String(a.explorer.getTreeItem(subjects).description), /subjects · \d+ msgs in \d+ s · sampling$/);
    a.explorer.collapsed(subjects);
    // Collapsing stops the sample at once (its worker thread closes its connection after).
    assert.match(String(a.explorer.getTreeItem(subjects).description), /stopped$/);
  });

  it('opens stream info and a KV value as read-only documents', async () => {
    const a = await api();
    await vscode.commands.executeCommand('natsK3s.stream.info', await find(a, 'default', 'Streams', 'ORDERS'));
    let doc = vscode.window.activeTextEditor?.document;
    assert.equal(doc?.languageId, 'json');
    assert.equal((JSON.parse(doc!.getText()) as { config: { name: string } }).config.name, 'ORDERS');
    await vscode.commands.executeCommand(
      'natsK3s.kv.showValue',
      await find(a, 'default', 'KV Buckets', 'app-config', 'feature', 'search'),
    );
    doc = vscode.window.activeTextEditor?.document;
    assert.equal(doc?.getText(), 'off');
    assert.equal(doc?.uri.scheme, 'natsk3s');
  });

  it('opens the message browser as a webview tab', async () => {
    const a = await api();
    const findTab = () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === 'ORDERS · default');
    const opened = new Promise<void>((resolve) => {
      const sub = vscode.window.tabGroups.onDidChangeTabs(() => {
        if (findTab()) {
          sub.dispose();
          resolve();
        }
      });
    });
    await vscode.commands.executeCommand('natsK3s.stream.viewMessages', await find(a, 'default', 'Streams', 'ORDERS'));
    if (!findTab()) await opened;
    const tab = findTab();
    assert.ok(tab, 'a tab for the ORDERS message browser');
    assert.ok(tab.input instanceof vscode.TabInputWebview);
  });

  it('deletes nothing without the modal (dialogs are dismissed here)', async () => {
    const a = await api();
    await vscode.commands.executeCommand('natsK3s.stream.delete', await find(a, 'default', 'Streams', 'ORDERS'));
    await vscode.commands.executeCommand(
      'natsK3s.kv.purge',
      await find(a, 'default', 'KV Buckets', 'app-config', 'limits'),
    );
    const jsm = await jetstreamManager(nc);
    assert.equal((await jsm.streams.info('ORDERS')).state.messages, 12);
    assert.equal((await (await new Kvm(nc).open('app-config')).get('limits'))?.string(), '600');
  });

  it('read-only mode refuses every write, even when the user confirms every prompt', async () => {
    const a = await api();
    // A user who confirms everything: every modal gets its action, every box a value, every pick its first item.
    const prompts = new ScriptedPrompts().install();
    for (const kind of ['showWarningMessage', 'showInputBox', 'showQuickPick'] as const)
      prompts.always(kind, /[\s\S]*/, ACCEPT);
    const jsm = await jetstreamManager(nc);
    try {
      // Control: with read-only off, the same answers reach the command and it writes (a throwaway stream).
      await jsm.streams.add({ name: 'RO_CONTROL', subjects: ['ro-control.>'] });
      await jetstream(nc).publish('ro-control.x', 'x');
      await vscode.commands.executeCommand('natsK3s.stream.purge', await find(a, 'default', 'Streams', 'RO_CONTROL'));
      assert.equal(
        (await jsm.streams.info('RO_CONTROL')).state.messages,
        0,
        'the confirmed purge ran with read-only off',
      );
      assert.ok(
        prompts.take().some((p) => p.modal),
        'the purge asked in a modal',
      );

      await config().update('readOnly', true, vscode.ConfigurationTarget.Global);
      const orders = await find(a, 'default', 'Streams', 'ORDERS');
      const key = await find(a, 'default', 'KV Buckets', 'app-config', 'feature', 'checkout');
      const sub = nc.subscribe('>');
      await nc.flush();
      const commands = [
        ['natsK3s.stream.purge', orders],
        ['natsK3s.stream.delete', orders],
        ['natsK3s.consumer.delete', await find(a, 'default', 'Streams', 'ORDERS', 'billing')],
        ['natsK3s.kv.put', key],
        ['natsK3s.kv.delete', key],
        ['natsK3s.kv.purge', key],
        ['natsK3s.publish', orders],
        ['natsK3s.request', orders],
      ] as const;
      for (const [command, node] of commands) await vscode.commands.executeCommand(command, node);
      const asked = prompts.take();
      const refusals = asked.filter(
        (p) =>
          p.kind === 'showErrorMessage' &&
          /^Read-only mode is on \(natsK3s\.readOnly\): .* was refused\. Turn the setting off to change NATS\.$/.test(
            p.text,
          ),
      );
      assert.equal(refusals.length, commands.length, `each command said it was refused: ${JSON.stringify(asked)}`);
      assert.ok(
        refusals.every((r) => r.choices.join() === 'Open Settings'),
        'each refusal offers the setting',
      );
      assert.equal((await jsm.streams.info('ORDERS')).state.messages, 12);
      assert.equal((await jsm.consumers.info('ORDERS', 'billing')).name, 'billing');
      const kv = await new Kvm(nc).open('app-config');
      assert.equal((await kv.get('feature.checkout'))?.string(), 'on');
      // Nothing was written: a sentinel sent now is the first message on any subject a write would use (publishes to
      // the stream or the default subject, KV operations, purge and delete requests to the JetStream API).
      const writes =
        /^(orders\.|x$|\$KV\.app-config\.|\$JS\.API\.(STREAM\.(PURGE|DELETE)|CONSUMER\.DELETE)\.|ro\.sentinel$)/;
      nc.publish('ro.sentinel', 's');
      for await (const m of sub) {
        if (!writes.test(m.subject)) continue;
        assert.equal(m.subject, 'ro.sentinel');
        break;
      }
      sub.unsubscribe();
      // The core refuses too, whatever the UI does.
      const session = await a.connections.session((await a.connections.list())[0]!);
      assert.equal(session.readOnly, true);
    } finally {
      prompts.restore();
      await jsm.streams.delete('RO_CONTROL').catch(() => undefined);
    }
  });
});
