// Connections from the tree: connect, disconnect, edit and remove (with its modal and its secret), and the secret
// command only where the auth takes one. A real nats-server that requires a token proves the secret is really gone.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { NatsK3sApi } from '../../src/extension';
import type { ManagedConnection } from '../../src/vscode/explorer/connectionManager';
import { writeNatsConfig, type NatsConfigFile } from '../harness/natsConfig';
import { startNatsServer, type NatsServer } from '../harness/natsServer';
import { api, find, labelsOf, until } from './explorerHelpers';
import { ACCEPT, ScriptedPrompts } from './prompts';

const config = () => vscode.workspace.getConfiguration('natsK3s');
const TOKEN = `t0ken-${Date.now().toString(36)}`;

async function connectionNamed(a: NatsK3sApi, name: string): Promise<ManagedConnection | undefined> {
  return (await a.connections.list()).find((c) => c.spec.name === name);
}

function contextOf(a: NatsK3sApi, conn: ManagedConnection): string {
  return String(a.explorer.getTreeItem({ kind: 'connection', conn }).contextValue);
}

function entries(): { name: string; servers: string[] }[] {
  return (config().inspect<{ name: string; servers: string[] }[]>('connections')?.globalValue ?? []).map((e) => ({
    name: e.name,
    servers: e.servers,
  }));
}

describe('extension host: connections managed from the tree', function () {
  this.timeout(60_000);
  let server: NatsServer;
  let conf: NatsConfigFile;
  let prompts: ScriptedPrompts;

  /** Waits until the named connection is listed again (settings changes reload the list) and returns it. */
  const listed = async (a: NatsK3sApi, name: string, check: (c: ManagedConnection) => boolean = () => true) => {
    let found: ManagedConnection | undefined;
    await until(
      a.connections.onDidChange,
      async () => {
        found = await connectionNamed(a, name);
        return found !== undefined && check(found);
      },
      `connection ${name}`,
    );
    return found!;
  };

  before(async () => {
    conf = writeNatsConfig(`authorization { token: "${TOKEN}" }\n`);
    server = await startNatsServer({ jetstream: false, extraArgs: conf.args });
    await config().update('readOnly', undefined, vscode.ConfigurationTarget.Global);
    await config().update(
      'connections',
      [
        { name: 'managed', servers: [server.url], auth: { kind: 'token' } },
        { name: 'neighbour', servers: ['nats://127.0.0.1:1'] },
      ],
      vscode.ConfigurationTarget.Global,
    );
    (await api()).connections.applyReadOnly();
  });

  beforeEach(() => {
    prompts = new ScriptedPrompts().install();
  });

  afterEach(() => prompts.restore());

  after(async () => {
    await config().update('connections', undefined, vscode.ConfigurationTarget.Global);
    await config().update('readOnly', undefined, vscode.ConfigurationTarget.Global);
    await server?.stop();
    conf?.remove();
  });

  it('offers Set Connection Secret only where the auth takes a secret', async () => {
    const a = await api();
    const managed = await listed(a, 'managed');
    const neighbour = await listed(a, 'neighbour');
    assert.match(contextOf(a, managed), /^connection\.\w+\+secret\+settings$/);
    assert.match(contextOf(a, neighbour), /^connection\.\w+\+settings$/);
    const fallback = await connectionNamed(a, 'default');
    assert.ok(fallback && !contextOf(a, fallback).includes('+'), contextOf(a, fallback!));
    const manifest = vscode.extensions.getExtension('nats-k3s.nats-k3s')!.packageJSON as {
      contributes: { menus: Record<string, { command: string; when?: string }[]> };
    };
    const when = manifest.contributes.menus['view/item/context']!.find(
      (m) => m.command === 'natsK3s.connection.setSecret',
    )!.when!;
    const regex = new RegExp(/viewItem =~ \/(.+?)\//.exec(when)![1]!);
    assert.ok(regex.test(contextOf(a, managed)), 'offered on a token connection');
    assert.ok(!regex.test(contextOf(a, neighbour)), 'not offered on a connection without auth');
    assert.ok(!regex.test(contextOf(a, fallback!)), 'not offered on the default connection');
  });

  it('connects with the secret, disconnects and connects again from the tree', async () => {
    const a = await api();
    await vscode.commands.executeCommand('natsK3s.connection.setSecret', await find(a, 'managed'), { secret: TOKEN });
    const managed = await listed(a, 'managed', (c) => c.session?.state.kind === 'connected');
    assert.deepEqual(await labelsOf(a, await find(a, 'managed')), [
      'Server',
      'Cluster',
      'Subjects',
      'JetStream off',
      'Services',
    ]);

    await vscode.commands.executeCommand('natsK3s.connection.disconnect', await find(a, 'managed'));
    assert.match(contextOf(a, managed), /^connection\.disconnected\+/);
    assert.equal(managed.session, undefined);
    assert.deepEqual(await labelsOf(a, await find(a, 'managed')), ['Disconnected']);
    assert.match(String(a.explorer.getTreeItem({ kind: 'connection', conn: managed }).description), /disconnected$/);

    const state = await vscode.commands.executeCommand('natsK3s.connection.connect', managed.id);
    assert.equal(state, 'connected');
    assert.deepEqual(await labelsOf(a, await find(a, 'managed')), [
      'Server',
      'Cluster',
      'Subjects',
      'JetStream off',
      'Services',
    ]);
  });

  it('read-only mode refuses edit and remove, even when every prompt is confirmed', async () => {
    const a = await api();
    await config().update('readOnly', true, vscode.ConfigurationTarget.Global);
    try {
      for (const kind of ['showWarningMessage', 'showInputBox', 'showQuickPick'] as const)
        prompts.always(kind, /[\s\S]*/, ACCEPT);
      const before = entries();
      await vscode.commands.executeCommand('natsK3s.connection.edit', await find(a, 'managed'), {
        servers: ['nats://127.0.0.1:2'],
      });
      await vscode.commands.executeCommand('natsK3s.connection.remove', await find(a, 'managed'));
      const asked = prompts.take();
      assert.ok(!asked.some((p) => p.modal), 'no modal was even asked');
      const errors = asked.filter((p) => p.kind === 'showErrorMessage').map((p) => p.text);
      assert.equal(errors.length, 2, errors.join(' | '));
      assert.match(errors[0]!, /editing connection 'managed' was refused/);
      assert.match(errors[1]!, /removing connection 'managed' was refused/);
      assert.deepEqual(entries(), before);
    } finally {
      await config().update('readOnly', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('edit changes the servers of the entry in settings and leaves the others alone', async () => {
    const a = await api();
    const edited = await vscode.commands.executeCommand('natsK3s.connection.edit', await find(a, 'neighbour'), {
      servers: ['nats://127.0.0.1:3', 'nats://127.0.0.1:4'],
    });
    assert.equal(edited, true);
    assert.deepEqual(entries(), [
      { name: 'managed', servers: [server.url] },
      { name: 'neighbour', servers: ['nats://127.0.0.1:3', 'nats://127.0.0.1:4'] },
    ]);
    const neighbour = await listed(a, 'neighbour', (c) => c.spec.servers.length === 2);
    assert.deepEqual(neighbour.spec.servers, ['nats://127.0.0.1:3', 'nats://127.0.0.1:4']);
  });

  it('remove asks in a modal naming the connection, then deletes its entry and its secret', async () => {
    const a = await api();
    // Escape first: nothing changes.
    prompts.once('showWarningMessage', /Remove connection 'managed'\?/, undefined);
    assert.equal(await vscode.commands.executeCommand('natsK3s.connection.remove', await find(a, 'managed')), false);
    assert.equal(entries().length, 2);

    prompts.once('showWarningMessage', /Remove connection 'managed'\?/, 'Remove Connection');
    assert.equal(await vscode.commands.executeCommand('natsK3s.connection.remove', await find(a, 'managed')), true);
    const modal = prompts.take().find((p) => p.modal);
    assert.ok(modal, 'a modal was asked');
    assert.match(modal.text, /Remove connection 'managed'\?[\s\S]*secret storage/);
    assert.deepEqual(
      entries().map((e) => e.name),
      ['neighbour'],
    );
    await until(
      a.connections.onDidChange,
      async () => (await connectionNamed(a, 'managed')) === undefined,
      'managed to leave the tree',
    );

    // The same entry again finds no token under its key: the secret went with the connection.
    await config().update(
      'connections',
      [
        ...(config().inspect<unknown[]>('connections')?.globalValue ?? []),
        { name: 'managed', servers: [server.url], auth: { kind: 'token' } },
      ],
      vscode.ConfigurationTarget.Global,
    );
    const again = await listed(a, 'managed');
    await a.connections.session(again);
    assert.equal(again.session?.state.kind, 'failed');
    assert.match(again.session?.state.kind === 'failed' ? again.session.state.reason : '', /^Missing secret/);
  });
  it('remove keeps a secret another connection shares through its secretKey', async () => {
    const a = await api();
    await vscode.commands.executeCommand('natsK3s.connection.setSecret', await find(a, 'managed'), { secret: TOKEN });
    await config().update(
      'connections',
      [
        ...(config().inspect<unknown[]>('connections')?.globalValue ?? []),
        { name: 'twin', servers: [server.url], auth: { kind: 'token', secretKey: 'natsK3s.connection.managed.token' } },
      ],
      vscode.ConfigurationTarget.Global,
    );
    await listed(a, 'twin');
    prompts.once('showWarningMessage', /Remove connection 'managed'\?/, 'Remove Connection');
    assert.equal(await vscode.commands.executeCommand('natsK3s.connection.remove', await find(a, 'managed')), true);
    const modal = prompts.take().find((p) => p.modal);
    assert.match(modal?.text ?? '', /its secret stays: another connection uses the same key/);
    const twin = await listed(a, 'twin');
    await a.connections.session(twin);
    assert.equal(twin.session?.state.kind, 'connected');
  });
});
