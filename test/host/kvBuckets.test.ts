// KV bucket create and edit and key revert through the registered commands on a real 3-node JetStream cluster (R3),
// answered by ScriptedPrompts as a user would: the form's boxes open on the server's defaults (or the bucket's
// values), an edit shows its diff and a modal naming the bucket, a revert a modal naming key and revision. Effects
// are read back with a plain nats.js connection. Read-only mode and a kine bucket refuse even a user who confirms all.
import * as assert from 'node:assert/strict';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import * as vscode from 'vscode';
import type { NatsK3sApi } from '../../src/extension';
import { writeReferenceScenario } from '../generators/kine/fixtureScenario';
import { KineFixtureWriter } from '../generators/kine/fixtureWriter';
import { startNatsCluster, type NatsCluster } from '../harness/natsCluster';
import { api, find, until } from './explorerHelpers';
import { ACCEPT, ScriptedPrompts } from './prompts';

const config = () => vscode.workspace.getConfiguration('natsK3s');

async function connected(a: NatsK3sApi, name: string): Promise<void> {
  await a.explorer.getChildren(await find(a, name));
  await until(
    a.connections.onDidChange,
    async () => (await a.connections.list()).find((c) => c.spec.name === name)?.session?.state.kind === 'connected',
    `'${name}' to connect`,
    30_000,
  );
}

describe('extension host: KV bucket create, edit and revert on a 3-node cluster', function () {
  this.timeout(240_000);
  let cluster: NatsCluster;
  let plain: NatsConnection;
  let prompts: ScriptedPrompts;

  const streamInfo = async (bucket: string) => (await jetstreamManager(plain)).streams.info(`KV_${bucket}`);

  before(async () => {
    cluster = await startNatsCluster();
    await cluster.waitHealthy();
    plain = await connect({ servers: cluster.urls });
    await config().update('readOnly', undefined, vscode.ConfigurationTarget.Global);
    await config().update(
      'connections',
      [{ name: 'ha', servers: cluster.urls.join(',') }],
      vscode.ConfigurationTarget.Global,
    );
    const a = await api();
    a.connections.applyReadOnly();
    await until(
      a.connections.onDidChange,
      async () => (await a.connections.list()).some((c) => c.spec.name === 'ha'),
      "the 'ha' connection",
    );
    await connected(a, 'ha');
    prompts = new ScriptedPrompts().install();
  });
  after(async () => {
    prompts?.restore();
    await config().update('connections', undefined, vscode.ConfigurationTarget.Global);
    await config().update('readOnly', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await plain?.close();
    await cluster?.stop();
  });

  it('creates an R3 bucket through the form, whose boxes open on the server defaults', async () => {
    const a = await api();
    prompts
      .once('showInputBox', /Bucket name/, 'orders-cfg')
      .once('showInputBox', /Description/, 'order settings')
      .once('showInputBox', /History: .*server default 1\)/, '5')
      .once('showInputBox', /TTL: .*server default never\)/, '2h')
      .once('showInputBox', /Max value size .*server default unlimited\)/, '64KiB')
      .once('showInputBox', /Replicas: .*server default 1\)/, '3')
      .once('showQuickPick', /Storage/, 'file');
    await vscode.commands.executeCommand('natsK3s.kv.createBucket', await find(a, 'ha', 'KV Buckets'));
    const asked = prompts.take().filter((p) => p.kind === 'showInputBox');
    assert.equal(asked.length, 6, JSON.stringify(asked));
    const c = (await streamInfo('orders-cfg')).config;
    assert.deepEqual(
      [c.description, c.max_msgs_per_subject, c.max_age, c.max_msg_size, c.num_replicas, c.storage],
      ['order settings', 5, 7_200_000 * 1_000_000, 65_536, 3, 'file'],
    );
  });

  it('a form accepted as it opens creates the bucket with the server defaults', async () => {
    const a = await api();
    prompts
      .once('showInputBox', /Bucket name/, 'defaults')
      .always('showInputBox', /(Description|History|TTL|Max value size|Replicas)/, ACCEPT)
      .once('showQuickPick', /Storage/, ACCEPT);
    try {
      await vscode.commands.executeCommand('natsK3s.kv.createBucket', await find(a, 'ha'));
    } finally {
      prompts.restore();
      prompts = new ScriptedPrompts().install();
    }
    const c = (await streamInfo('defaults')).config;
    assert.deepEqual(
      [c.description ?? '', c.max_msgs_per_subject, c.max_age, c.max_msg_size, c.num_replicas, c.storage],
      ['', 1, 0, -1, 1, 'file'],
    );
  });

  it('edit shows the diff and a modal naming the bucket; Cancel changes nothing, Apply changes it', async () => {
    const a = await api();
    const script = (modalAnswer: string | undefined) =>
      prompts
        .once('showInputBox', /Description/, ACCEPT)
        .once('showInputBox', /History/, '10')
        .once('showInputBox', /TTL/, ACCEPT)
        .once('showInputBox', /Max value size/, 'unlimited')
        .once('showInputBox', /Replicas/, ACCEPT)
        .once('showWarningMessage', /^Apply 2 changes to bucket orders-cfg on 'ha'\?\n/, modalAnswer);
    script(undefined);
    await vscode.commands.executeCommand('natsK3s.kv.editBucket', await find(a, 'ha', 'KV Buckets', 'orders-cfg'));
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputTextDiff, 'the diff is open');
    const edited = (await vscode.workspace.openTextDocument(tab.input.modified)).getText();
    assert.match(edited, /^history: 10$/m);
    assert.match((await vscode.workspace.openTextDocument(tab.input.original)).getText(), /^history: 5$/m);
    const modal = prompts.take().find((p) => p.modal);
    assert.match(modal?.text ?? '', /orders-cfg/);
    assert.equal((await streamInfo('orders-cfg')).config.max_msgs_per_subject, 5, 'cancelled: unchanged');

    script('Apply Changes');
    await vscode.commands.executeCommand('natsK3s.kv.editBucket', await find(a, 'ha', 'KV Buckets', 'orders-cfg'));
    prompts.take();
    const c = (await streamInfo('orders-cfg')).config;
    assert.deepEqual([c.max_msgs_per_subject, c.max_msg_size, c.num_replicas, c.max_age], [10, -1, 3, 7_200_000e6]);
  });

  it('reverts a key from a pick of its history: the new revision holds the old value', async () => {
    const a = await api();
    const kv = await new Kvm(plain).open('orders-cfg');
    const r1 = await kv.put('greeting', 'hello');
    await kv.put('greeting', 'hello, world');
    prompts
      .once('showQuickPick', /^Revert greeting in orders-cfg to/, `revision ${r1}`)
      .once(
        'showWarningMessage',
        new RegExp(`^Revert key greeting in bucket orders-cfg to revision ${r1}\\?\\n`),
        'Revert Key',
      );
    const result = await vscode.commands.executeCommand<{ revision: number }>(
      'natsK3s.kv.revert',
      await find(a, 'ha', 'KV Buckets', 'orders-cfg', 'greeting'),
    );
    prompts.take();
    const latest = await kv.get('greeting');
    assert.equal(latest?.revision, result.revision);
    assert.equal(latest?.string(), 'hello');
  });

  it('"Revert to This Revision" in the history diff reverts to the revision that diff shows', async () => {
    const a = await api();
    const kv = await new Kvm(plain).open('orders-cfg');
    const r = await kv.put('motd', 'first');
    await kv.put('motd', 'second');
    await kv.delete('motd');
    const key = await find(a, 'ha', 'KV Buckets', 'orders-cfg', 'motd').catch(() => undefined);
    assert.equal(key, undefined, 'a deleted key is not listed');
    await vscode.commands.executeCommand(
      'natsK3s.kv.history',
      {
        kind: 'kvKey',
        conn: (await a.connections.list()).find((c) => c.spec.name === 'ha'),
        bucket: 'orders-cfg',
        child: { token: 'motd', path: 'motd', isKey: true, descendants: 0 },
      },
      { revision: r },
    );
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputTextDiff);
    prompts.once(
      'showWarningMessage',
      new RegExp(`^Revert key motd in bucket orders-cfg to revision ${r}\\?\\n`),
      'Revert Key',
    );
    await vscode.commands.executeCommand('natsK3s.kv.revert', tab.input.modified);
    prompts.take();
    assert.equal((await kv.get('motd'))?.string(), 'first');
  });

  it('read-only mode refuses create, edit and revert even when the user confirms every prompt', async () => {
    const a = await api();
    const bucketNode = await find(a, 'ha', 'KV Buckets', 'orders-cfg');
    const keyNode = await find(a, 'ha', 'KV Buckets', 'orders-cfg', 'greeting');
    const before = await streamInfo('orders-cfg');
    const accept = new ScriptedPrompts().install();
    for (const kind of ['showWarningMessage', 'showInputBox', 'showQuickPick'] as const)
      accept.always(kind, /[\s\S]*/, ACCEPT);
    accept.always('showInputBox', /Bucket name/, 'ro-bucket').always('showInputBox', /History/, '7');
    await config().update('readOnly', true, vscode.ConfigurationTarget.Global);
    try {
      await vscode.commands.executeCommand('natsK3s.kv.createBucket', await find(a, 'ha'));
      await vscode.commands.executeCommand('natsK3s.kv.editBucket', bucketNode, { history: 7 });
      await vscode.commands.executeCommand('natsK3s.kv.revert', keyNode, { revision: 1 });
      const refusals = accept.take().filter((p) => p.kind === 'showErrorMessage');
      assert.equal(refusals.length, 3, JSON.stringify(refusals));
      for (const r of refusals) assert.match(r.text, /^Read-only mode is on \(natsK3s\.readOnly\): .* was refused\./);
    } finally {
      accept.restore();
      await config().update('readOnly', undefined, vscode.ConfigurationTarget.Global);
    }
    const after = await streamInfo('orders-cfg');
    assert.deepEqual(after.config, before.config);
    assert.equal(after.state.last_seq, before.state.last_seq);
    await assert.rejects(streamInfo('ro-bucket'), /stream not found/);
  });

  it('a kine bucket refuses edit and revert with a sentence, before any prompt', async () => {
    const a = await api();
    const w = await KineFixtureWriter.create(plain, { bucket: 'kine', replicas: 3 });
    await writeReferenceScenario(w);
    const before = await streamInfo('kine');
    const conn = (await a.connections.list()).find((c) => c.spec.name === 'ha');
    const bucket = { kind: 'bucket', conn, bucket: { bucket: 'kine' } };
    let key = '';
    for await (const k of await (await new Kvm(plain).open('kine')).keys()) key ||= k;
    const keyNode = {
      kind: 'kvKey',
      conn,
      bucket: 'kine',
      child: { token: key, path: key, isKey: true, descendants: 0 },
    };
    await vscode.commands.executeCommand('natsK3s.kv.editBucket', bucket, { history: 20 });
    await vscode.commands.executeCommand('natsK3s.kv.revert', keyNode, { revision: 1 });
    const asked = prompts.take();
    assert.deepEqual(
      asked.map((p) => [p.kind, /holds K3s's kine data, so .* was refused: kine owns it/.test(p.text)]),
      [
        ['showErrorMessage', true],
        ['showErrorMessage', true],
      ],
      JSON.stringify(asked),
    );
    assert.deepEqual((await streamInfo('kine')).config, before.config);
    assert.equal((await streamInfo('kine')).state.last_seq, before.state.last_seq);
  });
});
