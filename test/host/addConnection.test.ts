import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { writeNatsConfig, type NatsConfigFile } from '../harness/natsConfig';
import { startNatsServer, type NatsServer } from '../harness/natsServer';
import { freePort } from '../harness/processes';
import { api, find, labelsOf } from './explorerHelpers';

const config = () => vscode.workspace.getConfiguration('natsK3s');
const saved = () =>
  config().get<{ name: string; servers: string[]; auth: { kind: string; user?: string }; password?: string }[]>(
    'connections',
  ) ?? [];

describe('extension host: Add Connection tests before it saves, and keeps the secret out of settings', () => {
  let conf: NatsConfigFile;
  let server: NatsServer;

  before(async () => {
    conf = writeNatsConfig('authorization { users = [ { user: alice, password: "s3cret" } ] }\n');
    server = await startNatsServer({ jetstream: false, extraArgs: conf.args });
  });
  after(async () => {
    await config().update('connections', undefined, vscode.ConfigurationTarget.Global);
    await server?.stop();
    conf?.remove();
  });

  it('saves a connection that connected: the user in settings, the password in secret storage only', async () => {
    const added = await vscode.commands.executeCommand<boolean>('natsK3s.connection.add', {
      name: 'alice',
      servers: [server.url],
      auth: { kind: 'userPassword', user: 'alice' },
      secret: { key: 'natsK3s.connection.alice.userPassword', value: 's3cret' },
    });
    assert.equal(added, true);
    const entry = saved().find((c) => c.name === 'alice');
    assert.deepEqual(entry, { name: 'alice', servers: [server.url], auth: { kind: 'userPassword', user: 'alice' } });
    assert.doesNotMatch(JSON.stringify(saved()), /s3cret/);
    const a = await api();
    const children = await labelsOf(a, await find(a, 'alice'));
    assert.deepEqual(children, ['Server', 'Cluster', 'Subjects', 'JetStream off', 'Services']);
  });

  it('does not save a connection that failed its test unless the user says so in the modal (refused here)', async () => {
    const url = `nats://127.0.0.1:${await freePort()}`;
    const added = await vscode.commands.executeCommand<boolean | undefined>('natsK3s.connection.add', {
      name: 'nowhere',
      servers: [url],
      auth: { kind: 'none' },
    });
    assert.notEqual(added, true);
    assert.equal(
      saved().some((c) => c.name === 'nowhere'),
      false,
    );
    const wrong = await vscode.commands.executeCommand<boolean | undefined>('natsK3s.connection.add', {
      name: 'mallory',
      servers: [server.url],
      auth: { kind: 'userPassword', user: 'alice' },
      secret: { key: 'natsK3s.connection.mallory.userPassword', value: 'wrong' },
    });
    assert.notEqual(wrong, true);
    assert.equal(
      saved().some((c) => c.name === 'mallory'),
      false,
    );
  });

  it('refuses a name that already exists', async () => {
    const again = await vscode.commands.executeCommand<boolean | undefined>('natsK3s.connection.add', {
      name: 'alice',
      servers: [server.url],
      auth: { kind: 'none' },
    });
    assert.notEqual(again, true);
    assert.equal(saved().filter((c) => c.name === 'alice').length, 1);
  });
});
