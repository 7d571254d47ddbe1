/**
 * Extension host: a cluster command checks everything it needs before it asks anything, and says all that is missing
 * in one message with a button for each; the shell, smoke test and connect find a release by the chart's labels and
 * need no helm; the welcome views' context keys and the walkthrough's contribution. On the shared K3s-shaped stack
 * (sharedStack.ts; kwok plays the kubelet, and forwards the release's pod to a real NATS node), with real helm v4
 * installing the real chart, the commands run through their registrations and their prompts answered by
 * ScriptedPrompts.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { NatsK3sApi } from '../../src/extension';
import { loadClientNode } from '../../src/core/kube/clientNode';
import { ClusterAccess } from '../../src/vscode/cluster/clusterAccess';
import { ClusterCommands } from '../../src/vscode/cluster/clusterIds';
import type { ShellOutcome } from '../../src/vscode/cluster/podCommands';
import { ReleasesTree } from '../../src/vscode/cluster/releasesTree';
import { stateOf, StateKeys } from '../../src/vscode/walkthrough/stateKeys';
import type { K8sStack } from '../harness/k8sStack';
import { sharedStack } from '../harness/sharedStack';
import { repoRoot, tools } from '../harness/tools';
import { EXTENSION_ID } from './explorerHelpers';
import { memento } from './memento';
import { ScriptedPrompts } from './prompts';

const config = () => vscode.workspace.getConfiguration('natsK3s');
const CHART = join(repoRoot, '..', 'shared', 'charts', 'nats-2.14.2');
const SETTINGS = ['kubeconfig', 'helmPath', 'kubectlPath', 'connections'];
const NAMESPACE = 'guide';

interface Manifest {
  contributes: {
    commands: { command: string }[];
    viewsWelcome: { view: string; when?: string; contents: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    walkthroughs: {
      id: string;
      steps: { id: string; completionEvents: string[]; media: { markdown?: string; image?: string } }[];
    }[];
  };
}

describe('extension host: prerequisites first and all at once, the welcome views and the walkthrough', function () {
  this.timeout(180_000);
  let dir: string;
  let log: vscode.LogOutputChannel;
  let prompts: ScriptedPrompts;
  let api: NatsK3sApi;
  const saved = new Map<string, unknown>();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nk3s-prereq-host-'));
    log = vscode.window.createOutputChannel('NATS prerequisites host test', { log: true });
    for (const key of SETTINGS) saved.set(key, config().inspect(key)?.globalValue);
    api = await vscode.extensions.getExtension<NatsK3sApi>(EXTENSION_ID)!.activate();
    prompts = new ScriptedPrompts().install();
  });

  after(async () => {
    prompts?.restore();
    for (const key of SETTINGS) await config().update(key, saved.get(key), vscode.ConfigurationTarget.Global);
    for (const t of vscode.window.terminals.filter((t) => t.name.startsWith('nats-box: '))) t.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    log?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  afterEach(() => {
    // Throws when a prompt needed an answer that no test scripted.
    prompts.take();
  });

  describe('nothing set up: no helm and no kubeconfig', () => {
    const env: Record<string, string | undefined> = {};
    before(async () => {
      // No kubeconfig anywhere the extension looks: not in the setting, KUBECONFIG, ~/.kube/config or K3s's file.
      assert.ok(!existsSync('/etc/rancher/k3s/k3s.yaml'), 'this machine has no K3s kubeconfig');
      const home = join(dir, 'home');
      mkdirSync(home);
      for (const k of ['HOME', 'KUBECONFIG']) env[k] = process.env[k];
      process.env.HOME = home;
      delete process.env.KUBECONFIG;
      await config().update('kubeconfig', undefined, vscode.ConfigurationTarget.Global);
      await config().update('helmPath', join(dir, 'no-such-helm'), vscode.ConfigurationTarget.Global);
    });
    after(() => {
      for (const [k, v] of Object.entries(env))
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    });

    it('install says in one message that helm and a kubeconfig are missing, with a button for each, before asking anything', async () => {
      // A values file in the editor: without the check, the command went on to ask for the release name.
      const file = join(dir, 'values.yaml');
      writeFileSync(file, 'config:\n  jetstream:\n    enabled: true\n');
      await vscode.window.showTextDocument(vscode.Uri.file(file));
      const result = await vscode.commands.executeCommand(ClusterCommands.install);
      assert.equal(result, undefined, 'the command stopped');
      const asked = prompts.take();
      assert.deepEqual(
        asked.map((a) => a.kind),
        ['showErrorMessage'],
        JSON.stringify(asked),
      );
      assert.match(
        asked[0]!.text,
        /^Before installing the NATS chart, helm and a kubeconfig are needed\. no-such-helm was not found at .*no-such-helm: install it or set natsK3s\.helmPath to its path\. No kubeconfig was found: /,
      );
      assert.deepEqual(asked[0]!.choices, ['Open Settings', 'Choose Kubeconfig', 'Show Log']);
    });

    it('the Releases view is empty, so that its welcome content shows, and its context key says why', async () => {
      const access = new ClusterAccess(memento(), log);
      const tree = new ReleasesTree(access);
      try {
        assert.deepEqual(await tree.getChildren(), []);
        assert.equal(stateOf(StateKeys.noKubeconfig), true);
      } finally {
        tree.dispose();
        access.dispose();
      }
    });
  });

  describe('no helm, on the real control plane: the shell, smoke test and connect find the release by its labels', () => {
    let stack: K8sStack;
    const helmCli = (...args: string[]) =>
      execFileSync(tools().helm4, [...args, `--kubeconfig=${stack.kubeconfig}`], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });

    before(async () => {
      stack = await sharedStack();
      const k8s = await loadClientNode();
      const kc = new k8s.KubeConfig();
      kc.loadFromFile(stack.kubeconfig);
      await kc.makeApiClient(k8s.CoreV1Api).createNamespace({ body: { metadata: { name: NAMESPACE } } });
      // Pod guide-nats-0 stands for the cluster's node n1 (a kwok PortForward).
      await stack.forwardPodsToNats(NAMESPACE, 'guide-nats');
      helmCli('install', 'guide', CHART, `--namespace=${NAMESPACE}`, '--wait', '--timeout=120s');
      await config().update('kubeconfig', stack.kubeconfig, vscode.ConfigurationTarget.Global);
      await config().update('kubectlPath', tools().kubectl, vscode.ConfigurationTarget.Global);
      // Not installed: a path where there is nothing, as on a machine without helm.
      await config().update('helmPath', join(dir, 'no-such-helm'), vscode.ConfigurationTarget.Global);
      assert.equal(
        await vscode.commands.executeCommand(ClusterCommands.selectContext, { context: stack.context }),
        stack.context,
      );
    });
    after(async () => {
      if (!stack) return;
      try {
        helmCli('uninstall', 'guide', `--namespace=${NAMESPACE}`, '--wait');
      } catch {
        // Not installed: the before hook failed earlier.
      }
      const k8s = await loadClientNode();
      const kc = new k8s.KubeConfig();
      kc.loadFromFile(stack.kubeconfig);
      await kc
        .makeApiClient(k8s.CoreV1Api)
        .deleteNamespace({ name: NAMESPACE })
        .catch(() => undefined);
    });

    it('the smoke test, from the palette, offers the release its pods show and passes', async () => {
      prompts.once('showQuickPick', /^Test which release\?/, 'guide');
      const sentence = await vscode.commands.executeCommand<string>(ClusterCommands.smokeTest);
      assert.match(
        sentence ?? '',
        /^Release guide in namespace guide works: a message went through pod guide-nats-0 and back in [\d.]+ ms/,
      );
      const [pick] = prompts.take().filter((a) => a.kind === 'showQuickPick');
      assert.ok(pick?.choices.includes('guide'), JSON.stringify(pick));
      assert.equal(api.stateOf(StateKeys.smokeTestPassed), true);
    });

    it('the nats-box shell, from the palette, opens in the release’s nats-box pod', async () => {
      prompts.once('showQuickPick', /^Open a nats-box shell in which release\?/, 'guide');
      const result = await vscode.commands.executeCommand<ShellOutcome>(ClusterCommands.natsBoxShell);
      assert.equal(result?.kind, 'opened', JSON.stringify(result));
      assert.match(String(result.kind === 'opened' && result.shellArgs[5]), /^guide-nats-box-/);
      assert.ok(vscode.window.terminals.some((t) => t.name === `nats-box: guide (${NAMESPACE})`));
      assert.equal(api.stateOf(StateKeys.natsBoxOpened), true);
    });

    it('Connect to Release, from the palette, adds a connection to the picked release', async () => {
      prompts.once('showQuickPick', /^Connect to which release\?/, 'guide');
      const name = await vscode.commands.executeCommand<string>(ClusterCommands.connectRelease);
      assert.equal(name, `guide.${NAMESPACE}@${stack.context}`);
      const saved = config().get<{ name: string; cluster: { release: string; namespace: string } }[]>('connections');
      assert.deepEqual(saved?.find((c) => c.name === name)?.cluster, {
        namespace: NAMESPACE,
        release: 'guide',
        context: stack.context,
      });
    });

    it('install still needs helm, and says only that when the kubeconfig and the cluster are fine', async () => {
      const result = await vscode.commands.executeCommand(ClusterCommands.install, {
        valuesFile: join(dir, 'values.yaml'),
        release: 'guide',
        namespace: NAMESPACE,
      });
      assert.equal(result, undefined);
      const errors = prompts.take().filter((a) => a.kind === 'showErrorMessage');
      assert.deepEqual(
        errors.map((e) => [e.text.replace(/ no-such-helm .*/, ''), e.choices]),
        [['Before installing the NATS chart, helm is needed.', ['Open Settings', 'Show Log']]],
      );
      assert.equal(api.stateOf(StateKeys.clusterReached), true, 'the cluster answered the check');
    });
  });

  it('package.json: the welcome views show on keys the extension sets; every walkthrough step completes on one, or on a registered command, and has its media', async () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Manifest;
    const keys = new Set<string>(Object.values(StateKeys));
    const registered = await vscode.commands.getCommands(true);
    const welcome = Object.fromEntries(manifest.contributes.viewsWelcome.map((w) => [w.view, w.when]));
    assert.deepEqual(welcome, {
      'natsK3s.connections': StateKeys.noConnections,
      'natsK3s.releases': StateKeys.noKubeconfig,
    });
    const [walkthrough] = manifest.contributes.walkthroughs;
    assert.deepEqual(
      walkthrough?.steps.map((s) => s.id),
      ['values', 'check', 'cluster', 'install', 'smokeTest', 'natsBox', 'explore', 'datastore'],
    );
    for (const step of walkthrough!.steps) {
      assert.ok(step.completionEvents.length > 0, step.id);
      for (const event of step.completionEvents) {
        const [kind, name] = event.split(/:(.*)/s);
        assert.ok(
          (kind === 'onContext' && keys.has(name!)) || (kind === 'onCommand' && registered.includes(name!)),
          `${step.id}: ${event}`,
        );
      }
      const media = step.media.markdown ?? step.media.image;
      assert.ok(media && existsSync(join(repoRoot, media)), `${step.id}: ${media}`);
    }
    const title = manifest.contributes.menus['view/title']!.filter((m) => m.command === 'natsK3s.walkthrough.open');
    assert.deepEqual(
      title.map((m) => m.when),
      ['view == natsK3s.connections', 'view == natsK3s.releases'],
    );
    assert.ok(registered.includes('natsK3s.walkthrough.open'));
  });
});
