// Bucket create and edit and key revert on a real 3-node JetStream cluster (R3 buckets), on nats-server 2.14.2 and,
// in the compatibility pass (NATS_K3S_NATS_SERVER=Debian's 2.9.10), on the oldest supported server. Every effect is
// read back from the server through a second, plain nats.js connection.
import * as assert from 'node:assert/strict';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { explainNatsError } from '../../../../../src/core/nats/explainError';
import { createBucket, editBucket, readBucketSettings, revertKey } from '../../../../../src/core/nats/kv/kvAdmin';
import { KV_DEFAULTS } from '../../../../../src/core/nats/kv/kvSettings';
import type { NatsSession } from '../../../../../src/core/nats/session';
import { writeReferenceScenario } from '../../../../generators/kine/fixtureScenario';
import { KineFixtureWriter } from '../../../../generators/kine/fixtureWriter';
import { startNatsCluster, type NatsCluster } from '../../../../harness/natsCluster';
import { connectedSession } from '../fixture';

describe('KV bucket create, edit and key revert on a 3-node cluster', () => {
  let cluster: NatsCluster;
  let s: NatsSession;
  let readOnly: NatsSession;
  let plain: NatsConnection;
  before(async () => {
    cluster = await startNatsCluster();
    await cluster.waitHealthy();
    s = await connectedSession(cluster.urls);
    readOnly = await connectedSession(cluster.urls, { readOnly: true, name: 'ro' });
    plain = await connect({ servers: cluster.urls });
  });
  after(async () => {
    await plain?.close();
    await readOnly?.close();
    await s?.close();
    await cluster?.stop();
  });

  /** Waits until the bucket's stream has a leader and `n - 1` current replicas: writes time out until it has. */
  async function replicasCurrent(bucket: string, n: number): Promise<void> {
    const jsm = await jetstreamManager(plain);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const { cluster: c } = await jsm.streams.info(`KV_${bucket}`);
      if (c?.leader && (c.replicas ?? []).filter((r) => r.current).length === n - 1) return;
      if (Date.now() > deadline) throw new Error(`KV_${bucket} has no ${n} current replicas: ${JSON.stringify(c)}`);
      // Stream info is the only place the server reports replica catch-up; there is no event to await.
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const streamConfig = async (bucket: string) =>
    (await (await jetstreamManager(plain)).streams.info(`KV_${bucket}`)).config;

  it('creates an R3 bucket with every setting, as the server then reports it', async () => {
    const wanted = {
      history: 7,
      ttlMs: 3_600_000,
      maxValueSize: 4096,
      replicas: 3,
      storage: 'file' as const,
      description: 'app settings',
    };
    assert.deepEqual(await createBucket(s, 'cfg', wanted), wanted);
    const c = await streamConfig('cfg');
    assert.deepEqual(
      [c.max_msgs_per_subject, c.max_age, c.max_msg_size, c.num_replicas, c.storage, c.description],
      [7, 3_600_000 * 1_000_000, 4096, 3, 'file', 'app settings'],
    );
  });

  it('creates with the server defaults for fields left out', async () => {
    assert.deepEqual(await createBucket(s, 'plain'), KV_DEFAULTS);
    assert.deepEqual(await readBucketSettings(s, 'plain'), KV_DEFAULTS);
  });

  it('refuses an existing bucket, a bad name and a bad setting in one sentence each', async () => {
    await assert.rejects(createBucket(s, 'cfg', { history: 1 }), /already exists: edit it instead/);
    await assert.rejects(createBucket(s, 'a.b'), /not a valid bucket name/);
    await assert.rejects(createBucket(s, 'many', { history: 65 }), /History must be a whole number from 1 to 64/);
    await assert.rejects(
      createBucket(s, 'five', { replicas: 5 }),
      /cannot have 5 replicas here.*lower the replicas\.$/,
    );
    assert.equal((await streamConfig('cfg')).max_msgs_per_subject, 7, 'the refused create changed nothing');
  });

  it('edits history, TTL, max value size, replicas and description; storage change is refused', async () => {
    const before = await readBucketSettings(s, 'cfg');
    const next = { ...before, history: 3, ttlMs: 60_000, maxValueSize: -1, replicas: 1, description: 'trimmed' };
    assert.deepEqual(await editBucket(s, 'cfg', next), next);
    const c = await streamConfig('cfg');
    assert.deepEqual(
      [c.max_msgs_per_subject, c.max_age, c.max_msg_size, c.num_replicas, c.description],
      [3, 60_000 * 1_000_000, -1, 1, 'trimmed'],
    );
    // A TTL shorter than the default duplicate window is only accepted because the window shrinks with it.
    assert.equal(c.duplicate_window, 60_000 * 1_000_000);
    const back = { ...next, history: 10, replicas: 3, ttlMs: 0 };
    assert.deepEqual(await editBucket(s, 'cfg', back), back);
    await replicasCurrent('cfg', 3);
    await assert.rejects(editBucket(s, 'cfg', { ...next, storage: 'memory' }), (err: Error) => {
      assert.match(explainNatsError(err, cluster.urls[0]!), /keeps its file storage.*create a new bucket instead\.$/);
      return true;
    });
  });

  it('reverts a key to an earlier revision: the new revision holds the old value', async () => {
    const kv = await new Kvm(plain).open('cfg');
    const r1 = await kv.put('db.host', 'alpha');
    await kv.put('db.host', 'beta');
    await kv.delete('db.host');
    const result = await revertKey(s, 'cfg', 'db.host', r1);
    assert.equal(result.from, r1);
    const latest = await kv.get('db.host');
    assert.equal(latest?.revision, result.revision);
    assert.equal(latest?.operation, 'PUT');
    assert.equal(latest?.string(), 'alpha');
  });

  it('refuses a revert to a delete marker, to the newest revision, and after a concurrent change', async () => {
    const kv = await new Kvm(plain).open('cfg');
    const r1 = await kv.put('web.port', '80');
    const seen = await kv.put('web.port', '8080');
    await kv.delete('web.port');
    const del = (await kv.get('web.port'))!.revision;
    await assert.rejects(revertKey(s, 'cfg', 'web.port', del), /is a DEL marker, not a value/);
    await assert.rejects(revertKey(s, 'cfg', 'web.port', 999_999), /has no revision 999999 any more/);
    const newest = await kv.put('web.port', '443');
    await assert.rejects(revertKey(s, 'cfg', 'web.port', newest), /already the newest/);
    await assert.rejects(revertKey(s, 'cfg', 'web.port', r1, seen), /changed while reverting/);
    assert.equal((await kv.get('web.port'))?.string(), '443', 'no refused revert wrote');
  });

  it('refuses every write through a read-only session, and the server shows none', async () => {
    const kv = await new Kvm(plain).open('cfg');
    const r = await kv.put('ro.key', 'one');
    await kv.put('ro.key', 'two');
    const lastSeq = async () => (await (await jetstreamManager(plain)).streams.info('KV_cfg')).state.last_seq;
    const seqBefore = await lastSeq();
    const settingsBefore = await readBucketSettings(s, 'cfg');
    await assert.rejects(createBucket(readOnly, 'ro-new'), { name: 'ReadOnlyError' });
    await assert.rejects(editBucket(readOnly, 'cfg', { ...settingsBefore, history: 9 }), { name: 'ReadOnlyError' });
    await assert.rejects(revertKey(readOnly, 'cfg', 'ro.key', r), { name: 'ReadOnlyError' });
    assert.equal(await lastSeq(), seqBefore);
    assert.deepEqual(await readBucketSettings(s, 'cfg'), settingsBefore);
    await assert.rejects((await jetstreamManager(plain)).streams.info('KV_ro-new'), /stream not found/);
  });

  it('refuses to edit or revert a bucket that holds kine data: kine owns it', async () => {
    const w = await KineFixtureWriter.create(plain, { bucket: 'kine', replicas: 3 });
    await writeReferenceScenario(w);
    const kv = await new Kvm(plain).open('kine');
    // A key kine wrote, with its first revision: a revert a user could pick from its history. Read from the stream's
    // first message, not a key listing (a listing's consumer on a fresh R3 stream has come back empty under load).
    const first = await (await jetstreamManager(plain, { timeout: 30_000 })).streams.getMessage('KV_kine', { seq: 1 });
    const key = first?.subject.slice('$KV.kine.'.length) ?? '';
    assert.ok(key, 'the bucket has a first message');
    const history: number[] = [];
    for await (const e of await kv.history({ key })) history.push(e.revision);
    assert.ok(history.length > 0, `kine key ${key} has history`);
    const before = await streamConfig('kine');
    const settings = await readBucketSettings(s, 'kine');
    await assert.rejects(editBucket(s, 'kine', { ...settings, history: 20 }), /holds K3s's kine data.*kine owns it/);
    await assert.rejects(revertKey(s, 'kine', key, history[0]!), /holds K3s's kine data, so reverting/);
    assert.deepEqual(await streamConfig('kine'), before);
  });
});
