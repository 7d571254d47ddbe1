import * as assert from 'node:assert/strict';
import { AckPolicy, jetstream, jetstreamManager, StorageType } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { explainNatsError } from '../../../../src/core/nats/explainError';
import { deleteKey, purgeKey, putKey } from '../../../../src/core/nats/kvBrowser';
import { requestMessage, publishMessage } from '../../../../src/core/nats/publish';
import { getServerOverview } from '../../../../src/core/nats/serverInfo';
import type { NatsSession } from '../../../../src/core/nats/session';
import {
  consumerInfoJson,
  deleteConsumer,
  deleteStream,
  getStream,
  listConsumers,
  listStreams,
  purgeStream,
  streamInfoJson,
} from '../../../../src/core/nats/streams';
import { startNatsServer, type NatsServer } from '../../../harness/natsServer';
import { connectedSession } from './fixture';

describe('stream, consumer, server and publish queries against a real nats-server', () => {
  let server: NatsServer;
  let s: NatsSession;
  before(async () => {
    server = await startNatsServer();
    s = await connectedSession(server.url);
    const nc = s.connection();
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'ORDERS', subjects: ['orders.>'], description: 'all orders' });
    await jsm.streams.add({ name: 'EVENTS', subjects: ['events.*.*'], storage: StorageType.Memory });
    const js = jetstream(nc);
    for (let i = 0; i < 6; i++) await js.publish(i % 2 ? 'orders.eu.created' : 'orders.us.created', `o${i}`);
    await js.publish('events.a.b', 'e');
    await jsm.consumers.add('ORDERS', {
      durable_name: 'billing',
      filter_subject: 'orders.eu.>',
      ack_policy: AckPolicy.Explicit,
    });
    await jsm.consumers.add('ORDERS', { durable_name: 'audit', ack_policy: AckPolicy.Explicit });
    const c = await js.consumers.get('ORDERS', 'billing');
    const m = await c.next({ expires: 2_000 });
    assert.ok(m, 'billing got a message'); // left unacknowledged: one ack-pending
    await new Kvm(nc).create('cfg');
  });
  after(async () => {
    await s?.close();
    await server?.stop();
  });

  it('reads the server overview with JetStream account usage', async () => {
    const o = await getServerOverview(s);
    assert.match(o.version, /^2\.\d+\.\d+/);
    assert.equal(o.jetstream, true);
    assert.equal(o.cluster, undefined);
    assert.equal(o.account?.streams, 3);
    // Two of them streams, one a KV bucket's: the split the Server row shows beside the Streams list.
    assert.deepEqual(o.account?.streamKinds, { plain: 2, kv: 1, objectStore: 0 });
    assert.equal(o.account?.consumers, 2);
    assert.ok((o.account?.storageBytes ?? 0) > 0);
    assert.equal(o.account?.limits.streams, -1);
  });

  it('lists streams with state, hiding KV backing streams unless asked', async () => {
    const list = await listStreams(s);
    assert.deepEqual(
      list.map((x) => x.name),
      ['EVENTS', 'ORDERS'],
    );
    const orders = list.find((x) => x.name === 'ORDERS')!;
    assert.deepEqual(
      {
        subjects: orders.subjects,
        storage: orders.storage,
        replicas: orders.replicas,
        messages: orders.messages,
        first: orders.firstSeq,
        last: orders.lastSeq,
        consumers: orders.consumerCount,
        kind: orders.kind,
        description: orders.description,
      },
      {
        subjects: ['orders.>'],
        storage: 'file',
        replicas: 1,
        messages: 6,
        first: 1,
        last: 6,
        consumers: 2,
        kind: 'stream',
        description: 'all orders',
      },
    );
    assert.ok(orders.bytes > 0 && orders.firstTime && orders.lastTime);
    assert.equal(list.find((x) => x.name === 'EVENTS')!.storage, 'memory');
    const all = await listStreams(s, { includeSystem: true });
    assert.deepEqual(
      all.map((x) => `${x.name}:${x.kind}`),
      ['EVENTS:stream', 'KV_cfg:kv', 'ORDERS:stream'],
    );
    assert.deepEqual(
      (await listStreams(s, { subject: 'events.x.y' })).map((x) => x.name),
      ['EVENTS'],
    );
    assert.equal(JSON.parse(await streamInfoJson(s, 'ORDERS')).config.name, 'ORDERS');
  });

  it('lists consumers with pending and ack-pending, shows and deletes one', async () => {
    const consumers = await listConsumers(s, 'ORDERS');
    assert.deepEqual(
      consumers.map((c) => [c.name, c.kind, c.filterSubject, c.pending, c.ackPending]),
      [
        ['audit', 'pull', undefined, 6, 0],
        ['billing', 'pull', 'orders.eu.>', 2, 1],
      ],
    );
    assert.equal(JSON.parse(await consumerInfoJson(s, 'ORDERS', 'billing')).name, 'billing');
    await deleteConsumer(s, 'ORDERS', 'audit');
    assert.deepEqual(
      (await listConsumers(s, 'ORDERS')).map((c) => c.name),
      ['billing'],
    );
    const err = await consumerInfoJson(s, 'ORDERS', 'audit').catch((e: unknown) => e);
    assert.match(explainNatsError(err, server.url), /^Not found: the consumer does not exist/);
  });

  it('purges by subject, purges all, deletes a stream, and explains a missing one', async () => {
    assert.equal(await purgeStream(s, 'ORDERS', 'orders.us.>'), 3);
    assert.equal((await getStream(s, 'ORDERS')).messages, 3);
    assert.equal(await purgeStream(s, 'ORDERS'), 3);
    assert.equal((await getStream(s, 'ORDERS')).messages, 0);
    await deleteStream(s, 'EVENTS');
    const err = await getStream(s, 'EVENTS').catch((e: unknown) => e);
    assert.match(explainNatsError(err, server.url), /^Not found: the stream does not exist on 127\.0\.0\.1:\d+/);
  });

  it('publishes through JetStream when a stream stores the subject, and says where it went', async () => {
    await (await jetstreamManager(s.connection())).streams.add({ name: 'PUBS', subjects: ['pubs.>'] });
    assert.deepEqual(await publishMessage(s, { subject: 'pubs.one', payload: 'first' }), { stream: 'PUBS', seq: 1 });
    assert.deepEqual(await publishMessage(s, { subject: 'pubs.two', payload: 'second' }), { stream: 'PUBS', seq: 2 });
  });

  it('publishes with headers, and requests with a timeout', async () => {
    const nc = s.connection();
    const got: Array<[string, string | undefined, string]> = [];
    const sub = nc.subscribe('svc.echo', {
      callback: (_e, m) => {
        got.push([m.subject, m.headers?.get('X-Trace'), m.string()]);
        if (m.reply) m.respond(`echo:${m.string()}`, { headers: m.headers });
      },
    });
    try {
      // No stream stores svc.echo: a core publish, with nothing to report.
      assert.deepEqual(
        await publishMessage(s, { subject: 'svc.echo', payload: 'hi', headers: [['X-Trace', 't1']] }),
        {},
      );
      const reply = await requestMessage(
        s,
        { subject: 'svc.echo', payload: 'ping', headers: [['X-Trace', 't2']] },
        2_000,
      );
      assert.equal(reply.payload.text, 'echo:ping');
      assert.deepEqual(reply.headers, [['X-Trace', 't2']]);
      assert.deepEqual(got, [
        ['svc.echo', 't1', 'hi'],
        ['svc.echo', 't2', 'ping'],
      ]);
      const none = await requestMessage(s, { subject: 'svc.nobody' }, 1_000).catch((e: unknown) => e);
      assert.match(explainNatsError(none, server.url), /^No responders on 127\.0\.0\.1:\d+/);
    } finally {
      sub.unsubscribe();
    }
  });

  it('refuses every write with ReadOnlyError in a read-only session, before touching the server', async () => {
    const ro = await connectedSession(server.url, { readOnly: true, name: 'ro' });
    try {
      const writes: Array<[string, () => Promise<unknown>]> = [
        ['publish', () => publishMessage(ro, { subject: 'x' })],
        ['request', () => requestMessage(ro, { subject: 'x' })],
        ['purge stream', () => purgeStream(ro, 'ORDERS')],
        ['delete stream', () => deleteStream(ro, 'ORDERS')],
        ['delete consumer', () => deleteConsumer(ro, 'ORDERS', 'billing')],
        ['kv put', () => putKey(ro, 'cfg', 'a', 'b')],
        ['kv delete', () => deleteKey(ro, 'cfg', 'a')],
        ['kv purge', () => purgeKey(ro, 'cfg', 'a')],
      ];
      for (const [label, write] of writes) {
        const err = await write().then(
          () => undefined,
          (e: unknown) => e,
        );
        assert.equal((err as Error)?.name, 'ReadOnlyError', label);
        assert.match(
          explainNatsError(err, server.url),
          /^Refused: 'ro' is read-only: .+ was refused\. Turn off natsK3s\.readOnly/,
        );
      }
      assert.equal((await getStream(ro, 'ORDERS')).name, 'ORDERS', 'reads still work');
      assert.equal((await listConsumers(ro, 'ORDERS')).length, 1);
    } finally {
      await ro.close();
    }
  });
});
