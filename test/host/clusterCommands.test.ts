/**
 * Extension host: the cluster commands and the Releases view against the real control plane, the shared K3s-shaped
 * stack (sharedStack.ts: kube-apiserver on kine on the 3-node NATS cluster, kube-controller-manager, and one node run
 * by kwok, which plays the kubelet because no machine here runs containers: it marks Pods Running and Ready and runs
 * `kubectl exec` on this machine with the real `nats` CLI). Real: VS Code, helm v4 with the real chart
 * (natsK3s.helm.chart), kubectl, client-node. Prompts are answered by ScriptedPrompts (prompts.ts) as a user would.
 * The life cycle with helm v3 and v4 (upgrade, history, rollback, smoke test, uninstall) is releasesOnStack.test.ts.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import * as vscode from 'vscode';
import { loadClientNode } from '../../src/core/kube/clientNode';
import { ClusterAccess } from '../../src/vscode/cluster/clusterAccess';
import { ClusterCommands, RELEASES_CONTEXT_VALUES } from '../../src/vscode/cluster/clusterIds';
import type { InstallOutcome } from '../../src/vscode/cluster/installCommand';
import type { ShellOutcome } from '../../src/vscode/cluster/podCommands';
import { ReleasesTree, type ReleasesNode } from '../../src/vscode/cluster/releasesTree';
import type { K8sStack } from '../harness/k8sStack';
import { helmHome, startChartRepo, type ChartRepo, type HelmHome } from '../harness/chartRepo';
import { setKubeletReport } from '../harness/podStates';
import { sharedStack } from '../harness/sharedStack';
import { repoRoot, tools } from '../harness/tools';
import { memento } from './memento';
import { ACCEPT, ScriptedPrompts } from './prompts';

const config = () => vscode.workspace.getConfiguration('natsK3s');
const CHARTS = join(repoRoot, '..', 'shared', 'charts');
const SETTINGS = ['kubeconfig', 'helmPath', 'helm.chart', 'kubectlPath', 'helm.timeoutSeconds', 'readOnly'];
/** Namespaces this file creates (helm --create-namespace or the test), deleted in `after`. */
const NAMESPACES = ['lint', 'iot', 'preview', 'brand-new', 'stuck'];

describe('extension host: cluster commands and the Releases view on the real control plane (kwok plays the kubelet)', function () {
  this.timeout(180_000);
  let stack: K8sStack;
  let dir: string;
  let log: vscode.LogOutputChannel;
  let prompts: ScriptedPrompts;
  const helmCli = (...args: string[]) =>
    execFileSync(tools().helm4, [...args, `--kubeconfig=${stack.kubeconfig}`], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  const releaseNames = () =>
    (JSON.parse(helmCli('list', '-A', '-o', 'json')) as { name: string; namespace: string }[])
      .map((r) => `${r.namespace}/${r.name}`)
      .sort();
  const valuesFile = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  before(async () => {
    stack = await sharedStack();
    dir = mkdtempSync(join(tmpdir(), 'nk3s-cluster-host-'));
    log = vscode.window.createOutputChannel('NATS cluster host test', { log: true });
    await config().update('kubeconfig', stack.kubeconfig, vscode.ConfigurationTarget.Global);
    await config().update('helmPath', tools().helm4, vscode.ConfigurationTarget.Global);
    await config().update('helm.chart', join(CHARTS, 'nats-2.14.2'), vscode.ConfigurationTarget.Global);
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
    log?.dispose();
    if (stack) {
      for (const t of vscode.window.terminals.filter((t) => t.name.startsWith('nats-box: '))) t.dispose();
      const k8s = await loadClientNode();
      const kc = new k8s.KubeConfig();
      kc.loadFromFile(stack.kubeconfig);
      const core = kc.makeApiClient(k8s.CoreV1Api);
      for (const name of NAMESPACES) await core.deleteNamespace({ name }).catch(() => undefined);
      try {
        helmCli('uninstall', 'traefik', '--namespace=kube-system');
      } catch {
        // Not installed: the test that installs it failed earlier.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  afterEach(() => {
    // Throws when a prompt needed an answer that no test scripted.
    prompts.take();
  });

  it('registers every cluster command', async () => {
    const registered = await vscode.commands.getCommands(true);
    assert.deepEqual(
      Object.values(ClusterCommands).filter((c) => !registered.includes(c)),
      [],
    );
  });

  it('package.json: cluster commands in category NATS with codicons; every Releases viewItem is a contextValue the tree produces', () => {
    const { contributes: all } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      contributes: {
        commands: { command: string; category: string; icon?: string }[];
        menus: Record<string, { command: string; when?: string }[]>;
      };
    };
    const ours = new Set<string>(Object.values(ClusterCommands));
    const commands = all.commands.filter((c) => ours.has(c.command));
    assert.deepEqual(commands.map((c) => c.command).sort(), [...ours].sort());
    for (const c of commands) assert.ok(c.category === 'NATS' && /^\$\([\w-]+\)$/.test(c.icon ?? ''), c.command);
    for (const entry of (all.menus['view/item/context'] ?? []).filter((e) =>
      (e.when ?? '').includes('view == natsK3s.releases'),
    )) {
      const eq = /viewItem == ([\w.]+)/.exec(entry.when ?? '');
      assert.ok(
        eq && (RELEASES_CONTEXT_VALUES as readonly string[]).includes(eq[1]!),
        `menu for unknown contextValue in ${entry.when}`,
      );
    }
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

    // First in this file, before anything is installed (the host test files that install run after it and remove
    // their releases).
    it('says which context has no releases', async () => {
      assert.deepEqual(releaseNames(), []);
      const [node] = await tree.getChildren();
      assert.deepEqual(
        [node?.kind, item(node!).label],
        ['empty', `No releases of the nats chart in context ${stack.context}: install one.`],
      );
    });

    it('turns a missing helm and an unreadable kubeconfig into error nodes', async () => {
      await config().update('helmPath', join(dir, 'no-such-helm'), vscode.ConfigurationTarget.Global);
      try {
        const [node] = await tree.getChildren();
        assert.equal(node?.kind, 'error');
        assert.match(
          String(item(node!).label),
          /^no-such-helm was not found at .*no-such-helm: install it or set natsK3s\.helmPath/,
        );
      } finally {
        await config().update('helmPath', tools().helm4, vscode.ConfigurationTarget.Global);
      }
      await config().update('kubeconfig', join(dir, 'missing.yaml'), vscode.ConfigurationTarget.Global);
      try {
        const [node] = await tree.getChildren();
        assert.equal(node?.kind, 'error');
        assert.match(String(item(node!).label), /missing\.yaml cannot be read: it does not exist/);
      } finally {
        await config().update('kubeconfig', stack.kubeconfig, vscode.ConfigurationTarget.Global);
      }
    });
  });

  describe('install', () => {
    const typo = () => valuesFile('lint-values.yaml', 'config:\n  jetstrem:\n    enabled: true\n');

    it('a values file with errors does not install when its modal is dismissed', async () => {
      prompts.once('showWarningMessage', /^lint-values\.yaml has 1 error: install release lint anyway\?/, undefined);
      const result = await vscode.commands.executeCommand<InstallOutcome>(ClusterCommands.install, {
        valuesFile: typo(),
        release: 'lint',
        namespace: 'lint',
      });
      assert.notEqual(result?.outcome, 'installed');
      assert.deepEqual(
        prompts
          .take()
          .filter((a) => a.modal)
          .map((a) => a.choices),
        [['Install anyway']],
      );
      assert.deepEqual(releaseNames(), []);
    });

    it('"Install anyway" installs past the errors, creates the namespace and waits for the pods kwok makes ready', async () => {
      prompts.once('showWarningMessage', /^lint-values\.yaml has 1 error/, 'Install anyway');
      const result = await vscode.commands.executeCommand<InstallOutcome>(ClusterCommands.install, {
        valuesFile: typo(),
        release: 'lint',
        namespace: 'lint',
      });
      assert.deepEqual(result, {
        outcome: 'installed',
        upgraded: false,
        ready: true,
        report: 'Release lint in namespace lint: 1 of 1 NATS pod ready, nats-box ready.',
      });
      const [modal] = prompts.take().filter((a) => a.modal);
      assert.match(modal!.text, /config\.jetstrem/);
      assert.match(modal!.text, /helm does not check values: unknown or misplaced keys are silently ignored\./);
      assert.deepEqual(releaseNames(), ['lint/lint']);
    });

    it('read-only mode refuses install, upgrade, rollback and uninstall, even when the user confirms every prompt', async () => {
      const history = () =>
        (JSON.parse(helmCli('history', 'lint', '--namespace=lint', '-o', 'json')) as { revision: number }[]).map(
          (h) => h.revision,
        );
      const before = history();
      const accept = new ScriptedPrompts().install();
      for (const kind of ['showWarningMessage', 'showInputBox', 'showQuickPick'] as const)
        accept.always(kind, /[\s\S]*/, ACCEPT);
      await config().update('readOnly', true, vscode.ConfigurationTarget.Global);
      try {
        const lint = { release: 'lint', namespace: 'lint' };
        await vscode.commands.executeCommand(ClusterCommands.install, { ...lint, valuesFile: typo() });
        await vscode.commands.executeCommand(ClusterCommands.install, {
          release: 'other',
          namespace: 'other',
          valuesFile: typo(),
        });
        await vscode.commands.executeCommand(ClusterCommands.rollback, { ...lint, revision: 1 });
        await vscode.commands.executeCommand(ClusterCommands.uninstall, lint);
        const refusals = accept.take().filter((p) => p.kind === 'showErrorMessage');
        assert.deepEqual(
          refusals.map(
            (r) =>
              /^Read-only mode is on \(natsK3s\.readOnly\): .* was refused\. Turn the setting off to change the cluster\.$/.test(
                r.text,
              ) && r.choices.join(),
          ),
          Array(4).fill('Open Settings'),
          JSON.stringify(refusals),
        );
      } finally {
        accept.restore();
        await config().update('readOnly', undefined, vscode.ConfigurationTarget.Global);
      }
      assert.deepEqual(history(), before, 'no new revision, and the release is still there');
      assert.deepEqual(releaseNames(), ['lint/lint']);
    });

    it('an install whose pods no node can take times out naming the first pod and the scheduler’s reason', async () => {
      // A nodeSelector no node matches: the Pods stay Pending, as kube-scheduler leaves them (the stack's binder
      // writes its condition), and helm's --wait runs out.
      const file = valuesFile(
        'stuck-values.yaml',
        'podTemplate:\n  merge:\n    spec:\n      nodeSelector:\n        disktype: ssd\n',
      );
      await config().update('helm.timeoutSeconds', 8, vscode.ConfigurationTarget.Global);
      try {
        const result = await vscode.commands.executeCommand<InstallOutcome>(ClusterCommands.install, {
          valuesFile: file,
          release: 'stuck',
          namespace: 'stuck',
        });
        assert.equal(result, undefined, 'the command failed');
      } finally {
        await config().update('helm.timeoutSeconds', 120, vscode.ConfigurationTarget.Global);
      }
      const errors = prompts
        .take()
        .filter((a) => a.kind === 'showErrorMessage')
        .map((a) => a.text);
      assert.equal(errors.length, 1, errors.join('\n'));
      assert.match(
        errors[0]!,
        /First pod not ready: stuck-nats-0: Unschedulable: 0\/1 nodes are available: 1 node\(s\) didn't match Pod's node affinity\/selector/,
      );
    });

    it('refuses to replace another chart’s release, and odd names before helm runs', async () => {
      // A release of another chart, as K3s's own traefik is.
      const chart = join(dir, 'traefik');
      mkdirSync(join(chart, 'templates'), { recursive: true });
      writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: traefik\nversion: 34.2.1\nappVersion: v3.3.2\n');
      writeFileSync(
        join(chart, 'templates', 'cm.yaml'),
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: traefik-settings\ndata: {}\n',
      );
      helmCli('install', 'traefik', chart, '--namespace=kube-system');
      const file = valuesFile('other-values.yaml', 'config: {}\n');
      assert.equal(
        await vscode.commands.executeCommand(ClusterCommands.install, {
          valuesFile: file,
          release: 'traefik',
          namespace: 'kube-system',
        }),
        undefined,
      );
      assert.equal(
        await vscode.commands.executeCommand(ClusterCommands.install, {
          valuesFile: file,
          release: 'Nats_Prod',
          namespace: 'lint',
        }),
        undefined,
      );
      assert.equal(
        await vscode.commands.executeCommand(ClusterCommands.preview, {
          valuesFile: file,
          release: 'nats',
          namespace: 'nats; rm -rf ~',
        }),
        undefined,
      );
      const history = JSON.parse(helmCli('history', 'traefik', '--namespace=kube-system', '-o', 'json')) as {
        chart: string;
      }[];
      assert.deepEqual(
        history.map((h) => h.chart),
        ['traefik-34.2.1'],
        'the other chart’s release is untouched',
      );
      assert.deepEqual(releaseNames(), ['kube-system/traefik', 'lint/lint', 'stuck/stuck']);
    });

    it('previews the manifests with helm template in a read-only YAML document', async () => {
      const file = valuesFile('preview-values.yaml', 'config:\n  jetstream:\n    enabled: true\n');
      const uri = await vscode.commands.executeCommand<string>(ClusterCommands.preview, {
        valuesFile: file,
        release: 'nats',
        namespace: 'preview',
      });
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
      assert.ok(doc, String(uri));
      assert.equal(doc.languageId, 'yaml');
      assert.match(doc.getText(), /^kind: StatefulSet$/m);
      assert.match(doc.getText(), /^# Source: nats\/templates\/stateful-set\.yaml$/m);
      assert.match(doc.getText(), /jetstream/);
      assert.ok(!releaseNames().some((r) => r.startsWith('preview/')), 'a preview installs nothing');
    });
  });

  describe('install from a chart repository (a mirror on loopback: natsK3s.helm.repository)', () => {
    let repo: ChartRepo;
    let home: HelmHome;
    const saved: Record<string, string | undefined> = {};
    before(async () => {
      repo = await startChartRepo({ path: 'chartrepo/nats' });
      // helm runs as this process's child: its repositories go to a temp folder, not the user's ~/.config/helm.
      home = helmHome();
      for (const [k, v] of Object.entries(home.env)) [saved[k], process.env[k]] = [process.env[k], v];
      await config().update('helm.chart', undefined, vscode.ConfigurationTarget.Global);
      await config().update('helm.repository', repo.url, vscode.ConfigurationTarget.Global);
    });
    after(async () => {
      await config().update('helm.repository', undefined, vscode.ConfigurationTarget.Global);
      await config().update('helm.chart', join(CHARTS, 'nats-2.14.2'), vscode.ConfigurationTarget.Global);
      for (const [k, v] of Object.entries(saved))
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      home?.remove();
      await repo?.stop();
      for (const t of vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label === 'fresh-values.yaml'))
        await vscode.window.tabGroups.close(t);
    });

    it('asks for release, namespace and version, adds the repository to helm, and installs the picked version', async () => {
      const file = valuesFile('fresh-values.yaml', 'config:\n  jetstream:\n    enabled: true\n');
      await vscode.window.showTextDocument(vscode.Uri.file(file));
      prompts
        .once('showInputBox', /^Release name/, 'fresh')
        .once('showInputBox', /^Namespace/, 'brand-new')
        .once('showQuickPick', /^Chart version — newest: 2\.14\.2$/, '1.3.16');
      const result = await vscode.commands.executeCommand<InstallOutcome>(ClusterCommands.install);
      assert.equal(result?.outcome, 'installed', JSON.stringify(result));
      const asked = prompts.take().filter((a) => a.kind !== 'showInformationMessage');
      assert.deepEqual(
        asked.map((a) => a.kind),
        ['showInputBox', 'showInputBox', 'showQuickPick'],
      );
      assert.deepEqual(asked[2]!.choices, ['2.14.2', '1.3.16', '0.19.17'], 'the repository’s versions, newest first');
      const repos = JSON.parse(
        execFileSync(tools().helm4, ['repo', 'list', '-o', 'json'], { encoding: 'utf8', env: process.env }),
      ) as { name: string; url: string }[];
      assert.deepEqual(
        repos.map((r) => r.url.replace(/\/?$/, '/')),
        [repo.url],
      );
      const [fresh] = JSON.parse(helmCli('list', '--namespace=brand-new', '-o', 'json')) as {
        name: string;
        chart: string;
      }[];
      assert.deepEqual([fresh?.name, fresh?.chart], ['fresh', 'nats-1.3.16']);
      assert.ok(
        repo.requests().some((r) => r.endsWith('/nats-1.3.16.tgz')),
        repo.requests().join(' '),
      );
    });

    it('an upgrade to the newest version from the repository shows the change of chart', async () => {
      const file = valuesFile('fresh-values.yaml', 'config:\n  jetstream:\n    enabled: true\n');
      prompts.once(
        'showWarningMessage',
        /^Upgrade release fresh in namespace brand-new \(chart 1\.3\.16 → 2\.14\.2\)\?/,
        'Upgrade',
      );
      const result = await vscode.commands.executeCommand<InstallOutcome>(ClusterCommands.install, {
        valuesFile: file,
        release: 'fresh',
        namespace: 'brand-new',
      });
      assert.deepEqual([result?.outcome, result?.outcome === 'installed' && result.upgraded], ['installed', true]);
      assert.equal(prompts.take().filter((a) => a.modal).length, 1);
      const [fresh] = JSON.parse(helmCli('list', '--namespace=brand-new', '-o', 'json')) as {
        chart: string;
        revision: string;
      }[];
      assert.deepEqual([fresh?.chart, String(fresh?.revision)], ['nats-2.14.2', '2']);
    });
  });

  describe('nats-box', () => {
    it('opens a shell in the nats-box pod through kubectl exec, where the real nats CLI publishes to the cluster', async () => {
      const nc = await connect({ servers: stack.natsUrls });
      try {
        const sub = nc.subscribe('test', { max: 1 });
        await nc.flush();
        const result = await vscode.commands.executeCommand<ShellOutcome>(ClusterCommands.natsBoxShell, {
          release: 'lint',
          namespace: 'lint',
        });
        assert.equal(result?.kind, 'opened', JSON.stringify(result));
        const terminal = vscode.window.terminals.find((t) => t.name === 'nats-box: lint (lint)');
        assert.ok(terminal, vscode.window.terminals.map((t) => t.name).join(', '));
        const options = terminal.creationOptions as vscode.TerminalOptions;
        assert.equal(options.shellPath, tools().kubectl);
        assert.deepEqual(options.shellArgs?.slice(0, 5), [
          `--kubeconfig=${stack.kubeconfig}`,
          `--context=${stack.context}`,
          '--namespace=lint',
          'exec',
          '-it',
        ]);
        assert.match(String(options.shellArgs?.[5]), /^lint-nats-box-/);
        assert.deepEqual(options.shellArgs?.slice(6), ['-c', 'nats-box', '--', 'sh', '-l']);
        // What the README's users type first in nats-box.
        terminal.sendText('nats pub test hi');
        for await (const msg of sub) assert.equal(msg.string(), 'hi');
      } finally {
        await nc.close();
      }
    });

    it('says how to set natsK3s.kubectlPath when kubectl is missing, and opens no terminal', async () => {
      await config().update('kubectlPath', join(dir, 'no-such-kubectl'), vscode.ConfigurationTarget.Global);
      const before = vscode.window.terminals.length;
      try {
        const result = await vscode.commands.executeCommand<ShellOutcome>(ClusterCommands.natsBoxShell, {
          release: 'lint',
          namespace: 'lint',
        });
        assert.equal(result?.kind, 'kubectl-not-found');
        assert.match(
          result.kind === 'kubectl-not-found' ? result.explanation : '',
          /^kubectl not found at .*no-such-kubectl: set natsK3s\.kubectlPath/,
        );
        assert.equal(vscode.window.terminals.length, before);
        assert.deepEqual(
          prompts.take().map((a) => [a.kind, a.choices]),
          [['showErrorMessage', ['Open Settings']]],
        );
      } finally {
        await config().update('kubectlPath', tools().kubectl, vscode.ConfigurationTarget.Global);
      }
    });
  });

  describe('the Releases tree with releases', () => {
    let access: ClusterAccess;
    let tree: ReleasesTree;
    before(() => {
      // A release of chart 0.x, whose pods carry that chart's own labels, installed the way its users did.
      helmCli(
        'install',
        'edge',
        join(CHARTS, 'nats-0.19.17'),
        '--namespace=iot',
        '--create-namespace',
        '--wait',
        '--timeout=120s',
      );
    });
    beforeEach(() => {
      access = new ClusterAccess(memento(), log);
      tree = new ReleasesTree(access);
    });
    afterEach(() => {
      tree.dispose();
      access.dispose();
    });
    const item = (n: ReleasesNode) => tree.getTreeItem(n);

    it('shows the nats chart’s releases (not other charts’) by namespace, with status and versions, and their pods with readiness', async () => {
      const roots = await tree.getChildren();
      assert.deepEqual(
        roots.map((n) => [item(n).label, item(n).description, item(n).contextValue]),
        [
          ['fresh', 'brand-new · deployed · chart 2.14.2 · app 2.14.2', 'release'],
          ['edge', 'iot · deployed · chart 0.19.17 · app 2.9.20', 'release'],
          ['lint', 'lint · deployed · chart 2.14.2 · app 2.14.2', 'release'],
          ['stuck', 'stuck · failed · chart 2.14.2 · app 2.14.2', 'release'],
        ],
      );
      const lint = await tree.getChildren(roots[2]);
      assert.deepEqual(
        lint.map((n) => [
          String(item(n).label).replace(/-[a-z0-9]{8,10}-[a-z0-9]{5}$/, '-…'),
          item(n).description,
          item(n).contextValue,
        ]),
        [
          ['lint-nats-0', 'ready 2/2', 'pod.nats'],
          ['lint-nats-box-…', 'nats-box · ready 1/1', 'pod.natsBox'],
        ],
      );
      const edge = await tree.getChildren(roots[1]);
      assert.deepEqual(
        edge.filter((n) => item(n).contextValue === 'pod.nats').map((n) => [item(n).label, item(n).description]),
        [['edge-nats-0', 'ready 3/3']],
      );
    });

    it('shows a pod’s not-ready reason as the kubelet reports it (kwok, asked for a crash loop)', async () => {
      await setKubeletReport(stack, 'lint', 'lint-nats-0', 'crash-loop', { restartCount: 4 });
      try {
        const lint = (await tree.getChildren()).find((n) => item(n).label === 'lint')!;
        const pod = (await tree.getChildren(lint)).find((n) => item(n).label === 'lint-nats-0')!;
        assert.match(
          String(item(pod).description),
          /^not ready · CrashLoopBackOff \(container nats\): back-off \d+[sm]\S* restarting failed container/,
        );
      } finally {
        await setKubeletReport(stack, 'lint', 'lint-nats-0', 'ready');
      }
    });
  });
});
