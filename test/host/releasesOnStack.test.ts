// The chart's life cycle against a real control plane: the K3s-shaped stack (kube-apiserver on kine on the 3-node
// NATS cluster, kube-controller-manager) with one fake node run by kwok, which plays the kubelet (no machine here runs
// containers: it makes Pods Running and Ready and serves port-forward from the API server to the real NATS nodes).
// Real helm v3 and v4 install the real chart (natsK3s.helm.chart) through the registered commands, their modals
// answered by ScriptedPrompts as a user would (prompts.ts): install with the seed's migrated values, the Releases view,
// an upgrade with its changes (refused, then confirmed), revision history and rollback, the smoke test through a
// port-forward, and uninstall naming the JetStream claims the StatefulSet leaves (refused, then confirmed).
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { parse, stringify } from 'yaml';
import { HelmClient } from '../../src/core/helm/helmClient';
import { loadClientNode } from '../../src/core/kube/clientNode';
import { migrateValues } from '../../src/core/values/migrateValues';
import { ClusterAccess } from '../../src/vscode/cluster/clusterAccess';
import { ClusterCommands } from '../../src/vscode/cluster/clusterIds';
import type { HistoryOutcome } from '../../src/vscode/cluster/historyCommand';
import type { InstallOutcome } from '../../src/vscode/cluster/installCommand';
import { ReleasesTree } from '../../src/vscode/cluster/releasesTree';
import type { UninstallOutcome } from '../../src/vscode/cluster/uninstallCommand';
import type { K8sStack } from '../harness/k8sStack';
import { sharedStack } from '../harness/sharedStack';
import { repoRoot, tools } from '../harness/tools';
import { allTabs, tabWhere } from './explorerHelpers';
import { memento } from './memento';
import { ScriptedPrompts } from './prompts';

const config = () => vscode.workspace.getConfiguration('natsK3s');
const CHART = join(repoRoot, '..', 'shared', 'charts', 'nats-2.14.2');
const ROLL_BACK = 'Roll Back';
const SETTINGS = ['kubeconfig', 'helmPath', 'helm.chart', 'kubectlPath', 'helm.timeoutSeconds'];

describe('extension host: the release life cycle on a real control plane (kwok plays the kubelet)', function () {
  this.timeout(240_000);
  let stack: K8sStack;
  let dir: string;
  let log: vscode.LogOutputChannel;

  before(async () => {
    stack = await sharedStack();
    dir = mkdtempSync(join(tmpdir(), 'nk3s-releases-'));
    log = vscode.window.createOutputChannel('NATS releases host test', { log: true });
    await config().update('kubeconfig', stack.kubeconfig, vscode.ConfigurationTarget.Global);
    await config().update('helm.chart', CHART, vscode.ConfigurationTarget.Global);
    await config().update('kubectlPath', tools().kubectl, vscode.ConfigurationTarget.Global);
    await config().update('helm.timeoutSeconds', 120, vscode.ConfigurationTarget.Global);
    assert.equal(
      await vscode.commands.executeCommand(ClusterCommands.selectContext, { context: stack.context }),
      stack.context,
    );
  });
  after(async () => {
    for (const key of SETTINGS) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    for (const t of allTabs().filter((t) => t.label.startsWith('nats: values of revision')))
      await vscode.window.tabGroups.close(t);
    log?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const helmName of ['helm3', 'helm4'] as const) {
    describe(helmName, () => {
      const namespace = `nats-${helmName}`;
      const ref = { release: 'nats', namespace };
      let access: ClusterAccess;
      let prompts: ScriptedPrompts;
      const modals = () =>
        prompts
          .take()
          .filter((a) => a.modal)
          .map((a) => `${a.text}\n[${a.choices.join(' | ')}]`);
      const file = (name: string, text: string) => {
        const path = join(dir, `${helmName}-${name}`);
        writeFileSync(path, text);
        return path;
      };
      const helm = () => new HelmClient({ helmPath: tools()[helmName], kubeconfigPaths: [stack.kubeconfig] });

      before(async () => {
        await config().update('helmPath', tools()[helmName], vscode.ConfigurationTarget.Global);
        // The release's pods nats-0..2 stand for the cluster's nodes n1..n3 (kwok PortForward objects, namespaced).
        const k8s = await loadClientNode();
        const kc = new k8s.KubeConfig();
        kc.loadFromFile(stack.kubeconfig);
        await kc.makeApiClient(k8s.CoreV1Api).createNamespace({ body: { metadata: { name: namespace } } });
        await stack.forwardPodsToNats(namespace, 'nats');
        // The kubeconfig's current context is the stack's.
        access = new ClusterAccess(memento(), log);
        prompts = new ScriptedPrompts().install();
      });
      after(async () => {
        prompts?.restore();
        access?.dispose();
        const k8s = await loadClientNode();
        const kc = new k8s.KubeConfig();
        kc.loadFromFile(stack.kubeconfig);
        await kc
          .makeApiClient(k8s.CoreV1Api)
          .deleteNamespace({ name: namespace })
          .catch(() => undefined);
      });

      it("installs the real chart with the seed's values after migration, and waits for its pods", async () => {
        const seed = readFileSync(join(repoRoot, 'test', 'fixtures', 'values', 'seed-0.x.yaml'), 'utf8');
        const values = file('values.yaml', migrateValues(seed).text);
        const result = await vscode.commands.executeCommand<InstallOutcome>(ClusterCommands.install, {
          valuesFile: values,
          ...ref,
        });
        assert.equal(result?.outcome, 'installed', JSON.stringify(result));
        assert.ok(
          result.outcome === 'installed' && result.ready && /3 of 3 NATS pods ready/.test(result.report),
          JSON.stringify(result),
        );
      });

      it('the Releases view shows the release with revision, chart and app versions, and its pods ready', async () => {
        const tree = new ReleasesTree(access);
        try {
          const release = (await tree.getChildren()).find(
            (n) => n.kind === 'release' && n.release.namespace === namespace,
          )!;
          assert.ok(release, 'the release is listed');
          assert.equal(tree.getTreeItem(release).description, `${namespace} · deployed · chart 2.14.2 · app 2.14.2`);
          assert.match(
            (tree.getTreeItem(release).tooltip as vscode.MarkdownString).value,
            /status: deployed \(revision 1\)/,
          );
          const pods = (await tree.getChildren(release)).map((n) => [
            tree.getTreeItem(n).label,
            tree.getTreeItem(n).description,
          ]);
          // nats, the config reloader and the Prometheus exporter, which the migrated 0.x values keep on.
          assert.deepEqual(
            pods.filter(([l]) => /^nats-\d$/.test(String(l))).map(([, d]) => d),
            ['ready 3/3', 'ready 3/3', 'ready 3/3'],
          );
          assert.ok(
            pods.some(([l, d]) => /^nats-box-/.test(String(l)) && /ready 1\/1/.test(String(d))),
            JSON.stringify(pods),
          );
        } finally {
          tree.dispose();
        }
      });

      it('an upgrade shows what changes, and runs only once its modal is confirmed', async () => {
        const values = parse(readFileSync(join(dir, `${helmName}-values.yaml`), 'utf8')) as Record<
          string,
          Record<string, unknown> | undefined
        >;
        const changed = file('upgrade.yaml', stringify({ ...values, natsBox: { ...values.natsBox, enabled: false } }));
        prompts.once('showWarningMessage', /^Upgrade release nats/, undefined);
        const refused = await vscode.commands.executeCommand<InstallOutcome>(ClusterCommands.install, {
          valuesFile: changed,
          ...ref,
        });
        assert.deepEqual(refused, { outcome: 'not-confirmed', changes: 1 });
        assert.equal((await helm().history(ref))[0]!.revision, 1, 'no upgrade when the modal is dismissed');
        modals();
        prompts.once('showWarningMessage', /^Upgrade release nats/, 'Upgrade');
        const result = await vscode.commands.executeCommand<InstallOutcome>(ClusterCommands.install, {
          valuesFile: changed,
          ...ref,
        });
        assert.equal(result?.outcome, 'installed', JSON.stringify(result));
        const [asked, ...more] = modals();
        assert.match(
          asked!,
          new RegExp(
            `^Upgrade release nats in namespace ${namespace} \\(chart 2\\.14\\.2 → [^)]*\\)\\? 1 value change`,
          ),
        );
        assert.match(asked!, /natsBox/);
        assert.match(asked!, /\[Upgrade\]$/);
        assert.deepEqual(more, []);
        assert.equal((await helm().history(ref))[0]!.revision, 2);
      });

      it('revision history compares values in the diff editor; a confirmed rollback makes revision 3', async () => {
        const compared = await vscode.commands.executeCommand<HistoryOutcome>(ClusterCommands.history, {
          ...ref,
          revision: 1,
        });
        assert.deepEqual(compared, { outcome: 'compared', revision: 1, current: 2, changes: 1 });
        await tabWhere((t) => t.label === 'nats: values of revision 1 ↔ 2 (deployed)', 'the values diff');
        prompts.once('showWarningMessage', /^Roll back release nats/, undefined);
        const dismissed = await vscode.commands.executeCommand<HistoryOutcome | undefined>(ClusterCommands.rollback, {
          ...ref,
          revision: 1,
        });
        assert.notEqual(dismissed?.outcome, 'rolled-back');
        assert.equal((await helm().history(ref))[0]!.revision, 2, 'no new revision when the modal is dismissed');
        modals();
        prompts.once('showWarningMessage', /^Roll back release nats/, ROLL_BACK);
        const rolled = await vscode.commands.executeCommand<HistoryOutcome>(ClusterCommands.rollback, {
          ...ref,
          revision: 1,
        });
        assert.deepEqual(rolled, { outcome: 'rolled-back', revision: 1, newRevision: 3 });
        assert.match(
          modals()[0]!,
          new RegExp(
            `^Roll back release nats in namespace ${namespace} \\(context ${stack.context}\\) from revision 2 to revision 1\\?`,
          ),
        );
        const [newest] = await helm().history(ref);
        assert.deepEqual([newest!.revision, newest!.status, newest!.description], [3, 'deployed', 'Rollback to 1']);
      });

      it('the smoke test goes through a port-forward to the real NATS cluster and finds the 3 servers the values ask for', async () => {
        const sentence = await vscode.commands.executeCommand<string>(ClusterCommands.smokeTest, ref);
        assert.match(
          sentence ?? '',
          new RegExp(
            `^Release nats in namespace ${namespace} works: a message went through pod nats-0 and back in [\\d.]+ ms \\(NATS 2\\.14\\.2, JetStream enabled\\)\\.`,
          ),
        );
        assert.doesNotMatch(sentence ?? '', /but pod nats-0 sees/);
      });

      it('uninstall does nothing when its modal is dismissed', async () => {
        prompts.once('showWarningMessage', /^Uninstall release nats/, undefined);
        const result = await vscode.commands.executeCommand<UninstallOutcome>(ClusterCommands.uninstall, ref);
        assert.notEqual(result?.outcome, 'uninstalled');
        assert.equal(modals().length, 1);
        assert.equal((await helm().history(ref))[0]!.status, 'deployed');
      });

      it('uninstall names each JetStream claim the StatefulSet left, and deletes them once confirmed', async () => {
        prompts
          .once('showWarningMessage', /^Uninstall release nats/, 'Uninstall')
          .once('showWarningMessage', /PersistentVolumeClaims remain/, 'Delete 3 Claims');
        const result = await vscode.commands.executeCommand<UninstallOutcome>(ClusterCommands.uninstall, ref);
        assert.deepEqual(result, {
          outcome: 'uninstalled',
          claimsLeft: [],
          claimsDeleted: ['nats-js-nats-0', 'nats-js-nats-1', 'nats-js-nats-2'],
        });
        const asked = modals();
        assert.match(
          asked[0]!,
          new RegExp(`^Uninstall release nats from namespace ${namespace} \\(context ${stack.context}\\)\\?`),
        );
        assert.match(asked[1]!, /nats-js-nats-0 \(jetstream data, 10Gi, Pending\)/);
        const k8s = await loadClientNode();
        const kc = new k8s.KubeConfig();
        kc.loadFromFile(stack.kubeconfig);
        const left = await kc.makeApiClient(k8s.CoreV1Api).listNamespacedPersistentVolumeClaim({ namespace });
        assert.deepEqual(
          left.items.filter((c) => !c.metadata?.deletionTimestamp).map((c) => c.metadata?.name),
          [],
        );
      });
    });
  }
});
