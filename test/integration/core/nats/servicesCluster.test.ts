// Services on the shape the chart deploys: instances connected to different nodes of a 3-node cluster are all found
// from any node, and a node going down takes only the instances connected to it.
import * as assert from 'node:assert/strict';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { requestEndpoint } from '../../../../src/core/nats/services/endpointRequest';
import { discoverServices } from '../../../../src/core/nats/services/serviceDiscovery';
import type { NatsSession } from '../../../../src/core/nats/session';
import { startTestService, type TestService } from '../../../generators/services/microService';
import { startNatsCluster, type NatsCluster } from '../../../harness/natsCluster';
import { connectedSession } from './fixture';

describe('Services across a 3-node nats-server cluster', () => {
  let cluster: NatsCluster;
  let s: NatsSession;
  const providers: NatsConnection[] = [];
  const instances: TestService[] = [];
  before(async () => {
    cluster = await startNatsCluster();
    await cluster.waitHealthy();
    // One instance on node 1, one on node 2; the browsing session only on node 3.
    for (const node of cluster.nodes.slice(0, 2)) {
      const nc = await connect({ servers: node.url, reconnect: false });
      providers.push(nc);
      instances.push(
        startTestService(nc, {
          name: 'spread',
          version: '1.0.0',
          endpoints: [{ name: 'where', subject: 'spread.where', handle: () => node.name }],
        }),
      );
      await nc.flush();
    }
    s = await connectedSession(cluster.nodes[2]!.url);
  });
  after(async () => {
    for (const nc of providers) await nc.close().catch(() => undefined);
    await s?.close();
    await cluster?.stop();
  });

  /** Discovery until `ids` are exactly the instances seen: subscriptions reach other nodes' interest a moment later. */
  async function discoveredIds(expected: string[]): Promise<string[]> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const found = await discoverServices(s, { name: 'spread' });
      const ids = found.services.flatMap((g) => g.instances.map((i) => i.id)).sort();
      if (JSON.stringify(ids) === JSON.stringify([...expected].sort()) || Date.now() > deadline) return ids;
      // Route interest has no event a client can await; poll as fillStream does, without spinning.
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('finds instances connected to other nodes, each with a round trip', async () => {
    const ids = await discoveredIds(instances.map((i) => i.id));
    assert.deepEqual(ids, instances.map((i) => i.id).sort());
    const found = await discoverServices(s, { name: 'spread' });
    for (const i of found.services[0]!.instances) assert.ok(i.rttMs !== undefined && i.rttMs > 0);
    const reply = await requestEndpoint(s, 'spread.where', '');
    assert.ok(
      cluster.nodes.slice(0, 2).some((n) => n.name === reply.payload.text),
      `answered by ${reply.payload.text}`,
    );
  });

  it('drops the instance whose node went down and keeps the other', async () => {
    await cluster.nodes[0]!.kill();
    const ids = await discoveredIds([instances[1]!.id]);
    assert.deepEqual(ids, [instances[1]!.id]);
    assert.equal((await requestEndpoint(s, 'spread.where', '')).payload.text, cluster.nodes[1]!.name);
  });
});
