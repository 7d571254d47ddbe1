/**
 * Extension host, trusted workspace: a workspace's settings that choose the helm program are asked about in a modal
 * naming the path before anything runs it; "no" runs nothing, "Allow" is remembered for this workspace and that path
 * only, and the same path from the user's own settings is never asked about. The program is a script standing for
 * what a cloned repository could name: it records each run.
 */
import * as assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ClusterAccess } from '../../src/vscode/cluster/clusterAccess';
import { ClusterCommands } from '../../src/vscode/cluster/clusterIds';
import { ReleasesTree } from '../../src/vscode/cluster/releasesTree';
import { memento } from './memento';
import { ScriptedPrompts } from './prompts';

const config = () => vscode.workspace.getConfiguration('natsK3s');

/** Sets `natsK3s.<key>` at `target` and resolves once the change is visible. */
async function setting(key: string, value: unknown, target: vscode.ConfigurationTarget): Promise<void> {
  await config().update(key, value, target);
  assert.deepEqual(
    config().inspect(key)?.[target === vscode.ConfigurationTarget.Workspace ? 'workspaceValue' : 'globalValue'],
    value,
  );
}

describe('extension host: programs a workspace names are asked about first (trusted workspace)', function () {
  this.timeout(60_000);
  let dir: string;
  let prompts: ScriptedPrompts;
  let values: string;
  let log: vscode.LogOutputChannel;
  const script = (name: string) => {
    const path = join(dir, name);
    writeFileSync(path, `#!/bin/sh\necho "$@" >> "${path}.ran"\necho "Error: not a real helm" >&2\nexit 3\n`);
    chmodSync(path, 0o755);
    return path;
  };
  const runs = (path: string) =>
    existsSync(`${path}.ran`) ? readFileSync(`${path}.ran`, 'utf8').trim().split('\n') : [];
  const preview = () =>
    vscode.commands.executeCommand(ClusterCommands.preview, { valuesFile: values, release: 'nats', namespace: 'nats' });

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'nk3s-ws-programs-'));
    values = join(dir, 'nats-values.yaml');
    writeFileSync(values, 'config:\n  jetstream:\n    enabled: true\n');
    prompts = new ScriptedPrompts().install();
    log = vscode.window.createOutputChannel('NATS workspace programs test', { log: true });
  });
  after(async () => {
    prompts?.restore();
    log?.dispose();
    await config().update('helmPath', undefined, vscode.ConfigurationTarget.Workspace);
    await config().update('helmPath', undefined, vscode.ConfigurationTarget.Global);
    rmSync(dir, { recursive: true, force: true });
  });

  it('asks in a modal naming the path; without Allow the program never runs', async () => {
    const repoHelm = script('repo-helm.sh');
    await setting('helmPath', repoHelm, vscode.ConfigurationTarget.Workspace);
    prompts.once('showWarningMessage', /helm program/, undefined);
    assert.equal(await preview(), undefined);
    const [asked, ...rest] = prompts.take();
    assert.deepEqual(rest, []);
    assert.equal(asked?.kind, 'showWarningMessage');
    assert.ok(asked?.modal, 'a modal');
    assert.equal(
      asked?.text.split('\n')[0],
      `This workspace's settings choose the helm program: ${repoHelm}. Use it for the NATS cluster commands?`,
    );
    assert.match(asked!.text, new RegExp(`natsK3s\\.helmPath: ${repoHelm.replace(/[.]/g, '\\.')}`));
    assert.deepEqual(asked?.choices, ['Allow']);
    assert.deepEqual(runs(repoHelm), []);
  });

  it('a view never asks: the Releases tree says the workspace value is not allowed yet, and its node offers to review it', async () => {
    const repoHelm = config().get<string>('helmPath')!;
    const access = new ClusterAccess(memento(), log);
    const tree = new ReleasesTree(access);
    try {
      const [node] = await tree.getChildren();
      const item = tree.getTreeItem(node!);
      assert.equal(
        item.label,
        `This workspace's settings choose natsK3s.helmPath (${repoHelm}), not yet allowed: refresh the Releases view or run a cluster command to be asked.`,
      );
      assert.equal(item.command?.command, ClusterCommands.refreshReleases);
      assert.deepEqual(prompts.take(), []);
      assert.deepEqual(runs(repoHelm), []);
    } finally {
      tree.dispose();
      access.dispose();
    }
  });

  it('Allow runs it, and is remembered for that path only', async () => {
    const repoHelm = config().get<string>('helmPath')!;
    prompts.once('showWarningMessage', /helm program/, 'Allow');
    await preview();
    assert.deepEqual(
      prompts.take().map((p) => p.kind),
      ['showWarningMessage', 'showErrorMessage'],
    );
    // The first thing a command runs: `helm version`, to check helm before asking anything.
    assert.deepEqual(runs(repoHelm), ['version --short']);
    // Asked once: the second run goes straight to helm.
    await preview();
    assert.deepEqual(
      prompts.take().map((p) => p.kind),
      ['showErrorMessage'],
    );
    assert.equal(runs(repoHelm).length, 2);
    // The workspace now names another program: asked again, about that one.
    const other = script('other-helm.sh');
    await setting('helmPath', other, vscode.ConfigurationTarget.Workspace);
    prompts.once('showWarningMessage', /helm program/, undefined);
    await preview();
    const [asked] = prompts.take();
    assert.match(
      asked!.text,
      new RegExp(`^This workspace's settings choose the helm program: ${other.replace(/[.]/g, '\\.')}\\.`),
    );
    assert.deepEqual(runs(other), []);
  });

  it("the same kind of path from the user settings is the user's choice: never asked about", async () => {
    await config().update('helmPath', undefined, vscode.ConfigurationTarget.Workspace);
    const userHelm = script('user-helm.sh');
    await setting('helmPath', userHelm, vscode.ConfigurationTarget.Global);
    await preview();
    assert.deepEqual(
      prompts.take().map((p) => p.kind),
      ['showErrorMessage'],
    );
    assert.deepEqual(runs(userHelm), ['version --short']);
  });
});
