// The shape the chart deploys: a 3-node JetStream cluster. R3 streams and KV buckets show their leader and each
// replica's state; a follower and then the leader killed with -9 show up as offline, a new leader takes over, and
// the session, a live tail and the subject sample carry on; restarted nodes come back current.
import * as assert from 'node:assert/strict';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect } from '@nats-io/transport-node';
import { listBuckets } from '../../../../src/core/nats/kvBrowser';
import { LiveTail } from '../../../../src/core/nats/liveTail';
import type { Placement } from '../../../../src/core/nats/placement';
import { SamplerThread } from '../../../../src/core/nats/samplerThread';
import type { NatsSession } from '../../../../src/core/nats/session';
import { getStream, listStreams } from '../../../../src/core/nats/streams';
import { monitor, startNatsCluster, type NatsCluster, type NatsClusterNode } from '../../../harness/natsCluster';
import { natsServerVersionUnderTest } from '../../../harness/tools';
import { connectedSession, statsWhere } from './fixture';

/** Re-reads the stream (as the explorer's periodic refresh does) until its placement satisfies `pred`. */
async function untilPlacement(
  s: NatsSession,
  stream: string,
  pred: (p: Placement) => boolean,
  what: string,
  ms = 45_000,
): Promise<Placement> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const p = (await getStream(s, stream)).placement;
      last = p;
      if (p && pred(p)) return p;
    } catch (err) {
      last = err instanceof Error ? err.message : err; // during an election the stream may not answer
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const stateOf = (p: Placement, name: string) => p.replicas.find((r) => r.name === name)?.state;
const allCurrent = (p: Placement) =>
  Boolean(p.leader) && p.replicas.length === 3 && p.replicas.every((r) => r.state === 'current');

/** Polls the live nodes' /connz (there is no event for a client re-subscribing elsewhere) for `name` with a subscription. */
async function untilSubscribedSomewhere(cluster: NatsCluster, name: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    for (const node of cluster.nodes.filter((n) => n.pid !== undefined)) {
      const connz = await monitor<{ connections?: { name?: string; subscriptions?: number }[] }>(
        node.monitorPort,
        '/connz',
      ).catch(() => ({ connections: [] }));
      if (connz.connections?.some((c) => c.name === name && (c.subscriptions ?? 0) > 0)) return;
    }
    if (Date.now() > deadline) throw new Error(`${name} did not subscribe again on a live node`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("a 3-node JetStream cluster (the chart's shape) with nodes killed under a session", function () {
  this.timeout(240_000);
  let cluster: NatsCluster;
  let s: NatsSession;
  const node = (name: string): NatsClusterNode => cluster.nodes.find((n) => n.name === name)!;

  before(async () => {
    cluster = await startNatsCluster();
    s = await connectedSession(cluster.urls);
    // Creating R3 assets elects a leader per asset: on a loaded 2-core machine that can take longer than the 5 s default.
    const jsm = await jetstreamManager(s.connection(), { timeout: 30_000 });
    await jsm.streams.add({ name: 'ORDERS', subjects: ['orders.>'], num_replicas: 3 });
    await new Kvm(jetstream(s.connection(), { timeout: 30_000 })).create('config', { replicas: 3 });
    const js = jetstream(s.connection(), { timeout: 30_000 });
    for (let i = 0; i < 10; i++) await js.publish(`orders.${i % 2 ? 'eu' : 'us'}`, String(i));
  });
  after(async () => {
    await s?.close();
    await cluster?.stop();
  });

  it('shows R3 streams and KV buckets with their leader and every replica current', async () => {
    // The layer runs on the version it says: the chart's 2.14.x, or 2.9.10 in the compatibility pass.
    assert.equal(s.connection().info?.version, natsServerVersionUnderTest());
    const p = await untilPlacement(s, 'ORDERS', allCurrent, 'all replicas current');
    assert.equal(p.cluster, 'nats-k3s');
    assert.equal(p.degraded, false);
    assert.deepEqual(p.replicas.map((r) => r.name).sort(), ['n1', 'n2', 'n3']);
    assert.equal(p.replicas.filter((r) => r.leader).length, 1);
    const orders = (await listStreams(s)).find((x) => x.name === 'ORDERS')!;
    assert.equal(orders.replicas, 3);
    assert.equal(orders.messages, 10);
    const bucket = (await listBuckets(s)).find((b) => b.bucket === 'config')!;
    assert.equal(bucket.replicas, 3);
    assert.ok(bucket.placement?.leader, 'the bucket names its leader');
    assert.deepEqual(bucket.placement.replicas.map((r) => r.name).sort(), ['n1', 'n2', 'n3']);
  });

  it('a follower killed with -9 shows offline while the leader goes on; restarted, it is current again', async () => {
    const before = await untilPlacement(s, 'ORDERS', allCurrent, 'all replicas current');
    const connectedTo = s.connection().info?.server_name;
    const follower = before.replicas.find((r) => !r.leader && r.name !== connectedTo)!.name;
    await node(follower).kill();
    const down = await untilPlacement(
      s,
      'ORDERS',
      (p) => stateOf(p, follower) !== 'current',
      `${follower} to show as not current`,
    );
    assert.equal(down.leader, before.leader, 'the leader stays');
    assert.equal(down.degraded, true);
    // Two of three are a majority: writes and reads go on.
    await jetstream(s.connection()).publish('orders.eu', 'while a follower is down');
    assert.equal((await getStream(s, 'ORDERS')).messages, 11);

    await node(follower).restart();
    const back = await untilPlacement(s, 'ORDERS', allCurrent, `${follower} to catch up`);
    assert.equal(back.degraded, false);
  });

  it('the leader killed with -9: a new leader takes over, the session, a live tail and the sample carry on', async () => {
    const before = await untilPlacement(s, 'ORDERS', allCurrent, 'all replicas current');
    const leader = before.leader!;
    const tail = new LiveTail(s, 'orders.>', { notifyMs: 20 });
    const sampler = new SamplerThread(() => s.connectRecipe('cluster-sample'), { tickMs: 50, maxDurationMs: 200_000 });
    const outside = await connect({ servers: cluster.urls });
    try {
      tail.start();
      await sampler.start();
      await untilSubscribedSomewhere(cluster, 'cluster-sample');

      await node(leader).kill();
      const failedOver = await untilPlacement(
        s,
        'ORDERS',
        (p) => Boolean(p.leader) && p.leader !== leader && stateOf(p, leader) !== 'current',
        'a new leader',
      );
      assert.notEqual(failedOver.leader, leader);
      assert.equal(failedOver.degraded, true);
      assert.equal(s.state.kind, 'connected', 'the session is connected (to another node if it was on the old leader)');

      // Both subscriptions are back on a live node before anything is published.
      await s.connection().flush();
      await untilSubscribedSomewhere(cluster, 'cluster-sample');
      for (let i = 0; i < 5; i++) outside.publish('orders.after', String(i));
      await outside.flush();
      await new Promise<void>((resolve) => {
        const off = tail.onChange((st) => st.received >= 5 && (off(), resolve()));
        if (tail.stats().received >= 5) off(), resolve();
      });
      assert.deepEqual(
        tail
          .messages()
          .map((m) => m.subject)
          .slice(-5),
        Array(5).fill('orders.after'),
      );
      await statsWhere(sampler, (st) => st.messages >= 5);

      await node(leader).restart();
      await untilPlacement(s, 'ORDERS', allCurrent, `${leader} to rejoin and catch up`);
      assert.equal((await getStream(s, 'ORDERS')).messages, 16);
    } finally {
      tail.stop();
      sampler.dispose();
      await outside.close();
    }
  });
});
