// A server killed and restarted under an open tree and a running subject sample: the connection shows
// reconnecting, comes back by itself on the same port, its children load again and the sampler keeps counting.
import * as assert from 'node:assert/strict';
import { connect } from '@nats-io/transport-node';
import * as vscode from 'vscode';
import type { ManagedConnection } from '../../src/vscode/explorer/connectionManager';
import type { ExplorerNode } from '../../src/vscode/explorer/explorerNodes';
import { openConnections, startNatsServer, type NatsServer } from '../harness/natsServer';
import { api, find, labelOf, labelsOf, until } from './explorerHelpers';

const config = () => vscode.workspace.getConfiguration('natsK3s');

/** Publishes `count` messages on `subject` from a connection of its own, closed before returning. */
async function publishFromOutside(url: string, subject: string, count: number): Promise<void> {
  const nc = await connect({ servers: url });
  try {
    for (let i = 0; i < count; i++) nc.publish(subject, String(i));
    await nc.flush();
  } finally {
    await nc.close();
  }
}

describe('extension host: a server restarted under an open tree', function () {
  this.timeout(90_000);
  const servers: NatsServer[] = [];

  after(async () => {
    // Removing the connection closes its session before its server goes away.
    await config().update('connections', undefined, vscode.ConfigurationTarget.Global);
    for (const s of servers) await s.stop();
  });

  it('shows reconnecting, then connects again by itself; the tree reloads and the sample goes on', async () => {
    const a = await api();
    const first = await startNatsServer();
    servers.push(first);
    await config().update('connections', [{ name: 'restart', servers: first.url }], vscode.ConfigurationTarget.Global);
    let conn: ManagedConnection | undefined;
    await until(
      a.connections.onDidChange,
      async () => (conn = (await a.connections.list()).find((c) => c.spec.name === 'restart')) !== undefined,
      "the 'restart' connection",
    );
    const state = () => conn!.session?.state.kind;
    const events = [a.explorer.onDidChangeTreeData, a.connections.onDidChange] as vscode.Event<unknown>[];

    // Expand the connection and its Subjects node: the session opens and the sampler starts.
    const connNode = await find(a, 'restart');
    assert.deepEqual(await labelsOf(a, connNode), [
      'Server',
      'Cluster',
      'Subjects',
      'Streams',
      'KV Buckets',
      'Object Stores',
      'Services',
    ]);
    const subjects: ExplorerNode = await find(a, 'restart', 'Subjects');
    await publishFromOutside(first.url, 'before.restart', 5);
    await until(
      a.explorer.onDidChangeTreeData,
      async () => (await labelsOf(a, subjects)).includes('before'),
      'the sample to see before.restart',
    );

    await first.stop();
    servers.splice(servers.indexOf(first), 1);
    await until(events, () => state() === 'reconnecting', 'the connection to show reconnecting');
    assert.equal(a.explorer.getTreeItem(connNode).contextValue, 'connection.reconnecting+settings');
    assert.deepEqual(await labelsOf(a, connNode), ['Reconnecting…']);
    // The sample's own connection is away too, and its node says so.
    await until(
      a.explorer.onDidChangeTreeData,
      () => /sampling \(reconnecting…\)$/.test(String(a.explorer.getTreeItem(subjects).description)),
      'the Subjects node to show its sample reconnecting',
    );

    const second = await startNatsServer({ port: first.port });
    servers.push(second);
    await until(events, () => state() === 'connected', 'the connection to come back', 30_000);
    assert.equal(a.explorer.getTreeItem(connNode).contextValue, 'connection.connected+settings');
    assert.deepEqual(await labelsOf(a, connNode), [
      'Server',
      'Cluster',
      'Subjects',
      'Streams',
      'KV Buckets',
      'Object Stores',
      'Services',
    ]);
    const server = await labelsOf(a, await find(a, 'restart', 'Server'));
    assert.ok(
      server.some((l) => /^nats-server 2\./.test(l)),
      server.join(' | '),
    );

    // The sample runs on a connection of its own (in a worker thread), which reconnects on its own schedule and
    // re-subscribes; once the new server lists its subscription, the sample sees traffic again.
    await sampleSubscribed(second);
    await publishFromOutside(second.url, 'after.restart', 7);
    // A tick can fall between the 7 arrivals: wait until the count is complete (it can only grow).
    const afterCount = async () => {
      const node = (await a.explorer.getChildren(subjects)).find((n) => labelOf(a, n) === 'after');
      return node ? String(a.explorer.getTreeItem(node).description) : '';
    };
    await until(
      a.explorer.onDidChangeTreeData,
      async () => /^7 msgs/.test(await afterCount()),
      'the sample to count all 7 after.restart messages',
    );
    assert.match(await afterCount(), /^7 msgs/);
    assert.match(String(a.explorer.getTreeItem(subjects).description), /sampling$/);
  });
});

/** Polls the server's monitoring endpoint (it has no event for this) until the sample's connection has subscribed. */
async function sampleSubscribed(server: NatsServer): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const open = await openConnections(server);
    if (open.some((c) => c.name === 'nats-k3s restart (subject sample)' && c.subscriptions > 0)) return;
    if (Date.now() > deadline) throw new Error(`the sample did not reconnect: ${JSON.stringify(open)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
