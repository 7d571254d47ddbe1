import * as assert from 'node:assert/strict';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { spawnSync } from 'node:child_process';
import { Kvm } from '@nats-io/kv';
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

  it('the counts of a type add up its namespaces, and say so', async () => {
    const a = await api();
    const describe = async (...labels: string[]) =>
      String(a.explorer.getTreeItem(await find(a, 'default', 'KV Buckets', 'kine', ...labels)).description);
    // nginx and a doomed (deleted) pod in default, one pod in kube-system.
    assert.equal(await describe('pods'), '2 objects in all namespaces · 1 deleted');
    assert.equal(await describe('pods', 'default'), '1 object · 1 deleted');
    assert.equal(await describe('pods', 'kube-system'), '1 object');
    assert.equal(await describe('minions'), '1 object');
  });

  it('offers kine commands only on kine buckets, from the kind detected', async () => {
    const a = await api();
    const kv = await new Kvm(nc).create('not-kine', { history: 1 });
    await kv.put('plain.key', 'plain value');
    const rows = await a.explorer.getChildren(await find(a, 'default', 'KV Buckets'));
    const row = (name: string) => rows.find((n) => n.kind === 'bucket' && n.bucket.bucket === name)!;
    assert.equal(a.explorer.getTreeItem(row('kine')).contextValue, 'bucket.kine');
    assert.match(String(a.explorer.getTreeItem(row('kine')).description), /^kine · /);
    assert.equal(a.explorer.getTreeItem(row('not-kine')).contextValue, 'bucket');
    const manifest = vscode.extensions.getExtension('nats-k3s.nats-k3s')!.packageJSON as {
      contributes: { menus: Record<string, { command: string; when?: string }[]> };
    };
    const health = manifest.contributes.menus['view/item/context']!.find((m) => m.command === 'natsK3s.kine.health');
    assert.match(health?.when ?? '', /viewItem == bucket\.kine$/);
    // Run on another bucket anyway (from a script), it says why not.
    const prompts = new ScriptedPrompts().install();
    try {
      await vscode.commands.executeCommand('natsK3s.kine.health', row('not-kine'));
      const [shown] = prompts.take().filter((p) => p.kind === 'showErrorMessage');
      assert.match(shown?.text ?? '', /^Bucket not-kine does not hold kine data/);
    } finally {
      prompts.restore();
    }
  });

  it('Prepare K3s Datastore writes a script bash accepts, its notes as comments', async () => {
    const a = await api();
    const prompts = new ScriptedPrompts().install();
    let script: string | undefined;
    try {
      prompts.once('showInputBox', /KV bucket kine should use/, 'kine');
      script = await vscode.commands.executeCommand<string>('natsK3s.kine.prepareDatastore', await find(a, 'default'));
      prompts.take();
    } finally {
      prompts.restore();
    }
    assert.ok(script, 'the command returned its script');
    assert.equal(vscode.window.activeTextEditor?.document.getText(), script);
    const check = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8', timeout: 10_000 });
    assert.equal(check.status, 0, check.stderr);
    for (const line of script.split('\n').filter((l) => l.trim() && !l.startsWith('#')))
      assert.match(line, /^NATS_DATASTORE_ENDPOINT='?nats:\/\//, `not a comment: ${line}`);
    assert.match(script, /^# bucket: {4}kine exists \(kine data/m);
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
  it('offers no reveal on a Secret encrypted at rest: no modal, the sentence instead, and the action goes', async () => {
    const a = await api();
    const node = await find(a, 'default', 'KV Buckets', 'kine', 'secrets', 'kube-system', 'k3s-serving');
    // Until its value is read the tree cannot know: a Secret's key offers the reveal.
    assert.equal(a.explorer.getTreeItem(node).contextValue, 'kineObject.sensitive');
    const prompts = new ScriptedPrompts().install();
    try {
      await vscode.commands.executeCommand('natsK3s.kine.reveal', node);
      const asked = prompts.take();
      assert.ok(!asked.some((p) => p.modal), 'no modal for ciphertext');
      assert.deepEqual(
        asked.map((p) => p.text),
        [
          "/registry/secrets/kube-system/k3s-serving: Encrypted at rest by kube-apiserver (provider aescbc, key 'aescbckey'): the key is in the API server's encryption configuration, not in the bucket, so the value cannot be read here; read it through the API server (kubectl get) once it is back.",
        ],
      );
    } finally {
      prompts.restore();
    }
    const doc = vscode.window.activeTextEditor!.document;
    assert.notEqual(doc.uri.query, 'revealed');
    assert.match(doc.getText(), /^# Encrypted at rest by kube-apiserver \(provider aescbc, key 'aescbckey'\)/m);
    // Seen encrypted once, the key loses its reveal action.
    const again = await find(a, 'default', 'KV Buckets', 'kine', 'secrets', 'kube-system', 'k3s-serving');
    assert.equal(a.explorer.getTreeItem(again).contextValue, 'kineObject');
  });

  it('opens the bucket health document with its figures, cluster state and findings', async () => {
    const a = await api();
    await vscode.commands.executeCommand('natsK3s.kine.health', await find(a, 'default', 'KV Buckets', 'kine'));
    const text = vscode.window.activeTextEditor!.document.getText();
    assert.match(text, /^# Health of kine bucket 'kine' on 'default'/);
    assert.match(text, /^live keys: +\d+$/m);
    assert.match(text, /^cluster: +single server$/m);
    assert.match(text, /^direct gets: +on$/m);
    assert.match(text, /^findings: none; nothing here predicts a known kine failure\.$/m);
  });

  it('checks a datastore endpoint typed in an input box and shows the sentences, errors flagged', async () => {
    const prompts = new ScriptedPrompts().install();
    try {
      prompts
        .once('showInputBox', /^Check K3s Datastore Endpoint \(1\/2\)/, `${natsUrl}?bucket=kine&replicas=2`)
        .once('showInputBox', /^Check K3s Datastore Endpoint \(2\/2\)/, '')
        .once('showWarningMessage', /^kine would not start with this endpoint/, undefined);
      await vscode.commands.executeCommand('natsK3s.kine.checkEndpoint');
      assert.equal(prompts.take().length, 3);
    } finally {
      prompts.restore();
    }
    const text = vscode.window.activeTextEditor!.document.getText();
    assert.match(text, /^# K3s datastore endpoint check/);
    assert.match(text, /^OK +JetStream is enabled for the account\.$/m);
    assert.match(text, /^ERROR +The existing bucket has replicas 1 \(the endpoint says 2\)/m);
    assert.match(text, /^Verdict: 1 problem would stop kine or K3s/m);
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
    assert.match(
      String(a.explorer.getTreeItem(await podsNode()).description),
      /^\d+ objects in all namespaces · 1 deleted$/,
    );
  });
});
