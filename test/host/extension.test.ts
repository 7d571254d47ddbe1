import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { NatsK3sApi } from '../../src/extension';

const EXTENSION_ID = 'nats-k3s.nats-k3s';

describe('extension host: activation and connection failures', () => {
  const config = () => vscode.workspace.getConfiguration('natsK3s');

  after(async () => {
    await config().update('defaultServerUrl', process.env.NATS_K3S_TEST_NATS_URL, vscode.ConfigurationTarget.Global);
  });

  it('runs in VS Code 1.139 with its own manifest', () => {
    assert.match(vscode.version, /^1\.139\./);
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    assert.equal(ext.packageJSON.displayName, 'NATS for K3s');
  });

  it('turns an unreachable server into one error node, and follows the setting', async () => {
    const a = await vscode.extensions.getExtension<NatsK3sApi>(EXTENSION_ID)!.activate();
    const changed = new Promise<void>((resolve) => {
      const sub = a.explorer.onDidChangeTreeData(() => {
        sub.dispose();
        resolve();
      });
    });
    await config().update('defaultServerUrl', 'nats://127.0.0.1:1', vscode.ConfigurationTarget.Global);
    await changed;
    const [conn] = await a.explorer.getChildren();
    assert.equal(a.explorer.getTreeItem(conn!).label, 'default');
    const children = await a.explorer.getChildren(conn);
    assert.equal(children.length, 1);
    assert.equal(children[0]?.kind, 'error');
    assert.match(
      String(a.explorer.getTreeItem(children[0]!).label),
      /^Connection refused: nothing is listening on 127\.0\.0\.1:1\./,
    );
    assert.equal(a.explorer.getTreeItem(conn!).contextValue, 'connection.failed');
  });
});
