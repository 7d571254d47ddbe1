/**
 * Extension host: the cluster commands and the Releases view, run in code-server's real VS Code extension host.
 * Real: VS Code (commands, settings, terminals, documents, modals), client-node, the port-forward WebSocket protocol,
 * nats.js and the layer's nats-server (reached through the forward by the smoke test).
 * TEST DOUBLES: helm (test/doubles/helmDouble.ts, via natsK3s.helmPath: records every argument array, answers with
 * canned JSON) and the Kubernetes API server (test/doubles/kubeApiDouble.ts, via natsK3s.kubeconfig), plus a stand-in
 * kubectl script that the nats-box terminal runs (no cluster to exec into).
 * In this host VS Code refuses every modal ("DialogService: refused to show dialog in tests"; the command's funnel logs
 * it), so destructive steps are checked to do nothing unconfirmed; the confirmed uninstall is driven through the flow
 * function with a scripted confirmation instead.
 */
import * as assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import * as vscode from 'vscode';
import { ClusterAccess } from '../../src/vscode/cluster/clusterAccess';
import { ClusterCommands, RELEASES_CONTEXT_VALUES } from '../../src/vscode/cluster/clusterIds';
import { installChart, type InstallOutcome } from '../../src/vscode/cluster/installCommand';
import { ReadOnlyDocuments } from '../../src/vscode/readOnlyDocuments';
import type { ShellOutcome } from '../../src/vscode/cluster/podCommands';
import { ReleasesTree, type ReleasesNode } from '../../src/vscode/cluster/releasesTree';
import { uninstallChart, type UninstallOutcome } from '../../src/vscode/cluster/uninstallCommand';
import { createHelmDouble, type HelmDouble } from '../doubles/helmDouble';
import { KubeApiDouble, type DoublePod } from '../doubles/kubeApiDouble';
import { repoRoot } from '../harness/tools';
import { memento } from './memento';

const config = () => vscode.workspace.getConfiguration('natsK3s');
const natsPort = Number(new URL(process.env.NATS_K3S_TEST_NATS_URL!.replace(/^nats:/, 'http:')).port);
const labels = (release: string, component: string) => ({ 'app.kubernetes.io/name': 'nats', 'app.kubernetes.io/instance': release, 'app.kubernetes.io/component': component });

describe('extension host: helm life cycle and the Releases view (helm and the API server are doubles)', () => {
  let helm: HelmDouble;
  let api: KubeApiDouble;
  let dir: string;
  let kubeconfig: string;
  let kubectl: string;
  let log: vscode.LogOutputChannel;
  let callsBefore = 0;
  /** The argument arrays of the helm runs since the last `mark()`. */
  const newCalls = () => helm.calls().slice(callsBefore).map((c) => c.argv);
  const mark = () => (callsBefore = helm.calls().length);
  const target = () => [`--kubeconfig=${kubeconfig}`, '--kube-context=double'];
  const valuesFile = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const pod = (name: string, namespace: string, component: string, ready: boolean, extra: Partial<DoublePod> = {}): DoublePod => ({
    name, namespace, labels: labels(namespace === 'nats' ? 'nats' : namespace, component), ready, forwardTo: { host: '127.0.0.1', port: natsPort }, ...extra,
  });

  before(async () => {
    helm = createHelmDouble();
    api = await KubeApiDouble.start();
    dir = mkdtempSync(join(tmpdir(), 'nk3s-cluster-host-'));
    kubeconfig = api.writeKubeconfig(dir);
    kubectl = join(dir, 'kubectl');
    // Stands in for kubectl inside the terminal: it waits for input until the terminal is disposed.
    writeFileSync(kubectl, '#!/bin/sh\nexec cat\n');
    chmodSync(kubectl, 0o755);
    log = vscode.window.createOutputChannel('NATS cluster host test', { log: true });

    api.addPod(pod('nats-0', 'nats', 'nats', true));
    api.addPod(pod('nats-1', 'nats', 'nats', false, { status: { containerStatuses: [{ name: 'nats', ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container' } } }] } }));
    api.addPod(pod('nats-box-5d8f-x2', 'nats', 'nats-box', true, { containers: [{ name: 'nats-box' }] }));
    api.addPvc({ name: 'nats-js-nats-0', namespace: 'nats' });
    api.addPvc({ name: 'nats-js-nats-1', namespace: 'nats', size: '20Gi' });

    await config().update('helmPath', helm.binPath, vscode.ConfigurationTarget.Global);
    await config().update('kubeconfig', kubeconfig, vscode.ConfigurationTarget.Global);
    await config().update('kubectlPath', kubectl, vscode.ConfigurationTarget.Global);
    await config().update('helm.timeoutSeconds', 42, vscode.ConfigurationTarget.Global);
    assert.equal(await vscode.commands.executeCommand(ClusterCommands.selectContext, { context: 'double' }), 'double');
  });

  after(async () => {
    for (const key of ['helmPath', 'kubeconfig', 'kubectlPath', 'helm.timeoutSeconds']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    log?.dispose();
    await api?.stop();
    helm?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(mark);

  it('registers every cluster command', async () => {
    const registered = await vscode.commands.getCommands(true);
    assert.deepEqual(Object.values(ClusterCommands).filter((c) => !registered.includes(c)), []);
  });

  it('package.json: cluster commands in category NATS with codicons; every Releases viewItem is a contextValue the tree produces', () => {
    const { contributes: all } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      contributes: { commands: { command: string; category: string; icon?: string }[]; menus: Record<string, { command: string; when?: string }[]> };
    };
    const ours = new Set<string>(Object.values(ClusterCommands));
    const commands = all.commands.filter((c) => ours.has(c.command));
    assert.deepEqual(commands.map((c) => c.command).sort(), [...ours].sort());
    for (const c of commands) assert.ok(c.category === 'NATS' && /^\$\([\w-]+\)$/.test(c.icon ?? ''), c.command);
    for (const entry of (all.menus['view/item/context'] ?? []).filter((e) => (e.when ?? '').includes('view == natsK3s.releases'))) {
      const eq = /viewItem == ([\w.]+)/.exec(entry.when ?? '');
      assert.ok(eq && (RELEASES_CONTEXT_VALUES as readonly string[]).includes(eq[1]!), `menu for unknown contextValue in ${entry.when}`);
    }
  });

  it('installs a new release: repo, newest version, namespace created, exact upgrade --install argv', async () => {
    const file = valuesFile('fresh-values.yaml', 'config:\n  jetstream:\n    enabled: true\n');
    const result = await vscode.commands.executeCommand<InstallOutcome>(ClusterCommands.install, { valuesFile: file, release: 'fresh', namespace: 'brand-new' });
    assert.equal(result?.outcome, 'installed', JSON.stringify(result));
    assert.deepEqual(newCalls(), [
      ['repo', 'list', '-o', 'json'],
      ['search', 'repo', 'nats-io/nats', '--versions', '-o', 'json'],
      ['list', '-A', '-o', 'json', ...target()],
      ['upgrade', '--install', 'fresh', 'nats-io/nats', '--namespace=brand-new', `--values=${file}`, '--version=2.14.2', '--create-namespace', '--wait', '--timeout=42s', ...target()],
    ]);
    assert.ok(api.hasNamespace('brand-new'), 'the namespace was created through the API');
    assert.ok(result.outcome === 'installed' && /^Release fresh in namespace brand-new has no NATS server pods/.test(result.report), JSON.stringify(result));
  });

  it('installs a chosen version and reports pod readiness with the not-ready reason', async () => {
    api.addPod(pod('team-nats-0', 'team', 'nats', true));
    api.addPod(pod('team-nats-1', 'team', 'nats', false, { status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/1 nodes are available: 1 Insufficient memory.' }], containerStatuses: [] } }));
    const file = valuesFile('team-values.yaml', 'config:\n  cluster:\n    enabled: true\n');
    const result = await vscode.commands.executeCommand<InstallOutcome>(ClusterCommands.install, { valuesFile: file, release: 'team', namespace: 'team', version: '1.3.16' });
    assert.deepEqual(newCalls().map((a) => a[0]), ['repo', 'list', 'upgrade'], 'no search when the version is given');
    assert.ok(newCalls()[2]!.includes('--version=1.3.16'));
    assert.deepEqual(result, { outcome: 'installed', upgraded: false, ready: false, report: 'Release team in namespace team: 1 of 2 NATS pods ready; team-nats-1 is not ready: Unschedulable: 0/1 nodes are available: 1 Insufficient memory.' });
  });

  it('a values file with lint errors does not install when the modal is dismissed', async () => {
    const file = valuesFile('broken-values.yaml', 'config:\n  cluster:\n    enabled: true\n    enabled: false\n');
    const result = await vscode.commands.executeCommand<InstallOutcome>(ClusterCommands.install, { valuesFile: file, release: 'fresh', namespace: 'brand-new', version: '2.14.2' });
    assert.notEqual(result?.outcome, 'installed');
    assert.ok(!newCalls().some((a) => a[0] === 'upgrade'), JSON.stringify(newCalls()));
  });

  it('an existing release shows what changes and is not upgraded without confirmation', async () => {
    const file = valuesFile('nats-values.yaml', 'config:\n  cluster:\n    enabled: true\n    replicas: 5\n  jetstream:\n    enabled: true\n');
    const result = await vscode.commands.executeCommand<InstallOutcome>(ClusterCommands.install, { valuesFile: file, release: 'nats', namespace: 'nats', version: '2.14.2' });
    assert.notEqual(result?.outcome, 'installed');
    assert.ok(newCalls().some((a) => a.join(' ') === ['get', 'values', 'nats', '--namespace=nats', '-o', 'json', ...target()].join(' ')), JSON.stringify(newCalls()));
    assert.ok(!newCalls().some((a) => a[0] === 'upgrade'));
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'natsk3s' && d.uri.path === '/helm/nats/nats/upgrade-changes.txt');
    assert.ok(doc, 'the changes document is open');
    assert.match(doc.getText(), /^~ config\.cluster\.replicas: 3 → 5$/m);
    assert.match(doc.getText(), /^- natsBox \(back to the chart default/m);
  });

  it('confirmed: "Install anyway" past lint errors, then the upgrade of an existing release after its changes', async () => {
    const access = new ClusterAccess(memento(), log);
    const docs = new ReadOnlyDocuments();
    const asked: string[] = [];
    const confirm = async (message: string, _detail: string, action: string) => (asked.push(`${message} [${action}]`), true);
    try {
      const file = valuesFile('nats-upgrade-values.yaml', 'config:\n  jetstrem:\n    enabled: true\n');
      const result = await installChart({ access, docs, log, refresh: () => undefined, confirm }, { valuesFile: file, release: 'nats', namespace: 'nats', version: '2.14.2' });
      assert.deepEqual(result, { outcome: 'installed', upgraded: true, ready: false, report: 'Release nats in namespace nats: 1 of 2 NATS pods ready, nats-box ready; nats-1 is not ready: CrashLoopBackOff (container nats): back-off 40s restarting failed container.' });
      assert.deepEqual(asked.map((a) => a.replace(/\?.*\[/, '? … [')), ['nats-upgrade-values.yaml has 1 error: install release nats anyway? … [Install anyway]', 'Upgrade release nats in namespace nats (chart 2.14.2 → 2.14.2)? … [Upgrade]']);
      assert.deepEqual(newCalls().at(-1), ['upgrade', '--install', 'nats', 'nats-io/nats', '--namespace=nats', `--values=${file}`, '--version=2.14.2', '--create-namespace', '--wait', '--timeout=42s', ...target()]);
    } finally {
      docs.dispose();
      access.dispose();
    }
  });

  it('refuses to replace another chart’s release, and odd names before helm runs', async () => {
    const file = valuesFile('other-values.yaml', 'config: {}\n');
    assert.equal(await vscode.commands.executeCommand(ClusterCommands.install, { valuesFile: file, release: 'traefik', namespace: 'kube-system', version: '2.14.2' }), undefined);
    assert.equal(await vscode.commands.executeCommand(ClusterCommands.install, { valuesFile: file, release: 'Nats_Prod', namespace: 'nats' }), undefined);
    assert.equal(await vscode.commands.executeCommand(ClusterCommands.preview, { valuesFile: file, release: 'nats', namespace: 'nats; rm -rf ~' }), undefined);
    assert.ok(!newCalls().some((a) => a[0] === 'upgrade' || a[0] === 'template'), JSON.stringify(newCalls()));
  });

  it('previews the manifests with helm template in a read-only YAML document', async () => {
    const file = valuesFile('preview-values.yaml', 'config:\n  jetstream:\n    enabled: true\n');
    const uri = await vscode.commands.executeCommand<string>(ClusterCommands.preview, { valuesFile: file, release: 'nats', namespace: 'nats', version: '2.14.2' });
    assert.deepEqual(newCalls().at(-1), ['template', 'nats', 'nats-io/nats', '--namespace=nats', `--values=${file}`, '--version=2.14.2']);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
    assert.ok(doc);
    assert.equal(doc.languageId, 'yaml');
    assert.match(doc.getText(), /kind: Service/);
  });

  it('uninstall does nothing when its modal is dismissed', async () => {
    const result = await vscode.commands.executeCommand<UninstallOutcome>(ClusterCommands.uninstall, { release: 'nats', namespace: 'nats' });
    assert.notEqual(result?.outcome, 'uninstalled');
    assert.ok(!newCalls().some((a) => a[0] === 'uninstall'));
    assert.deepEqual(api.pvcNames('nats'), ['nats-js-nats-0', 'nats-js-nats-1']);
  });

  it('confirmed uninstall runs helm, then names each claim in a second modal before deleting them', async () => {
    api.addPvc({ name: 'gone-nats-js-gone-nats-0', namespace: 'gone' });
    api.addPvc({ name: 'unrelated-data', namespace: 'gone' });
    const access = new ClusterAccess(memento(), log);
    const asked: string[] = [];
    try {
      const result = await uninstallChart(
        { access, log, refresh: () => undefined, confirm: async (message, detail, action) => (asked.push(`${message}\n${detail}\n[${action}]`), true) },
        { release: 'gone', namespace: 'gone' },
      );
      assert.deepEqual(result, { outcome: 'uninstalled', claimsLeft: [], claimsDeleted: ['gone-nats-js-gone-nats-0'] });
    } finally {
      access.dispose();
    }
    assert.deepEqual(newCalls(), [['uninstall', 'gone', '--namespace=gone', ...target()]]);
    assert.equal(asked.length, 2);
    assert.match(asked[0]!, /^Uninstall release gone from namespace gone \(context double\)\?/);
    assert.match(asked[1]!, /1 PersistentVolumeClaim remain in gone/);
    assert.match(asked[1]!, /gone-nats-js-gone-nats-0 \(jetstream data, 10Gi, Bound\)/);
    assert.deepEqual(api.pvcNames('gone'), ['unrelated-data']);
  });

  it('opens the nats-box shell as a terminal with kubectl and an argument array', async () => {
    const result = await vscode.commands.executeCommand<ShellOutcome>(ClusterCommands.natsBoxShell, { release: 'nats', namespace: 'nats' });
    assert.equal(result?.kind, 'opened', JSON.stringify(result));
    const terminal = vscode.window.terminals.find((t) => t.name === 'nats-box: nats (nats)');
    assert.ok(terminal, vscode.window.terminals.map((t) => t.name).join(', '));
    try {
      const options = terminal.creationOptions as vscode.TerminalOptions;
      assert.equal(options.shellPath, kubectl);
      assert.deepEqual(options.shellArgs, [`--kubeconfig=${kubeconfig}`, '--context=double', '--namespace=nats', 'exec', '-it', 'nats-box-5d8f-x2', '-c', 'nats-box', '--', 'sh', '-l']);
    } finally {
      terminal.dispose();
    }
  });

  it('says how to set natsK3s.kubectlPath when kubectl is missing, and opens no terminal', async () => {
    await config().update('kubectlPath', join(dir, 'no-such-kubectl'), vscode.ConfigurationTarget.Global);
    const before = vscode.window.terminals.length;
    try {
      const result = await vscode.commands.executeCommand<ShellOutcome>(ClusterCommands.natsBoxShell, { release: 'nats', namespace: 'nats' });
      assert.equal(result?.kind, 'kubectl-not-found');
      assert.match(result.kind === 'kubectl-not-found' ? result.explanation : '', /^kubectl not found at .*no-such-kubectl: set natsK3s\.kubectlPath/);
      assert.equal(vscode.window.terminals.length, before);
    } finally {
      await config().update('kubectlPath', kubectl, vscode.ConfigurationTarget.Global);
    }
  });

  it('smoke test: a round trip through the port-forward to the real nats-server', async () => {
    const nc = await connect({ servers: process.env.NATS_K3S_TEST_NATS_URL! });
    try {
      await (await jetstreamManager(nc)).streams.add({ name: 'CLUSTER_SMOKE', subjects: ['cluster.smoke.>'] });
    } finally {
      await nc.close();
    }
    const sentence = await vscode.commands.executeCommand<string>(ClusterCommands.smokeTest, { release: 'nats', namespace: 'nats' });
    // The helm double's `get values` asks for a 3-server cluster; the runner's single nats-server is not one.
    assert.match(sentence ?? '', /^Release nats in namespace nats works: a message went through pod nats-0 and back in [\d.]+ ms \(NATS [\d.]+, JetStream enabled\)\. The values ask for 3 servers, but pod nats-0 sees 1 in its cluster/);
    const report = vscode.workspace.textDocuments.find((d) => d.uri.path === '/nats/nats/smoke-test.md');
    assert.ok(report, 'the report is a document (shown in the Markdown preview)');
    assert.match(report.getText(), /^# Smoke test of nats in nats\n/);
    assert.match(report.getText(), /\| Stream \| Storage \| Placement \| Replicas \| Consumers \| Messages \| Bytes \| Lost \| Deleted \|/);
    assert.match(report.getText(), /\| CLUSTER_SMOKE \| File \| – \| 1 \| 0 \| 0 \| 0 B \| 0 \| 0 \|/);
  });

  describe('the Releases tree', () => {
    let access: ClusterAccess;
    let tree: ReleasesTree;
    beforeEach(() => {
      access = new ClusterAccess(memento(), log);
      tree = new ReleasesTree(access);
    });
    afterEach(() => {
      tree.dispose();
      access.dispose();
    });
    const item = (n: ReleasesNode) => tree.getTreeItem(n);

    it('shows the nats chart’s releases with status and versions, and their pods with readiness', async () => {
      const roots = await tree.getChildren();
      assert.deepEqual(roots.map((n) => [item(n).label, item(n).description, item(n).contextValue]), [
        ['edge', 'iot · failed · chart 0.19.17 · app 2.9.20', 'release'],
        ['nats', 'nats · deployed · chart 2.14.2 · app 2.14.2', 'release'],
      ]);
      const pods = await tree.getChildren(roots[1]);
      assert.deepEqual(pods.map((n) => [item(n).label, item(n).description, item(n).contextValue]), [
        ['nats-0', 'ready 1/1', 'pod.nats'],
        ['nats-1', 'not ready · CrashLoopBackOff (container nats): back-off 40s restarting failed container', 'pod.nats'],
        ['nats-box-5d8f-x2', 'nats-box · ready 1/1', 'pod.natsBox'],
      ]);
      const edge = await tree.getChildren(roots[0]);
      assert.deepEqual(edge.map((n) => [n.kind, item(n).contextValue]), [['empty', 'releases.empty']]);
    });

    it('turns a missing helm and an unreadable kubeconfig into error nodes', async () => {
      await config().update('helmPath', join(dir, 'no-such-helm'), vscode.ConfigurationTarget.Global);
      try {
        const [node] = await tree.getChildren();
        assert.equal(node?.kind, 'error');
        assert.match(String(item(node!).label), /^no-such-helm was not found at .*no-such-helm: install it or set natsK3s\.helmPath/);
      } finally {
        await config().update('helmPath', helm.binPath, vscode.ConfigurationTarget.Global);
      }
      await config().update('kubeconfig', join(dir, 'missing.yaml'), vscode.ConfigurationTarget.Global);
      try {
        const [node] = await tree.getChildren();
        assert.equal(node?.kind, 'error');
        assert.match(String(item(node!).label), /missing\.yaml cannot be read: it does not exist/);
      } finally {
        await config().update('kubeconfig', kubeconfig, vscode.ConfigurationTarget.Global);
      }
    });

    it('says which context has no releases', async () => {
      helm.setResponse('list', { stdout: '[]' });
      try {
        const [node] = await tree.getChildren();
        assert.deepEqual([node?.kind, item(node!).label], ['empty', 'No releases of the nats chart in context double: install one.']);
      } finally {
        helm.setResponse('list', { stdout: readFileSync(join(repoRoot, 'test', 'fixtures', 'helm', 'list.json'), 'utf8') });
      }
    });
  });
});
