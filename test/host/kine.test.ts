import * as assert from 'node:assert/strict';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import * as vscode from 'vscode';
import { KineFixtureWriter } from '../generators/kine/fixtureWriter';
import { pod, writeReferenceScenario } from '../generators/kine/fixtureScenario';
import { allTabs, api, find, labelOf, labelsOf, until } from './explorerHelpers';
import { ScriptedPrompts } from './prompts';

const natsUrl = process.env.NATS_K3S_TEST_NATS_URL!;

describe('extension host: K3s kine bucket decoded', () => {
  let nc: NatsConnection;

  before(async () => {
    nc = await connect({ servers: natsUrl });
    await writeReferenceScenario(await KineFixtureWriter.create(nc, { bucket: 'kine' }));
    await vscode.workspace
      .getConfiguration('natsK3s')
      .update('defaultServerUrl', natsUrl, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await vscode.workspace
      .getConfiguration('natsK3s')
      .update('kine.showDeleted', undefined, vscode.ConfigurationTarget.Global);
    await nc?.close();
  });

  it('shows a kine bucket as resource types › namespaces › names, deleted keys hidden', async () => {
    const a = await api();
    const types = await labelsOf(a, await find(a, 'default', 'KV Buckets', 'kine'));
    for (const t of [
      'pods',
      'configmaps',
      'secrets',
      'minions',
      'services/specs',
      'apiextensions.k8s.io/customresourcedefinitions',
      'Other keys',
    ])
      assert.ok(types.includes(t), `${t} in ${types.join(', ')}`);
    assert.deepEqual(await labelsOf(a, await find(a, 'default', 'KV Buckets', 'kine', 'pods')), [
      'default',
      'kube-system',
    ]);
    assert.deepEqual(await labelsOf(a, await find(a, 'default', 'KV Buckets', 'kine', 'pods', 'default')), ['nginx']);
    // Cluster-scoped: no namespace level.
    assert.deepEqual(await labelsOf(a, await find(a, 'default', 'KV Buckets', 'kine', 'minions')), ['server-0']);
    await vscode.workspace
      .getConfiguration('natsK3s')
      .update('kine.showDeleted', true, vscode.ConfigurationTarget.Global);
    assert.deepEqual(await labelsOf(a, await find(a, 'default', 'KV Buckets', 'kine', 'pods', 'default')), [
      'doomed',
      'nginx',
    ]);
  });

  it('opens an object as a read-only YAML document with its revisions and decoded content', async () => {
    const a = await api();
    await vscode.commands.executeCommand(
      'natsK3s.kine.open',
      await find(a, 'default', 'KV Buckets', 'kine', 'pods', 'default', 'nginx'),
    );
    const doc = vscode.window.activeTextEditor!.document;
    assert.equal(doc.uri.scheme, 'natsk3s');
    assert.equal(doc.languageId, 'yaml');
    const text = doc.getText();
    assert.match(text, /^# \/registry\/pods\/default\/nginx/);
    assert.match(text, /modRevision: \d+/);
    assert.match(text, /kind: Pod/);
    assert.match(text, /storedRevisions: 2/);
  });

  it('keeps a bootstrap value hidden when the reveal prompt is not confirmed', async () => {
    const a = await api();
    const node = await find(a, 'default', 'KV Buckets', 'kine', 'Other keys', '/bootstrap/2f9c3a1b0d4e');
    assert.equal(a.explorer.getTreeItem(node).contextValue, 'kineObject.sensitive');
    await vscode.commands.executeCommand('natsK3s.kine.open', node);
    const opened = vscode.window.activeTextEditor!.document.getText();
    assert.match(opened, /The value of this key is hidden/);
    assert.doesNotMatch(opened, /3q2\+7w==/);
    // Modal dialogs are dismissed in this test host: the reveal must not happen.
    await vscode.commands.executeCommand('natsK3s.kine.reveal', node);
    assert.doesNotMatch(vscode.window.activeTextEditor!.document.getText(), /3q2\+7w==/);
  });

  it('reveals a bootstrap value when confirmed, in a document of its own that is forgotten once its tab closes', async () => {
    const a = await api();
    const node = await find(a, 'default', 'KV Buckets', 'kine', 'Other keys', '/bootstrap/2f9c3a1b0d4e');
    const prompts = new ScriptedPrompts().install();
    try {
      prompts.once('showWarningMessage', /^Reveal the value of \/bootstrap\/2f9c3a1b0d4e\?/, 'Reveal');
      await vscode.commands.executeCommand('natsK3s.kine.reveal', node);
      assert.equal(prompts.take().length, 1);
    } finally {
      prompts.restore();
    }
    const revealed = vscode.window.activeTextEditor!.document;
    assert.equal(revealed.uri.query, 'revealed');
    assert.match(revealed.getText(), /3q2\+7w==/);
    const tab = allTabs().find(
      (t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === revealed.uri.toString(),
    );
    assert.ok(tab, 'the revealed document has a tab');
    await vscode.window.tabGroups.close(tab);
    // The provider drops the text when the last tab closes; opening the URI again shows that it is gone.
    await until(
      vscode.workspace.onDidChangeTextDocument,
      async () => !(await vscode.workspace.openTextDocument(revealed.uri)).getText().includes('3q2+7w=='),
      'the revealed text to be forgotten',
    );
    assert.match((await vscode.workspace.openTextDocument(revealed.uri)).getText(), /no longer available/);
  });

  it('labels first-level counts as estimates from the subject listing, exact once the type is opened', async () => {
    // A pod deleted and created again: the listing counts it once, the scan of its type finds it live.
    const w = await KineFixtureWriter.create(nc, { bucket: 'kine' });
    await w.create('/registry/pods/edge/phoenix', pod('phoenix', 'edge', {}));
    await w.delete('/registry/pods/edge/phoenix');
    await w.create('/registry/pods/edge/phoenix', pod('phoenix', 'edge', { again: 'yes' }));
    await vscode.workspace
      .getConfiguration('natsK3s')
      .update('kine.showDeleted', false, vscode.ConfigurationTarget.Global);
    const a = await api();
    const bucket = await find(a, 'default', 'KV Buckets', 'kine');
    const podsNode = async () => (await a.explorer.getChildren(bucket)).find((n) => labelOf(a, n) === 'pods')!;
    const before = a.explorer.getTreeItem(await podsNode());
    assert.match(String(before.description), /^≈ \d+ keys$/);
    assert.match(String(before.tooltip), /subject listing/);
    assert.deepEqual(await labelsOf(a, await find(a, 'default', 'KV Buckets', 'kine', 'pods', 'edge')), ['phoenix']);
    // The deleted 'doomed' pod is now counted apart from the live ones.
    assert.match(String(a.explorer.getTreeItem(await podsNode()).description), /^\d+ objects · 1 deleted$/);
  });
});
