/**
 * Extension host in Restricted Mode (runHostLayer.ts: workspace trust on, a folder nobody trusted). The workspace's
 * .vscode/settings.json names a helm script, a kubectl script, a kubeconfig whose exec plugin is a script, its own
 * servers and connections, as a cloned repository could. The extension activates with its values features; every
 * cluster command refuses in one sentence that names the ignored settings and offers to manage trust; no script ever
 * runs; the explorer works with the user's own servers and says which workspace settings it ignored.
 */
import * as assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ClusterCommands } from '../../../src/vscode/cluster/clusterIds';
import { Commands } from '../../../src/vscode/ids';
import { api, find, labelOf, labelsOf, tabWhere, until } from '../explorerHelpers';
import { ScriptedPrompts } from '../prompts';

const workspace = process.env.NATS_K3S_TEST_WORKSPACE!;
const config = () => vscode.workspace.getConfiguration('natsK3s');
const ran = join(workspace, 'ran.log');

/** A script that records that it ran: what a repository could name as helm, kubectl or a kubeconfig's exec plugin. */
function script(name: string): string {
  const path = join(workspace, name);
  writeFileSync(path, `#!/bin/sh\necho "${name} $*" >> "${ran}"\nexit 1\n`);
  chmodSync(path, 0o755);
  return path;
}

describe("extension host in Restricted Mode: a repository's settings name programs, a kubeconfig and servers", function () {
  this.timeout(60_000);
  let prompts: ScriptedPrompts;
  const helm = script('helm.sh');
  const kubectl = script('kubectl.sh');
  const kubeconfig = join(workspace, 'kubeconfig.yaml');

  before(async () => {
    writeFileSync(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'current-context: repo',
        'clusters: [{ name: repo, cluster: { server: "https://127.0.0.1:1" } }]',
        'contexts: [{ name: repo, context: { cluster: repo, user: repo } }]',
        `users: [{ name: repo, user: { exec: { apiVersion: client.authentication.k8s.io/v1, command: ${script('exec-plugin.sh')}, interactiveMode: Never } } }]`,
        '',
      ].join('\n'),
    );
    mkdirSync(join(workspace, '.vscode'), { recursive: true });
    const changed = new Promise<void>((resolve) => {
      const sub = vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('natsK3s.subjects.sampleSeconds')) {
          sub.dispose();
          resolve();
        }
      });
    });
    writeFileSync(
      join(workspace, '.vscode', 'settings.json'),
      JSON.stringify(
        {
          'natsK3s.helmPath': helm,
          'natsK3s.kubectlPath': kubectl,
          'natsK3s.kubeconfig': kubeconfig,
          'natsK3s.defaultServerUrl': 'nats://127.0.0.1:1',
          'natsK3s.connections': [{ name: 'from-repo', servers: 'nats://127.0.0.1:2' }],
          // Not restricted: it applies, and its change event says VS Code read the file.
          'natsK3s.subjects.sampleSeconds': 42,
        },
        null,
        2,
      ),
    );
    await changed;
    prompts = new ScriptedPrompts().install();
  });
  after(async () => {
    prompts?.restore();
    await config().update('connections', undefined, vscode.ConfigurationTarget.Global);
  });

  it('activates in Restricted Mode, with the workspace values of restricted settings out of effect', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    assert.ok(await api());
    assert.equal(config().get('subjects.sampleSeconds'), 42);
    assert.equal(config().get('helmPath'), '');
    assert.equal(config().get('kubeconfig'), '');
    assert.deepEqual(config().get('connections'), []);
  });

  it("reads the chart version an umbrella's Chart.yaml pins (reading runs no program)", async () => {
    const dir = join(workspace, 'umbrella');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'Chart.yaml'),
      'apiVersion: v2\nname: platform\nversion: 0.1.0\ndependencies:\n  - name: nats\n    alias: bus\n    version: 1.3.14\n    repository: https://nats-io.github.io/k8s/helm/charts/\n',
    );
    const file = join(dir, 'values.yaml');
    writeFileSync(file, 'bus:\n  container:\n    resources: {}\n');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    const ours = () => vscode.languages.getDiagnostics(editor.document.uri).filter((d) => d.source === 'nats-k3s');
    await until(vscode.languages.onDidChangeDiagnostics, () => ours().length > 0, 'the pinned version to be checked');
    assert.deepEqual(
      ours().map((d) => d.message),
      ['Chart 1.3.14 ignores `container.resources` (added in 1.3.15): use `container.merge.resources`.'],
    );
  });

  it('values IntelliSense, lint and migration work', async () => {
    const file = join(workspace, 'nats-values.yaml');
    writeFileSync(file, 'cluster:\n  enabled: true\n  replicas: 3\nconfig:\n  jetstream:\n    ena\n');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    const uri = editor.document.uri;
    const ours = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'nats-k3s');
    await until(
      vscode.languages.onDidChangeDiagnostics,
      () => ours().some((d) => d.code === 'legacy-chart-key'),
      'the 0.x key to be flagged',
    );
    const completion = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      uri,
      new vscode.Position(5, 7),
    );
    assert.ok(
      completion.items.some((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'enabled'),
      'completes config.jetstream.enabled',
    );
    // The preview (a diff and the list of keys written) works in Restricted Mode too; the user applies it.
    prompts.once('showWarningMessage', /^Migrate .* to chart 2\.x\?/, 'Apply Migration');
    await vscode.commands.executeCommand('natsK3s.values.migrate');
    assert.match(
      editor.document.getText(),
      /^config:\n {2}jetstream:\n {4}ena\n {2}cluster:\n {4}enabled: true\n {4}replicas: 3\n/,
    );
    await until(
      vscode.languages.onDidChangeDiagnostics,
      () => !ours().some((d) => d.code === 'legacy-chart-key'),
      'no 0.x key left',
    );
    assert.deepEqual(
      prompts.take().map((p) => p.text.replace(/\n[\s\S]*$/, '')),
      [
        'Migrate nats-values.yaml to chart 2.x? 4 key(s) written.',
        'Migrated to chart 2.x; every setting was carried, 4 key(s) written (listed in the log).',
      ],
    );
  });

  it('every cluster command refuses in one sentence naming the ignored settings, with Manage Workspace Trust; nothing runs', async () => {
    const ref = { release: 'nats', namespace: 'nats' };
    const calls: [string, unknown][] = [
      [ClusterCommands.install, { ...ref, valuesFile: join(workspace, 'nats-values.yaml') }],
      [ClusterCommands.preview, { ...ref, valuesFile: join(workspace, 'nats-values.yaml') }],
      [ClusterCommands.uninstall, ref],
      [ClusterCommands.smokeTest, ref],
      [ClusterCommands.natsBoxShell, ref],
      [ClusterCommands.history, { ...ref, revision: 1 }],
      [ClusterCommands.rollback, { ...ref, revision: 1 }],
      [ClusterCommands.selectContext, { context: 'repo' }],
      [ClusterCommands.refreshReleases, undefined],
      [ClusterCommands.connectRelease, undefined],
      [Commands.renderCheckValues, vscode.Uri.file(join(workspace, 'nats-values.yaml'))],
    ];
    const sentence = `Restricted Mode: the NATS cluster commands run helm, kubectl and the programs a kubeconfig names, so they are off until you trust this workspace; until then this workspace's natsK3s.helmPath (${helm}), natsK3s.kubectlPath (${kubectl}), natsK3s.kubeconfig (${kubeconfig}) are ignored.`;
    for (const [id, arg] of calls) {
      assert.equal(await vscode.commands.executeCommand(id, arg), undefined, id);
      assert.deepEqual(
        prompts.take().map((p) => [p.kind, p.text, p.choices]),
        [['showErrorMessage', sentence, ['Manage Workspace Trust']]],
        id,
      );
    }
    assert.equal(
      vscode.window.terminals.some((t) => t.name.startsWith('nats-box')),
      false,
    );
    assert.equal(existsSync(ran), false, 'no script the workspace named ran');
  });

  it("the refusal's button opens the Workspace Trust editor", async () => {
    prompts.once('showErrorMessage', /^Restricted Mode/, 'Manage Workspace Trust');
    await vscode.commands.executeCommand(ClusterCommands.install, {
      release: 'nats',
      namespace: 'nats',
      valuesFile: join(workspace, 'nats-values.yaml'),
    });
    await tabWhere((t) => t.label === 'Workspace Trust', 'the Workspace Trust editor');
    prompts.take();
    assert.equal(existsSync(ran), false);
  });

  it("the explorer connects to the user's own server and says which workspace settings it ignored", async () => {
    // A connection of the user's that goes through a port-forward needs the kubeconfig (a program, through exec).
    await config().update(
      'connections',
      [{ name: 'in-cluster', cluster: { release: 'nats', namespace: 'nats' } }],
      vscode.ConfigurationTarget.Global,
    );
    const a = await api();
    await vscode.commands.executeCommand('natsK3s.connections.refresh');
    const roots = await a.explorer.getChildren();
    assert.deepEqual(
      roots.map((n) => labelOf(a, n)),
      [
        'default',
        'in-cluster',
        'natsK3s.defaultServerUrl from this workspace is ignored in Restricted Mode',
        'natsK3s.connections from this workspace is ignored in Restricted Mode',
      ],
    );
    const ignored = a.explorer.getTreeItem(roots[3]!);
    assert.equal(ignored.command?.command, 'workbench.trust.manage');
    assert.match(
      String(ignored.tooltip),
      /^\.vscode\/settings\.json sets natsK3s\.connections; VS Code ignores it until you trust this workspace\./,
    );
    assert.deepEqual(await labelsOf(a, await find(a, 'default')), [
      'Server',
      'Cluster',
      'Subjects',
      'Streams',
      'KV Buckets',
      'Object Stores',
      'Services',
    ]);
    const [refused] = await a.explorer.getChildren(await find(a, 'in-cluster'));
    assert.match(
      labelOf(a, refused!),
      /^Restricted Mode: the NATS cluster commands run helm, kubectl and the programs a kubeconfig names, so they are off until you trust this workspace\.$/,
    );
    assert.equal(a.explorer.getTreeItem(refused!).command?.command, 'workbench.trust.manage');
    assert.equal(existsSync(ran), false);
    assert.deepEqual(prompts.take(), []);
  });
});
