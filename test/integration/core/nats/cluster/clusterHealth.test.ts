// Every server of a real 3-node JetStream cluster through $SYS, as the system account and as an ordinary one (which
// falls back to the connected server and says why); JetStream health with a node killed (its replicas offline) and
// restarted (current again); connections paged and sorted by the server; account limits and usage. Runs on 2.14.2
// and, in the compatibility pass, on 2.9.10, where the features 2.11 brought are reported as disabled.
import * as assert from 'node:assert/strict';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { accountReport } from '../../../../../src/core/nats/cluster/accountInfo';
import { discoverServers, NOT_SYSTEM_ACCOUNT } from '../../../../../src/core/nats/cluster/clusterServers';
import { jetstreamHealthMarkdown } from '../../../../../src/core/nats/cluster/clusterMarkdown';
import {
  jetstreamHealth,
  META_NEEDS_SYSTEM,
  type JetStreamHealth,
} from '../../../../../src/core/nats/cluster/jetstreamHealth';
import { listConnections } from '../../../../../src/core/nats/cluster/serverConnections';
import { atLeast } from '../../../../../src/core/nats/cluster/serverFeatures';
import { NatsSession } from '../../../../../src/core/nats/session';
import { startNatsCluster, type NatsCluster } from '../../../../harness/natsCluster';
import { connectedSession } from '../fixture';

function systemSession(urls: readonly string[]): Promise<NatsSession> {
  const s = new NatsSession({
    spec: {
      name: 'sys',
      origin: 'settings',
      servers: [...urls],
      auth: { kind: 'userPassword', user: 'sys', password: { source: 'secretStore', key: 'p' } },
    },
    secrets: { get: async () => 'sys' },
    autoRetry: false,
  });
  return s.open().then(async () => {
    await s.whenConnected(10_000);
    return s;
  });
}

/** Re-reads the health (as the document's refresh does) until `pred` holds. */
async function untilHealth(
  s: NatsSession,
  pred: (h: JetStreamHealth) => boolean,
  what: string,
): Promise<JetStreamHealth> {
  const deadline = Date.now() + 60_000;
  let last: unknown;
  for (;;) {
    try {
      const h = await jetstreamHealth(s, 1_500);
      last = h;
      if (pred(h)) return h;
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('cluster: servers, JetStream health, connections and account on a 3-node cluster', function () {
  this.timeout(240_000);
  let cluster: NatsCluster;
  let app: NatsConnection;
  let sys: NatsSession;
  let plain: NatsSession;
  let version: string;

  before(async () => {
    cluster = await startNatsCluster();
    app = await connect({ servers: cluster.urls, name: 'orders-writer' });
    version = app.info!.version;
    const jsm = await jetstreamManager(app, { timeout: 30_000 });
    await jsm.streams.add({ name: 'ORDERS', subjects: ['orders.>'], num_replicas: 3 });
    await jsm.consumers.add('ORDERS', { durable_name: 'shipper', ack_policy: 'explicit' as never });
    await jsm.streams.add({ name: 'SINGLE', subjects: ['single.>'], num_replicas: 1 });
    sys = await systemSession(cluster.urls);
    plain = await connectedSession(cluster.urls);
  });
  after(async () => {
    await sys?.close();
    await plain?.close();
    await app?.close();
    await cluster?.stop();
  });

  it('lists every server with version, cluster and its routes through the system account', async () => {
    const view = await discoverServers(sys);
    assert.equal(view.source, 'system');
    assert.deepEqual(
      view.servers.map((s) => s.name),
      ['n1', 'n2', 'n3'],
    );
    for (const s of view.servers) {
      assert.equal(s.version, version);
      assert.equal(s.cluster, 'nats-k3s');
      assert.deepEqual(
        s.routes,
        ['n1', 'n2', 'n3'].filter((n) => n !== s.name),
        `${s.name}'s routes`,
      );
      assert.deepEqual(s.gateways, []);
      assert.deepEqual(s.leafnodes, []);
    }
    assert.equal(view.servers.filter((s) => s.connected).length, 1);
    assert.deepEqual(view.notes, []);
  });

  it('falls back to the connected server for an account that is not the system account, and says how to fix it', async () => {
    const view = await discoverServers(plain, 1_000);
    assert.equal(view.source, 'connection');
    assert.equal(view.servers.length, 1);
    assert.equal(view.servers[0]!.routes, undefined);
    assert.deepEqual(view.notes, [NOT_SYSTEM_ACCOUNT]);
  });

  it('reports the meta group and every replica current, then offline while a node is down, then current again', async () => {
    const healthy = await untilHealth(
      sys,
      (h) =>
        h.meta?.replicas.length === 3 &&
        !h.meta.degraded &&
        h.assets.filter((a) => a.placement?.degraded).length === 0 &&
        h.assets.length === 3,
      'a healthy report',
    );
    assert.equal(healthy.source, 'system');
    assert.deepEqual(
      healthy.servers.map((s) => s.name),
      ['n1', 'n2', 'n3'],
    );
    assert.equal(healthy.servers.filter((s) => s.metaLeader).length, 1);
    const orders = healthy.assets.find((a) => a.stream === 'ORDERS' && !a.consumer)!;
    assert.equal(orders.account, 'APP');
    assert.equal(orders.replicas, 3);
    const shipper = healthy.assets.find((a) => a.consumer === 'shipper')!;
    assert.equal(shipper.placement?.replicas.length, 3);
    const single = healthy.assets.find((a) => a.stream === 'SINGLE')!;
    assert.equal(single.placement?.replicas.length, 1);

    // Kill a node that follows ORDERS (not its leader, so the report keeps its leader's view).
    const follower = orders.placement!.replicas.find((r) => !r.leader)!.name;
    const node = cluster.nodes.find((n) => n.name === follower)!;
    await node.kill();
    try {
      const down = await untilHealth(
        sys,
        (h) =>
          h.assets
            .find((a) => a.stream === 'ORDERS' && !a.consumer)
            ?.placement?.replicas.find((r) => r.name === follower)?.state === 'offline',
        `${follower} offline in ORDERS`,
      );
      const o = down.assets.find((a) => a.stream === 'ORDERS' && !a.consumer)!;
      assert.ok(o.placement?.degraded);
      const md = jetstreamHealthMarkdown(down, 'sys');
      assert.match(md, new RegExp(`${follower} offline`));
      assert.match(md, /have a replica lagging or offline, or no leader/);
      assert.ok(
        down.servers.every((s) => s.name !== follower),
        'a dead server does not answer',
      );
    } finally {
      await node.restart();
    }
    // 2.9.10 under load can leave a restarted node's consumer replica behind for good: in runs here with three busy
    // loops, 2 of 4 showed shipper's follower "lagging" (lag 2, then 5 after a message was delivered and acknowledged
    // to give the group entries) for the whole minute, heard from every half second. The report says so, which is
    // true; on 2.9 the test asks every stream replica and the meta group to be current, and the consumer's replicas
    // to be back from offline. On the chart's 2.14.2, every replica must be current.
    const strict = atLeast(version, '2.10.0');
    await untilHealth(
      sys,
      (h) =>
        h.assets.length === 3 &&
        h.meta?.degraded === false &&
        h.assets.every((a) =>
          strict || !a.consumer
            ? !a.placement?.degraded
            : a.placement?.leader !== undefined && a.placement.replicas.every((r) => r.state !== 'offline'),
        ),
      'every replica current after the restart',
    );
  });

  it('reports the account’s own streams with their replicas, without the meta group, for an ordinary account', async () => {
    const h = await jetstreamHealth(plain, 1_000);
    assert.equal(h.source, 'account');
    assert.equal(h.meta, undefined);
    assert.deepEqual(h.notes, [META_NEEDS_SYSTEM]);
    assert.deepEqual(
      h.assets.map((a) => `${a.stream}/${a.consumer ?? ''}`),
      ['ORDERS/', 'ORDERS/shipper', 'SINGLE/'],
    );
    assert.ok(h.assets.find((a) => a.stream === 'ORDERS' && !a.consumer)!.placement?.leader);
  });

  it('shows a feature the server is too old for as disabled, with the version it needs', async () => {
    const h = await jetstreamHealth(sys, 1_500);
    const pause = h.disabled.find((d) => d.feature === 'consumerPause');
    if (atLeast(version, '2.11.0')) {
      assert.equal(pause, undefined);
      assert.equal(h.assets.find((a) => a.consumer === 'shipper')!.paused, false);
      assert.match(jetstreamHealthMarkdown(h, 'sys'), /\| Paused \|/);
    } else {
      assert.deepEqual(pause, {
        feature: 'consumerPause',
        label: 'Consumer pause state',
        needs: '2.11.0',
        serverVersion: version,
      });
      assert.match(
        jetstreamHealthMarkdown(h, 'sys'),
        /Consumer pause state needs nats-server 2\.11\.0 \(this cluster runs 2\.9\.10\)/,
      );
    }
  });

  it('pages a server’s connections by pending and sorts them by measured message rate', async () => {
    const view = await discoverServers(sys);
    const where = app.info!.server_name;
    const server = view.servers.find((s) => s.name === where)!;
    // A busy publisher on the same server as the writer: the rate sort must put it first.
    const busy = await connect({ servers: cluster.nodes.find((n) => n.name === where)!.url, name: 'busy' });
    const timer = setInterval(() => {
      for (let i = 0; i < 200; i++) busy.publish('noise.x', 'x');
    }, 20);
    try {
      const byRate = await listConnections(sys, server, { sort: 'rate', sampleMs: 1_000 });
      assert.equal(byRate.rows[0]!.name, 'busy');
      assert.ok((byRate.rows[0]!.msgsPerSecond ?? 0) > 1_000, `rate ${byRate.rows[0]!.msgsPerSecond}`);
      const page1 = await listConnections(sys, server, { sort: 'pending', limit: 1 });
      assert.equal(page1.rows.length, 1);
      assert.ok(page1.total >= 2);
      const whole = await listConnections(sys, server, { sort: 'pending', limit: 1_024 });
      assert.equal(whole.rows.length, page1.total);
      const past = await listConnections(sys, server, { sort: 'pending', limit: 1, offset: page1.total });
      assert.equal(past.rows.length, 0);
      // An ordinary account sees its own connections on that server.
      const own = await listConnections(plain, server, { sort: 'pending', limit: 100 });
      assert.ok(own.rows.some((r) => r.name === 'busy'));
      assert.ok(own.rows.every((r) => r.account === undefined || r.account === 'APP'));
    } finally {
      clearInterval(timer);
      await busy.close();
    }
  });

  it('reads the account’s JetStream limits and usage', async () => {
    const a = await accountReport(plain);
    const all = a.tiers.find((t) => t.tier === 'all')!;
    assert.equal(all.streams.used, 2);
    assert.equal(all.consumers.used, 1);
    assert.equal(all.streams.limit, -1);
    assert.ok(a.apiRequests > 0);
  });
});
