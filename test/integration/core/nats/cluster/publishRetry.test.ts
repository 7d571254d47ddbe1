// A publish into a stream no reachable server leads: on a real 3-node cluster, an R1 stream whose only node is
// killed. The JetStream API still names the stream (the meta group lives on), the publish gets "no responders": it is
// tried again for a few seconds, then ends in one sentence that says nothing was stored; and it goes through once the
// node is back within the waits. Runs on 2.14.2 and, in the compatibility pass, on 2.9.10.
import * as assert from 'node:assert/strict';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { explainNatsError } from '../../../../../src/core/nats/explainError';
import { StreamUnreachableError } from '../../../../../src/core/nats/natsErrors';
import { publishMessage } from '../../../../../src/core/nats/publish';
import type { NatsSession } from '../../../../../src/core/nats/session';
import { startNatsCluster, type NatsCluster, type NatsClusterNode } from '../../../../harness/natsCluster';
import { connectedSession } from '../fixture';

describe('publishing into a stream whose leader no server has, on a 3-node cluster', function () {
  this.timeout(120_000);
  let cluster: NatsCluster;
  let admin: NatsConnection;
  let jsm: JetStreamManager;
  let s: NatsSession | undefined;

  before(async () => {
    cluster = await startNatsCluster();
    admin = await connect({ servers: cluster.urls });
    jsm = await jetstreamManager(admin, { timeout: 30_000 });
  });
  afterEach(async () => {
    await s?.close();
    s = undefined;
    for (const node of cluster.nodes) if (node.pid === undefined) await node.restart();
  });
  after(async () => {
    await admin?.close();
    await cluster?.stop();
  });

  /** An R1 stream, its node killed, and a session on a node that survives. */
  async function orphan(name: string): Promise<NatsClusterNode> {
    await jsm.streams.add({ name, subjects: [`${name.toLowerCase()}.>`], num_replicas: 1 });
    const leader = (await jsm.streams.info(name)).cluster?.leader;
    const node = cluster.nodes.find((n) => n.name === leader);
    assert.ok(node, `the stream's node ${leader}`);
    const other = cluster.nodes.find((n) => n !== node)!;
    s = await connectedSession(other.url);
    await node.kill();
    // The meta group answers again (a new meta leader when the killed node led it): the API still finds the stream.
    await cluster.waitHealthy(60_000);
    return node;
  }

  it('tries again for a few seconds, then says in one sentence that nothing was stored', async () => {
    const node = await orphan('LONELY');
    const started = Date.now();
    const err = await publishMessage(
      s!,
      { subject: 'lonely.one', payload: 'x' },
      { noResponderWaitsMs: [200, 400] },
    ).then(
      () => assert.fail('the publish went through with the stream down'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof StreamUnreachableError, String(err));
    assert.ok(Date.now() - started >= 600, 'it waited between tries');
    const sentence = explainNatsError(err, other(node).url);
    assert.equal(
      sentence,
      "Stream LONELY did not take the message on lonely.one within 0.6 s: no server this connection reaches has its leader (the stream was just created, or its replicas are offline or electing a leader). Nothing was stored; publish again in a moment, and if it lasts, Show JetStream Health lists the stream's replicas.",
    );
    await node.restart();
    await cluster.waitHealthy(60_000);
    const state = await readState('LONELY');
    assert.equal(state.messages, 0, 'nothing was stored');
  });

  it('goes through once the stream’s node is back within the waits', async () => {
    const node = await orphan('RETURNS');
    const published = publishMessage(
      s!,
      { subject: 'returns.one', payload: 'back' },
      { noResponderWaitsMs: Array.from({ length: 60 }, () => 500) },
    );
    await node.restart();
    assert.deepEqual(await published, { stream: 'RETURNS', seq: 1 });
    assert.equal((await readState('RETURNS')).messages, 1);
  });

  function other(node: NatsClusterNode): NatsClusterNode {
    return cluster.nodes.find((n) => n !== node)!;
  }

  /** The stream's state once its restarted node answers for it (stream info fails while it has no leader). */
  async function readState(name: string): Promise<{ messages: number }> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        return (await jsm.streams.info(name)).state;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }
});
