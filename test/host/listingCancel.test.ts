// A big bucket's first level takes seconds: the explorer offers Cancel in a notification once a listing runs past a
// second, and a cancelled level says so with a row that lists it again. Real: VS Code's tree provider and
// notification API (withProgress is wrapped only to press Cancel for the user), nats.js, and a nats-server holding a
// KV bucket of 400,000 keys.
import * as assert from 'node:assert/strict';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import * as vscode from 'vscode';
import type { NatsK3sApi } from '../../src/extension';
import type { ExplorerNode } from '../../src/vscode/explorer/explorerNodes';
import { startNatsServer, type NatsServer } from '../harness/natsServer';
import { api, find, labelOf, until } from './explorerHelpers';

const config = () => vscode.workspace.getConfiguration('natsK3s');
const KEYS = 400_000;

describe('extension host: cancelling a big bucket’s listing', function () {
  this.timeout(300_000);
  let server: NatsServer;
  let nc: NatsConnection;
  let a: NatsK3sApi;
  const withProgress = vscode.window.withProgress;
  const offered: string[] = [];

  before(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    await new Kvm(nc).create('big', { history: 1 });
    // Straight into the bucket's stream, a window of acknowledged publishes at a time: 400,000 KV puts one by one
    // would take minutes, and unacknowledged ones can outrun a loaded server (a landing run saw the fill take more than
    // a minute). A window that stops being acknowledged fails the hook with the publish's own timeout.
    const js = jetstream(nc, { timeout: 60_000 });
    const WINDOW = 2_000;
    for (let start = 0; start < KEYS; start += WINDOW) {
      const acks: Promise<unknown>[] = [];
      for (let i = start; i < Math.min(start + WINDOW, KEYS); i++) acks.push(js.publish(`$KV.big.key${i}`, 'v'));
      await Promise.all(acks);
    }
    const info = await (await jetstreamManager(nc)).streams.info('KV_big');
    assert.equal(info.state.messages, KEYS, 'every key is in the bucket');
    await config().update('connections', [{ name: 'big-server', servers: server.url }], 1);
    a = await api();
    await until(
      a.connections.onDidChange,
      async () => (await a.connections.list()).some((c) => c.spec.name === 'big-server'),
      'the connection',
    );
  });
  after(async () => {
    (vscode.window as { withProgress: typeof withProgress }).withProgress = withProgress;
    await config().update('connections', undefined, 1);
    await nc?.close();
    await server?.stop();
  });

  const bigNode = async (): Promise<ExplorerNode> => {
    const buckets = await a.explorer.getChildren(await find(a, 'big-server', 'KV Buckets'));
    const big = buckets.find((n) => labelOf(a, n) === 'big');
    assert.ok(big, buckets.map((n) => labelOf(a, n)).join());
    return big;
  };

  it('offers Cancel after a second; cancelled, the level says so and lists again when its row is clicked', async () => {
    const big = await bigNode();
    // The user presses Cancel on the notification as soon as it shows.
    (vscode.window as { withProgress: typeof withProgress }).withProgress = ((options, task) => {
      offered.push(String(options.title));
      const source = new vscode.CancellationTokenSource();
      const done = task({ report: () => undefined }, source.token);
      source.cancel();
      return done;
    }) as typeof withProgress;
    const cancelled = await a.explorer.getChildren(big);
    assert.deepEqual(offered, ['Listing the keys of bucket big…']);
    assert.deepEqual(
      cancelled.map((n) => labelOf(a, n)),
      ['Listing cancelled'],
    );
    const row = a.explorer.getTreeItem(cancelled[0]!);
    assert.equal(row.tooltip, 'The key listing of bucket big was cancelled.');
    assert.equal(row.command?.command, 'natsK3s.connections.refresh');

    // Clicked: the tree is listed again, this time to the end (the notification shows, nobody cancels).
    (vscode.window as { withProgress: typeof withProgress }).withProgress = withProgress;
    // Only that level lists again: its row hands the bucket's node to Refresh, and settings are not re-read (a
    // re-read announces a changed connection list).
    assert.equal(row.command?.arguments?.[0], big);
    let reread = 0;
    const watch = a.connections.onDidChange((conn) => {
      if (conn === undefined) reread++;
    });
    await vscode.commands.executeCommand(row.command!.command, ...(row.command!.arguments ?? []));
    watch.dispose();
    assert.equal(reread, 0, 'the settings were read again');
    const labels = (await a.explorer.getChildren(await bigNode())).map((n) => labelOf(a, n));
    assert.equal(labels.length, 501, labels.slice(0, 3).join());
    // The other 399,500 are counted up to 100,000, and the row says there may be more.
    assert.equal(labels.at(-1), '100,000+ more not shown');
  });
});
