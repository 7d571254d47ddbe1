import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { NatsK3sApi } from '../../src/extension';
import type { ConnectionNode } from '../../src/vscode/connectionsTree';

const EXTENSION_ID = 'nats-k3s.nats-k3s';

async function api(): Promise<NatsK3sApi> {
  const ext = vscode.extensions.getExtension<NatsK3sApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is loaded`);
  return ext.activate();
}

async function expand(a: NatsK3sApi): Promise<ConnectionNode[]> {
  const roots = await a.connections.getChildren();
  assert.equal(roots.length, 1);
  return a.connections.getChildren(roots[0]);
}

describe('extension host: activation and the Connections view', () => {
  const natsUrl = process.env.NATS_K3S_TEST_NATS_URL;
  const config = () => vscode.workspace.getConfiguration('natsK3s');

  after(async () => {
    await config().update('defaultServerUrl', natsUrl, vscode.ConfigurationTarget.Global);
  });

  it('runs in VS Code 1.139 with its own manifest', () => {
    assert.match(vscode.version, /^1\.139\./);
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    assert.equal(ext.packageJSON.displayName, 'NATS for K3s');
  });

  it('registers its commands on activation', async () => {
    await api();
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['natsK3s.connections.refresh', 'natsK3s.showLog']) assert.ok(commands.includes(id), id);
    await vscode.commands.executeCommand('natsK3s.connections.refresh');
  });

  it('shows the configured server and, expanded, what the real server says', async () => {
    assert.ok(natsUrl, 'the runner passes a nats-server URL');
    const a = await api();
    const roots = await a.connections.getChildren();
    assert.equal(roots[0]?.label, natsUrl);
    assert.equal(a.connections.getTreeItem(roots[0]!).collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    const labels = (await expand(a)).map((n) => n.label);
    assert.ok(labels.some((l) => /^nats-server 2\.\d+\.\d+$/.test(l)), labels.join(' | '));
    assert.ok(labels.includes('JetStream on'), labels.join(' | '));
  });

  it('turns an unreachable server into one error node, and follows the setting', async () => {
    const a = await api();
    const changed = new Promise<void>((resolve) => {
      const sub = a.connections.onDidChangeTreeData(() => {
        sub.dispose();
        resolve();
      });
    });
    await config().update('defaultServerUrl', 'nats://127.0.0.1:1', vscode.ConfigurationTarget.Global);
    await changed;
    const children = await expand(a);
    assert.equal(children.length, 1);
    assert.equal(children[0]?.kind, 'error');
    assert.match(children[0]!.label, /^Connection refused: nothing is listening on 127\.0\.0\.1:1\./);
    const item = a.connections.getTreeItem(children[0]!);
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'error');
  });
});
