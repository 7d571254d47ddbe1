// Stream and consumer writes on a real 3-node JetStream cluster: create from the defaults document, edit, copy, seal,
// purge below a sequence, delete one message, republish, leader step-down, consumer create/edit/pause/resume. Runs on
// 2.14.2 and, in the compatibility pass, on 2.9.10, where pausing is refused with the version it needs.
import * as assert from 'node:assert/strict';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { atLeast } from '../../../../src/core/nats/cluster/serverFeatures';
import {
  consumerLeaderStepDown,
  consumerPauseUnsupported,
  consumerSpecOf,
  createConsumer,
  pauseConsumer,
  resumeConsumer,
  updateConsumer,
} from '../../../../src/core/nats/consumerWrites';
import { explainNatsError } from '../../../../src/core/nats/explainError';
import type { NatsSession } from '../../../../src/core/nats/session';
import { configChanges, parseStreamConfig, streamConfigTemplate } from '../../../../src/core/nats/streamConfig';
import { listConsumers } from '../../../../src/core/nats/streams';
import {
  copyStream,
  createStream,
  deleteStoredMessage,
  purgeUpTo,
  republishMessage,
  sealStream,
  streamConfigOf,
  streamLeaderStepDown,
  updateStream,
} from '../../../../src/core/nats/streamWrites';
import { startNatsCluster, type NatsCluster } from '../../../harness/natsCluster';
import { connectedSession } from './fixture';

/** Reads until `pred` holds: a leader change, or a write a Raft group has yet to apply, only shows after a while. */
async function readUntil<T>(read: () => Promise<T>, pred: (v: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    let v: T | undefined;
    try {
      v = await read();
      if (pred(v)) return v;
    } catch {
      // a leader election in progress answers with an error for a moment
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('stream and consumer writes on a 3-node cluster', () => {
  let cluster: NatsCluster;
  let s: NatsSession;
  let ro: NatsSession;
  let version: string;
  before(async () => {
    cluster = await startNatsCluster();
    await cluster.waitHealthy();
    s = await connectedSession(cluster.urls);
    ro = await connectedSession(cluster.urls, { readOnly: true, name: 'ro' });
    version = s.connection().info?.version ?? '';
  });
  after(async () => {
    await ro?.close();
    await s?.close();
    await cluster?.stop();
  });

  it('creates an R3 stream from the defaults document and reads back the same defaults from the server', async () => {
    const doc = { ...streamConfigTemplate('ORDERS', ['orders.>']), num_replicas: 3 };
    const cfg = parseStreamConfig(JSON.stringify(doc));
    await createStream(s, cfg);
    const back = (await streamConfigOf(s, 'ORDERS')) as unknown as Record<string, unknown>;
    // Every default the document shows is what the server stored: the document does not lie about defaults.
    for (const [k, v] of Object.entries(doc)) assert.deepEqual(back[k], v, `field ${k}`);
    const js = jetstream(s.connection());
    for (let i = 1; i <= 10; i++) await js.publish(i % 2 ? 'orders.eu' : 'orders.us', `o${i}`, { msgID: `id-${i}` });
  });

  it('edits a stream and reports a lower limit as removing data; the server applies it', async () => {
    const before = (await streamConfigOf(s, 'ORDERS')) as unknown as Record<string, unknown>;
    const after = { ...before, description: 'every order', max_msgs: 8 };
    const changes = configChanges(before, after);
    assert.deepEqual(
      changes.map((c) => [c.field, c.removesData]),
      [
        ['max_msgs', true],
        ['description', false],
      ],
    );
    await updateStream(s, parseStreamConfig(JSON.stringify(after)));
    const info = await (await s.jetstreamManager()).streams.info('ORDERS');
    assert.equal(info.config.description, 'every order');
    assert.equal(info.state.messages, 8);
    assert.equal(info.state.first_seq, 3);
    // A field deleted from the document goes back to the server's default instead of keeping its old value.
    const { description: _dropped, ...withoutDescription } = info.config as unknown as Record<string, unknown>;
    await updateStream(s, parseStreamConfig(JSON.stringify(withoutDescription)));
    assert.equal((await streamConfigOf(s, 'ORDERS')).description, undefined);
  });

  it('refuses an invalid document and a server refusal in one sentence that says what to do', async () => {
    assert.throws(() => parseStreamConfig('{"name":"A B"}'), /"name" must be .*; fix it and apply again\./);
    assert.throws(() => parseStreamConfig('{"name":"A","retention":"forever"}'), /"retention" must be one of/);
    assert.throws(() => parseStreamConfig('x'.repeat(300_000)), /over the 262144/);
    const cfg = parseStreamConfig(
      JSON.stringify({ ...streamConfigTemplate('ORDERS', ['orders.>']), storage: 'memory' }),
    );
    const err = await updateStream(s, cfg).then(
      () => assert.fail('the server took a storage change'),
      (e: unknown) => e,
    );
    const sentence = explainNatsError(err, cluster.urls[0]!);
    assert.match(sentence, /^The server refused it: .*storage.*\. Change what it names and try again\.$/i);
  });

  it('deletes one message, purges below a sequence, and republishes a stored message without its message id', async () => {
    assert.equal(await deleteStoredMessage(s, 'ORDERS', 4), true);
    const jsm = await s.jetstreamManager();
    assert.equal((await jsm.streams.getMessage('ORDERS', { seq: 4 })) ?? null, null);
    assert.equal(await purgeUpTo(s, 'ORDERS', 6), 2); // 3 and 5 were left below 6
    const state = (await jsm.streams.info('ORDERS')).state;
    assert.equal(state.first_seq, 6);
    assert.equal(state.messages, 5);
    // Republished onto a subject the stream captures: it is stored again, though its original carried a message id.
    const res = await republishMessage(s, 'ORDERS', 7, 'orders.replay');
    assert.equal(res.stream, 'ORDERS');
    const copy = await jsm.streams.getMessage('ORDERS', { seq: res.seq! });
    assert.equal(copy?.subject, 'orders.replay');
    assert.equal(copy?.string(), 'o7');
    await assert.rejects(republishMessage(s, 'ORDERS', 2, 'orders.x'), /no message|not found/i);
  });

  it('copies a stream config under a new name and subjects, without its messages', async () => {
    await copyStream(s, 'ORDERS', 'ORDERS_COPY', ['copy.>']);
    const info = await (await s.jetstreamManager()).streams.info('ORDERS_COPY');
    assert.deepEqual(info.config.subjects, ['copy.>']);
    assert.equal(info.config.max_msgs, 8);
    assert.equal(info.config.num_replicas, 3);
    assert.equal(info.state.messages, 0);
  });

  it('moves a stream leader to another replica on step-down', async () => {
    const jsm = await s.jetstreamManager();
    const leader = (await jsm.streams.info('ORDERS')).cluster?.leader;
    assert.ok(leader);
    await streamLeaderStepDown(s, 'ORDERS');
    await readUntil(
      () => jsm.streams.info('ORDERS'),
      (i) => Boolean(i.cluster?.leader) && i.cluster?.leader !== leader,
      'a new stream leader',
    );
  });

  it('creates and edits a consumer with filters, policies, max deliver and backoff', async () => {
    const ci = await createConsumer(s, 'ORDERS', {
      durable: 'billing',
      filterSubjects: ['orders.eu'],
      ackPolicy: 'explicit',
      deliverPolicy: 'all',
      maxDeliver: 5,
      backoffSeconds: [1, 5],
    });
    assert.equal(ci.config.filter_subject, 'orders.eu');
    assert.deepEqual(ci.config.backoff, [1e9, 5e9]);
    assert.equal(ci.num_pending, 2); // orders.eu at 7 and 9 remain
    const edited = await updateConsumer(s, 'ORDERS', {
      ...consumerSpecOf(ci),
      description: 'billing in the EU',
      maxDeliver: 10,
      backoffSeconds: [2],
    });
    assert.equal(edited.config.description, 'billing in the EU');
    assert.equal(edited.config.max_deliver, 10);
    assert.deepEqual(edited.config.backoff, [2e9]);
    const cleared = await updateConsumer(s, 'ORDERS', { ...consumerSpecOf(edited), backoffSeconds: [] });
    assert.equal(cleared.config.backoff, undefined);
    assert.equal(cleared.config.filter_subject, 'orders.eu');
    await assert.rejects(
      createConsumer(s, 'ORDERS', { durable: 'x', maxDeliver: 2, backoffSeconds: [1, 2] }),
      /Max deliver \(2\) must be above the number of backoff delays \(2\)/,
    );
    // Several filters need 2.10: an older server would ignore them and deliver every subject, so it is refused.
    const several = createConsumer(s, 'ORDERS', { durable: 'both', filterSubjects: ['orders.eu', 'orders.us'] });
    if (atLeast(version, '2.10.0')) {
      assert.deepEqual((await several).config.filter_subjects, ['orders.eu', 'orders.us']);
      await (await s.jetstreamManager()).consumers.delete('ORDERS', 'both');
    } else {
      const err = await several.then(
        () => assert.fail('created on an old server'),
        (e: unknown) => e,
      );
      assert.equal(
        explainNatsError(err, cluster.urls[0]!),
        `A consumer with several filter subjects needs nats-server 2.10.0 and this server runs ${version}; upgrade the server to use it.`,
      );
    }
    const [billing] = await listConsumers(s, 'ORDERS');
    assert.equal(billing?.pending, 2);
    assert.equal(billing?.ackFloorSeq, 0);
  });

  it('pauses and resumes a consumer on 2.11+, and refuses with the version needed on older servers', async () => {
    const until = new Date(Date.now() + 3_600_000);
    if (atLeast(version, '2.11.0')) {
      assert.equal(consumerPauseUnsupported(s), undefined);
      await pauseConsumer(s, 'ORDERS', 'billing', until);
      // The listing can answer before the consumer's Raft group applied the pause: read until the summary says when.
      const [paused] = await readUntil(
        () => listConsumers(s, 'ORDERS'),
        ([c]) => Boolean(c?.pausedUntil),
        'the summary to say until when',
      );
      assert.equal(new Date(paused!.pausedUntil!).getTime(), until.getTime());
      await resumeConsumer(s, 'ORDERS', 'billing');
      await readUntil(
        () => listConsumers(s, 'ORDERS'),
        ([c]) => c !== undefined && c.pausedUntil === undefined,
        'the summary to show the consumer resumed',
      );
    } else {
      assert.equal(consumerPauseUnsupported(s)?.needs, '2.11.0');
      const err = await pauseConsumer(s, 'ORDERS', 'billing', until).then(
        () => assert.fail('paused on an old server'),
        (e: unknown) => e,
      );
      assert.equal(
        explainNatsError(err, cluster.urls[0]!),
        `Pausing a consumer needs nats-server 2.11.0 and this server runs ${version}; upgrade the server to use it.`,
      );
    }
  });

  it('moves a consumer leader on step-down', async () => {
    const jsm = await s.jetstreamManager();
    const leader = (await jsm.consumers.info('ORDERS', 'billing')).cluster?.leader;
    assert.ok(leader);
    await consumerLeaderStepDown(s, 'ORDERS', 'billing');
    await readUntil(
      () => jsm.consumers.info('ORDERS', 'billing'),
      (i) => Boolean(i.cluster?.leader) && i.cluster?.leader !== leader,
      'a new consumer leader',
    );
  });

  it('seals a stream: it then refuses deletes', async () => {
    await sealStream(s, 'ORDERS_COPY');
    const jsm = await s.jetstreamManager();
    assert.equal((await jsm.streams.info('ORDERS_COPY')).config.sealed, true);
    await assert.rejects(jsm.streams.purge('ORDERS_COPY'));
  });

  it('refuses every write on a read-only session before it reaches the server', async () => {
    const jsm = await jetstreamManager(s.connection());
    const before = await jsm.streams.info('ORDERS');
    const attempts: Array<Promise<unknown>> = [
      createStream(ro, parseStreamConfig(JSON.stringify(streamConfigTemplate('RO', ['ro.>'])))),
      updateStream(ro, parseStreamConfig(JSON.stringify({ ...before.config, description: 'x' }))),
      copyStream(ro, 'ORDERS', 'RO2', ['ro2.>']),
      sealStream(ro, 'ORDERS'),
      purgeUpTo(ro, 'ORDERS', 100),
      deleteStoredMessage(ro, 'ORDERS', 8),
      republishMessage(ro, 'ORDERS', 8, 'orders.ro'),
      streamLeaderStepDown(ro, 'ORDERS'),
      createConsumer(ro, 'ORDERS', { durable: 'ro' }),
      updateConsumer(ro, 'ORDERS', { durable: 'billing', description: 'ro' }),
      pauseConsumer(ro, 'ORDERS', 'billing', new Date(Date.now() + 60_000)),
      resumeConsumer(ro, 'ORDERS', 'billing'),
      consumerLeaderStepDown(ro, 'ORDERS', 'billing'),
    ];
    for (const a of attempts) await assert.rejects(a, { name: 'ReadOnlyError' });
    const after = await jsm.streams.info('ORDERS');
    assert.deepEqual(after.state, before.state);
    assert.equal(after.config.description, before.config.description);
    assert.deepEqual(
      (await listConsumers(s, 'ORDERS')).map((c) => c.name),
      ['billing'],
    );
    await assert.rejects(jsm.streams.info('RO'));
  });
});
