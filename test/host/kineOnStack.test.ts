/**
 * Extension host: K3s's own state as the real thing writes it. kube-apiserver stores objects through real kine
 * (0.17.5) into the `kine` bucket of the shared stack's 3-node NATS cluster (sharedStack.ts); the NATS view, connected
 * to that cluster, shows them as resource types › namespaces › names, hides deleted ones until asked, and opens each
 * as a document whose revision is the resourceVersion the API server reports. (kine.test.ts covers the same tree on
 * the project's reference scenario, written by its fixture writer, with kinds the stack does not make.)
 */
import * as assert from 'node:assert/strict';
// biome-ignore syntax/correctness/noTypeOnlyImportAttributes: TypeScript takes an ES module's types into CommonJS only with resolution-mode
import type { CoreV1Api } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import * as vscode from 'vscode';
import { loadClientNode } from '../../src/core/kube/clientNode';
import type { K8sStack } from '../harness/k8sStack';
import { eventually } from '../harness/processes';
import { sharedStack } from '../harness/sharedStack';
import { api, find, labelsOf } from './explorerHelpers';

const NS = 'kine-host';
const config = () => vscode.workspace.getConfiguration('natsK3s');

describe('extension host: the kine bucket kube-apiserver wrote through real kine', function () {
  this.timeout(120_000);
  let stack: K8sStack;
  let core: CoreV1Api;
  const versions = new Map<string, string>();

  before(async () => {
    stack = await sharedStack();
    const k8s = await loadClientNode();
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(stack.kubeconfig);
    core = kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: NS } } });
    for (const name of ['alpha', 'beta', 'gone'])
      await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name }, data: { k: name } } });
    // kine may answer a read right after a write from a follower that has not caught up (kineOnStack in the CLI tests).
    const beta = await eventually(
      'beta to be updated',
      () =>
        core.replaceNamespacedConfigMap({
          name: 'beta',
          namespace: NS,
          body: { metadata: { name: 'beta' }, data: { k: 'beta, changed' } },
        }),
      10_000,
    );
    versions.set('beta', beta.metadata!.resourceVersion!);
    await eventually(
      'gone to be deleted',
      () => core.deleteNamespacedConfigMap({ name: 'gone', namespace: NS }),
      10_000,
    );
    versions.set(
      'alpha',
      (await core.readNamespacedConfigMap({ name: 'alpha', namespace: NS })).metadata!.resourceVersion!,
    );
    await config().update('connections', [{ name: 'k3s', servers: stack.natsUrls }], vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await config().update('connections', undefined, vscode.ConfigurationTarget.Global);
    await config().update('kine.showDeleted', undefined, vscode.ConfigurationTarget.Global);
    await core?.deleteNamespace({ name: NS }).catch(() => undefined);
  });

  it('shows what the API lists under its resource type and namespace, a deleted object only when asked', async () => {
    const a = await api();
    const types = await labelsOf(a, await find(a, 'k3s', 'KV Buckets', 'kine'));
    for (const t of ['configmaps', 'namespaces', 'serviceaccounts', 'services/specs', 'Other keys'])
      assert.ok(types.includes(t), `${t} in ${types.join(', ')}`);
    // Cluster-scoped: no namespace level.
    assert.ok((await labelsOf(a, await find(a, 'k3s', 'KV Buckets', 'kine', 'namespaces'))).includes(NS));
    const listed = (await core.listNamespacedConfigMap({ namespace: NS })).items.map((c) => c.metadata!.name!).sort();
    assert.deepEqual(await labelsOf(a, await find(a, 'k3s', 'KV Buckets', 'kine', 'configmaps', NS)), listed);
    assert.ok(!listed.includes('gone'));
    await config().update('kine.showDeleted', true, vscode.ConfigurationTarget.Global);
    assert.deepEqual(
      await labelsOf(a, await find(a, 'k3s', 'KV Buckets', 'kine', 'configmaps', NS)),
      [...listed, 'gone'].sort(),
    );
    await config().update('kine.showDeleted', undefined, vscode.ConfigurationTarget.Global);
  });

  it('opens an object as a YAML document whose revision is the API server’s resourceVersion', async () => {
    const a = await api();
    for (const name of ['alpha', 'beta']) {
      await vscode.commands.executeCommand(
        'natsK3s.kine.open',
        await find(a, 'k3s', 'KV Buckets', 'kine', 'configmaps', NS, name),
      );
      const text = vscode.window.activeTextEditor!.document.getText();
      assert.match(text, new RegExp(`^# /registry/configmaps/${NS}/${name}`));
      assert.match(text, /kind: ConfigMap/);
      assert.equal(/modRevision: (\d+)/.exec(text)?.[1], versions.get(name), text.slice(0, 600));
    }
    // The newest of beta's two stored revisions: the update, decoded as the API returns it.
    const beta = vscode.window.activeTextEditor!.document.getText();
    assert.match(beta, /storedRevisions: 2/);
    assert.match(beta, /^ {2}data:\n {4}k: beta, changed$/m);
  });
});
