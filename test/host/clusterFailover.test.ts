// The seed's shape, a 3-node JetStream cluster, under an open tree: an R3 stream and an R3 KV bucket show their
// leader; a follower and then the leader killed with -9 show up within the periodic refresh, the tree stays usable
// (the session moves to a live node when its own dies), a live tail and the subject sample keep receiving, and the
// restarted nodes come back current.
import * as assert from 'node:assert/strict';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import * as vscode from 'vscode';
import type { LiveTailPanel } from '../../src/vscode/liveTail/liveTailPanel';
import { monitor, startNatsCluster, type NatsCluster } from '../harness/natsCluster';
import { api, find, labelOf, until } from './explorerHelpers';

const config = () => vscode.workspace.getConfiguration('natsK3s');

describe('extension host: a 3-node JetStream cluster with nodes killed under an open tree', function () {
  this.timeout(240_000);
  let cluster: NatsCluster;
  let outside: NatsConnection;

  before(async () => {
    cluster = await startNatsCluster();
    outside = await connect({ servers: cluster.urls, name: 'test publisher' });
    // Creating R3 assets elects a leader per asset: on a loaded 2-core machine that can take longer than the 5 s default.
    await (await jetstreamManager(outside, { timeout: 30_000 })).streams.add({
      name: 'ORDERS',
      subjects: ['orders.>'],
      num_replicas: 3,
    });
    await new Kvm(jetstream(outside, { timeout: 30_000 })).create('settings', { replicas: 3 });
    await config().update('explorer.refreshSeconds', 2, vscode.ConfigurationTarget.Global);
    await config().update(
      'connections',
      [{ name: 'ha', servers: cluster.urls.join(',') }],
      vscode.ConfigurationTarget.Global,
    );
  });
  after(async () => {
    await config().update('connections', undefined, vscode.ConfigurationTarget.Global);
    await config().update('explorer.refreshSeconds', undefined, vscode.ConfigurationTarget.Global);
    await outside?.close();
    await cluster?.stop();
  });

  it('shows leaders and replica states, survives a follower and then the leader going away, and recovers', async () => {
    const a = await api();
    await until(
      a.connections.onDidChange,
      async () => (await a.connections.list()).some((c) => c.spec.name === 'ha'),
      "the 'ha' connection",
    );
    const events = [a.explorer.onDidChangeTreeData, a.connections.onDidChange] as vscode.Event<unknown>[];
    /** The ORDERS row as the user sees it now: walks the tree from the top, as expanding it would. */
    const ordersRow = async (): Promise<string> => {
      try {
        const node = await find(a, 'ha', 'Streams', 'ORDERS');
        return String(a.explorer.getTreeItem(node).description);
      } catch {
        return ''; // reconnecting: the connection has no Streams node for a moment
      }
    };
    const bucketRow = async () =>
      String(a.explorer.getTreeItem(await find(a, 'ha', 'KV Buckets', 'settings')).description);

    await until(
      events,
      async () => /R3 · leader n\d$/.test(await ordersRow()),
      'ORDERS to show R3 with its leader and no trouble',
      30_000,
    );
    assert.match(await bucketRow(), /^0 keys · 0 entries · .* · R3 · leader n\d$/);
    const leader = /leader (n\d)/.exec(await ordersRow())![1]!;

    // A live tail and the Subjects sample, running across both failures.
    const panel = await vscode.commands.executeCommand<LiveTailPanel>('natsK3s.subject.tail', await find(a, 'ha'), {
      subject: 'orders.>',
    });
    await until(panel.onDidUpdate, () => panel.stats().running, 'the tail to subscribe');
    const subjects = await find(a, 'ha', 'Subjects');
    const subjectsLabels = async () => (await a.explorer.getChildren(subjects)).map((n) => labelOf(a, n));
    await sampleSubscribed(cluster);

    // A follower dies: the row names it, the leader stays, the tree keeps working.
    const follower = ['n1', 'n2', 'n3'].find((n) => n !== leader)!;
    await cluster.nodes.find((n) => n.name === follower)!.kill();
    await until(
      events,
      async () => new RegExp(`leader ${leader}, ${follower} (offline|lagging)$`).test(await ordersRow()),
      `ORDERS to show ${follower} down`,
      45_000,
    );
    assert.equal(
      (a.explorer.getTreeItem(await find(a, 'ha', 'Streams', 'ORDERS')).iconPath as vscode.ThemeIcon).id,
      'warning',
    );
    await cluster.nodes.find((n) => n.name === follower)!.restart();
    await until(
      events,
      async () => new RegExp(`R3 · leader ${leader}$`).test(await ordersRow()),
      `${follower} to be current again`,
      60_000,
    );

    // The leader dies: another node takes over and the row says so.
    await cluster.nodes.find((n) => n.name === leader)!.kill();
    await until(
      events,
      async () => new RegExp(`R3 · leader (?!${leader})n\\d, ${leader} (offline|lagging)$`).test(await ordersRow()),
      'a new leader for ORDERS',
      60_000,
    );

    // Traffic after the failover reaches the tail and the sample (both resubscribed on a live node).
    await sampleSubscribed(cluster);
    await until(panel.onDidUpdate, () => panel.stats().running, 'the tail to still run');
    const before = panel.stats().received;
    for (let i = 0; i < 4; i++) outside.publish('orders.failover', String(i));
    await outside.flush();
    await until(
      panel.onDidUpdate,
      () => panel.stats().received >= before + 4,
      'the tail to receive the 4 messages after failover',
      30_000,
    );
    await until(
      a.explorer.onDidChangeTreeData,
      async () => (await subjectsLabels()).includes('orders'),
      'the sample to see orders.failover',
      30_000,
    );

    await cluster.nodes.find((n) => n.name === leader)!.restart();
    await until(events, async () => /R3 · leader n\d$/.test(await ordersRow()), 'every replica current again', 60_000);
    panel.dispose();
  });
});

/** Polls the live nodes' /connz (no event exists for this) until the sample's own connection has subscribed. */
async function sampleSubscribed(cluster: NatsCluster): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    for (const node of cluster.nodes.filter((n) => n.pid !== undefined)) {
      const connz = await monitor<{ connections?: { name?: string; subscriptions?: number }[] }>(
        node.monitorPort,
        '/connz',
      ).catch(() => ({ connections: [] }));
      if (connz.connections?.some((c) => c.name === 'nats-k3s ha (subject sample)' && (c.subscriptions ?? 0) > 0))
        return;
    }
    if (Date.now() > deadline) throw new Error('the sample did not subscribe on a live node');
    await new Promise((r) => setTimeout(r, 100));
  }
}
