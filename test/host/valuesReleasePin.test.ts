// The release a values file was installed into, as the source of its chart version, on the real control plane (the
// shared K3s-shaped stack; kwok plays the kubelet): real helm installs the real chart 1.3.16 with a values file
// through the registered command, the Releases view lists it, and the file is then checked against chart 1.3.16 (a
// key added in 2.12.4 is flagged, hover names the release); uninstalling forgets it.
import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { loadClientNode } from '../../src/core/kube/clientNode';
import { ClusterCommands, RELEASES_VIEW } from '../../src/vscode/cluster/clusterIds';
import type { InstallOutcome } from '../../src/vscode/cluster/installCommand';
import type { UninstallOutcome } from '../../src/vscode/cluster/uninstallCommand';
import type { K8sStack } from '../harness/k8sStack';
import { sharedStack } from '../harness/sharedStack';
import { repoRoot, tools } from '../harness/tools';
import { ScriptedPrompts } from './prompts';

const config = () => vscode.workspace.getConfiguration('natsK3s');
const CHART = join(repoRoot, '..', 'shared', 'charts', 'nats-1.3.16');
const SETTINGS = ['kubeconfig', 'helmPath', 'helm.chart', 'kubectlPath', 'helm.timeoutSeconds'];
const NAMESPACE = 'nats-pinned';
const workspace = process.env.NATS_K3S_TEST_WORKSPACE!;
const ADDED_LATER = /^Chart 1\.3\.16 ignores `config\.cluster\.noAdvertise` \(added in 2\.12\.4\)/;

const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'nats-k3s');

/** Resolves with the document's nats-k3s diagnostics once `accept` likes them. */
function diagnosticsWhen(uri: vscode.Uri, accept: (d: vscode.Diagnostic[]) => boolean): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve) => {
    if (accept(ours(uri))) return resolve(ours(uri));
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === uri.toString()) || !accept(ours(uri))) return;
      sub.dispose();
      resolve(ours(uri));
    });
  });
}

async function hoverText(doc: vscode.TextDocument, word: string): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    doc.uri,
    doc.positionAt(doc.getText().indexOf(word)),
  );
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

describe('extension host: a values file checked against the chart version of the release it was installed into', function () {
  this.timeout(240_000);
  let stack: K8sStack;
  let prompts: ScriptedPrompts;
  const dir = join(workspace, 'released');
  const file = join(dir, 'values.yaml');

  before(async () => {
    stack = await sharedStack();
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, 'config:\n  cluster:\n    noAdvertise: true\n');
    await config().update('kubeconfig', stack.kubeconfig, vscode.ConfigurationTarget.Global);
    await config().update('helm.chart', CHART, vscode.ConfigurationTarget.Global);
    await config().update('helmPath', tools().helm3, vscode.ConfigurationTarget.Global);
    await config().update('kubectlPath', tools().kubectl, vscode.ConfigurationTarget.Global);
    await config().update('helm.timeoutSeconds', 120, vscode.ConfigurationTarget.Global);
    assert.equal(
      await vscode.commands.executeCommand(ClusterCommands.selectContext, { context: stack.context }),
      stack.context,
    );
    prompts = new ScriptedPrompts().install();
  });
  after(async () => {
    prompts?.restore();
    for (const key of SETTINGS) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(dir, { recursive: true, force: true });
    if (stack) {
      const k8s = await loadClientNode();
      const kc = new k8s.KubeConfig();
      kc.loadFromFile(stack.kubeconfig);
      await kc
        .makeApiClient(k8s.CoreV1Api)
        .deleteNamespace({ name: NAMESPACE })
        .catch(() => undefined);
    }
  });

  it('before the install the newest chart applies; once the Releases view lists the release, its chart 1.3.16 does', async () => {
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    assert.match(await hoverText(doc, 'noAdvertise'), /the newest chart, 2\.14\.2 \(no version pinned\)/);
    assert.deepEqual(
      ours(doc.uri).map((d) => d.message),
      [],
    );

    const result = await vscode.commands.executeCommand<InstallOutcome>(ClusterCommands.install, {
      valuesFile: file,
      release: 'nats',
      namespace: NAMESPACE,
    });
    assert.equal(result?.outcome, 'installed', JSON.stringify(result));
    assert.deepEqual(
      prompts.take().filter((a) => a.modal),
      [],
    );
    // The user looks at the Releases view: its listing, not another helm run, gives the release's version.
    await vscode.commands.executeCommand(`${RELEASES_VIEW}.focus`);
    await vscode.commands.executeCommand(ClusterCommands.refreshReleases);
    const diags = await diagnosticsWhen(doc.uri, (d) => d.some((x) => ADDED_LATER.test(x.message)));
    assert.equal(diags.length, 1, diags.map((d) => d.message).join('\n'));
    assert.equal(doc.getText(diags[0]?.range), 'noAdvertise');
    assert.match(
      await hoverText(doc, 'noAdvertise'),
      new RegExp(`chart 1\\.3\\.16 from release nats in namespace ${NAMESPACE} \\(context ${stack.context}\\)`),
    );
  });

  it('uninstalling the release forgets it: the file goes back to the newest chart', async () => {
    prompts.once('showWarningMessage', /^Uninstall release nats/, 'Uninstall');
    const result = await vscode.commands.executeCommand<UninstallOutcome>(ClusterCommands.uninstall, {
      release: 'nats',
      namespace: NAMESPACE,
    });
    assert.equal(result?.outcome, 'uninstalled', JSON.stringify(result));
    // One modal, naming the release; the chart's JetStream is off, so no volume claim was left to ask about.
    assert.deepEqual(
      prompts
        .take()
        .filter((a) => a.modal)
        .map((a) => a.text.split('?')[0]),
      [`Uninstall release nats from namespace ${NAMESPACE} (context ${stack.context})`],
    );
    const doc = await vscode.workspace.openTextDocument(file);
    await diagnosticsWhen(doc.uri, (d) => !d.some((x) => ADDED_LATER.test(x.message)));
    assert.match(await hoverText(doc, 'noAdvertise'), /the newest chart, 2\.14\.2 \(no version pinned\)/);
  });
});
