import * as assert from 'node:assert/strict';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Kvm } from '@nats-io/kv';
import { KineBucket } from '../../../../src/core/kine/kineBucket';
import { KineBucketNotFoundError, KineKeyNotFoundError } from '../../../../src/core/kine/bucketErrors';
import { listNames, listNamespaces, listOtherKeys, listTopLevel } from '../../../../src/core/kine/kineTree';
import { KineIndex } from '../../../../src/core/kine/kineIndex';
import { getHistory, getObject } from '../../../../src/core/kine/kineObject';
import { bucketHealth } from '../../../../src/core/kine/bucketHealth';
import { inspectDatastoreTarget } from '../../../../src/core/kine/datastoreTarget';
import { FORMAT_ERAS } from '../../../../src/core/kine/formatEra';
import { KineFixtureWriter } from '../../../generators/kine/fixtureWriter';
import { writeReferenceScenario } from '../../../generators/kine/fixtureScenario';
import { generateKeyspace, type KeyspaceSummary } from '../../../generators/kine/keyspaceGenerator';
import { startNatsServer, type NatsServer } from '../../../harness/natsServer';
import { withTimeout } from '../../../harness/processes';
import { encodeKinePrefix } from '../../../../src/core/kine/keyCodec';

describe('kine bucket reader against a real nats-server', function () {
  this.timeout(120_000);
  let server: NatsServer;
  let nc: NatsConnection;
  let summary: KeyspaceSummary;
  let gen: KineBucket;
  before(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    const w = await KineFixtureWriter.create(nc, { bucket: 'kine' });
    summary = await generateKeyspace(w, { keys: 4000, seed: 9 });
    await w.create('/bootstrap/0123456789ab', new TextEncoder().encode('salt:QUJD'));
    await w.compact(1234);
    gen = await KineBucket.open(nc, 'kine');
  });
  after(async () => {
    await nc?.close();
    await server?.stop();
  });

  it('detects kine data from the data, and a plain KV bucket as not kine', async () => {
    const d = await gen.detect();
    assert.equal(d.isKine, true);
    assert.equal(d.era?.era, 'v0.14.10+');
    const kv = await new Kvm(nc).create('plain');
    await kv.put('a.b', 'hello');
    const plain = await (await KineBucket.open(nc, 'plain')).detect();
    assert.equal(plain.isKine, false);
    assert.match(plain.reason, /not hold kine data/);
    await assert.rejects(KineBucket.open(nc, 'nope'), KineBucketNotFoundError);
  });

  it('lists the first level with exact live and deleted counts', async () => {
    const top = await listTopLevel(gen);
    const byName = new Map(top.resources.map((r) => [r.resource, r]));
    for (const [resource, r] of Object.entries(summary.resources)) {
      assert.deepEqual(
        [byName.get(resource)?.liveKeys, byName.get(resource)?.deletedKeys],
        [r.live, r.deleted],
        resource,
      );
    }
    assert.equal(byName.get('pods')?.namespaced, true);
    assert.equal(byName.get('minions')?.namespaced, false);
    assert.equal(byName.get('apiextensions.k8s.io/customresourcedefinitions')?.namespaced, false);
    assert.ok(byName.has('services/specs') && byName.has('helm.cattle.io/helmcharts'));
    assert.equal(top.other.liveKeys, 3, 'health, bootstrap, compaction key');
    assert.equal(top.revision, (await gen.info()).state.last_seq);
  });

  it('lists namespaces, then names with deleted keys hidden unless asked', async () => {
    const pods = (await listTopLevel(gen)).resources.find((r) => r.resource === 'pods')!;
    const namespaces = await listNamespaces(gen, pods);
    const expected = summary.resources.pods.perNamespace;
    assert.deepEqual(Object.fromEntries(namespaces.map((n) => [n.namespace, n.liveKeys])), expected);
    const ns = namespaces.find((n) => n.namespace === 'default')!;
    const names = await listNames(gen, pods, ns.kvPrefix);
    assert.equal(names.length, expected.default);
    assert.ok(names.every((n) => !n.deleted && n.key.startsWith('/registry/pods/default/')));
    const withDeleted = await listNames(gen, pods, ns.kvPrefix, { includeDeleted: true });
    assert.ok(withDeleted.length > names.length);
    assert.equal(withDeleted.length - names.length, namespaces.find((n) => n.namespace === 'default')!.deletedKeys);
    assert.ok(withDeleted.every((n) => n.revision > 0));
    const minions = (await listTopLevel(gen)).resources.find((r) => r.resource === 'minions')!;
    const nodes = await listNames(gen, minions);
    assert.equal(nodes.length, summary.resources.minions.live);
  });

  it('serves every level from one in-memory index, identical to the per-level scans', async () => {
    const index = await KineIndex.build(gen);
    assert.deepEqual(index.topLevel(), await listTopLevel(gen));
    for (const type of index
      .topLevel()
      .resources.filter((r) => ['pods', 'events', 'minions', 'services/specs'].includes(r.resource))) {
      for (const includeDeleted of [false, true]) {
        if (!type.namespaced) {
          assert.deepEqual(
            index.names(gen, type, undefined, { includeDeleted }),
            await listNames(gen, type, undefined, { includeDeleted }),
          );
          continue;
        }
        const namespaces = index.namespaces(gen, type, { includeDeleted });
        assert.deepEqual(namespaces, await listNamespaces(gen, type, { includeDeleted }));
        for (const ns of namespaces.slice(0, 3))
          assert.deepEqual(
            index.names(gen, type, ns.kvPrefix, { includeDeleted }),
            await listNames(gen, type, ns.kvPrefix, { includeDeleted }),
          );
      }
    }
  });

  it('ends a scan at once when no key is under the prefix', async () => {
    // The consumer reports the stream's position as delivered, never 0; heartbeats then kept the scan waiting forever.
    const seen: string[] = [];
    await withTimeout(
      gen.scan(`${encodeKinePrefix('/registry/nothing')}.>`, (e) => void seen.push(e.kvKey)),
      3_000,
      'the scan of an empty prefix did not end',
    );
    assert.deepEqual(seen, []);
  });

  it('puts the non-Kubernetes keys in their own group', async () => {
    const other = await listOtherKeys(gen);
    assert.deepEqual(
      other.map((o) => o.key),
      ['/bootstrap/0123456789ab', '/registry/health', 'compact_rev_key_apiserver'],
    );
  });

  it('opens an object with revisions, lease and format, and shows every stored revision in its history', async () => {
    const lease = (await listTopLevel(gen)).resources.find((r) => r.resource === 'leases')!;
    const ns = (await listNamespaces(gen, lease)).find((n) => n.namespace === 'kube-node-lease')!;
    const [first] = await listNames(gen, lease, ns.kvPrefix);
    const obj = await getObject(gen, first.key);
    assert.equal(obj.state, 'live');
    assert.equal(obj.decoded?.value?.kind, 'Lease');
    assert.equal(obj.decoded?.value?.protobuf?.metadata.namespace, 'kube-node-lease');
    assert.equal(obj.era?.label, 'v0.14.4 or newer', 'one record alone cannot see the meta key');
    assert.ok(obj.createRevision! < obj.revision);
    const history = await getHistory(gen, first.key);
    assert.equal(history.length, obj.storedRevisions);
    assert.equal(history.at(-1)!.revision, obj.revision);
    assert.equal(history[0].createRevision, history[0].revision);
    const older = await getObject(gen, first.key, { revision: history[0].revision });
    assert.equal(older.revision, history[0].revision);

    const events = (await listTopLevel(gen)).resources.find((r) => r.resource === 'events')!;
    const evNs = (await listNamespaces(gen, events))[0];
    const ev = await getObject(gen, (await listNames(gen, events, evNs.kvPrefix))[0].key);
    assert.equal(ev.lease, 3660);
    assert.equal(ev.leaseExpiresAt!.getTime(), ev.time.getTime() + 3660_000);

    const deleted = (await listNames(gen, events, evNs.kvPrefix, { includeDeleted: true })).find((n) => n.deleted);
    if (deleted) {
      const d = await getObject(gen, deleted.key);
      assert.equal(d.state, 'deleted');
      assert.equal(d.operation, 'DEL');
      const h = await getHistory(gen, deleted.key);
      assert.equal(h.at(-2)!.decoded?.envelope.delete, true, 'a tombstone precedes the DEL marker');
    }
    const secret = await getObject(gen, '/bootstrap/0123456789ab');
    assert.equal(secret.sensitive, true);
    await assert.rejects(getObject(gen, '/registry/pods/default/never'), KineKeyNotFoundError);
  });

  it('reports bucket health and the stream report row', async () => {
    const h = await bucketHealth(gen);
    assert.equal(h.liveKeys, summary.live + 3);
    assert.equal(h.deletedKeysStored, summary.deleted);
    assert.equal(h.compactRevision, 1234);
    assert.equal(h.messages, h.report.messages);
    assert.equal(h.report.stream, 'KV_kine');
    assert.equal(h.report.storage, 'File');
    assert.equal(h.report.replicas, 1);
    assert.equal(h.history, 10);
    assert.ok(h.messagesPerLiveKey > 1);
    assert.equal(h.oldestRevision, 1);
    assert.ok(h.topResources[0].revisions >= h.topResources[1].revisions);
    const leases = h.topResources.find((r) => r.resource === 'leases')!;
    assert.ok(leases.revisions > leases.storedKeys * 3, 'leases churn');
    const total = (await gen.info()).state.messages;
    assert.ok(h.topResources.reduce((n, r) => n + r.revisions, 0) <= total);
  });

  for (const era of FORMAT_ERAS) {
    it(`reads a reference bucket written in era ${era}`, async () => {
      const bucket = `r_${era.replace(/[^a-z0-9]/gi, '_')}`;
      const w = await KineFixtureWriter.create(nc, { bucket, era });
      const result = await writeReferenceScenario(w);
      const b = await KineBucket.open(nc, bucket);
      const d = await b.detect();
      assert.equal(d.isKine, true);
      assert.equal(d.era?.era, era, d.era?.evidence.join('; '));
      for (const [key, value] of result.live) {
        const o = await getObject(b, key);
        assert.equal(o.state === 'deleted', false, key);
        assert.deepEqual(o.decoded?.valueBytes, value, key);
      }
      for (const key of result.deleted) assert.equal((await getObject(b, key)).state, 'deleted', key);
      const h = await bucketHealth(b);
      assert.equal(h.compactRevision, result.compactRevision || undefined);
      assert.equal(h.liveKeys, result.live.size);
    });
  }

  it('inspects a datastore target: version, JetStream, bucket and its format', async () => {
    const t = await inspectDatastoreTarget(nc, 'kine');
    assert.match(t.serverVersion, /^2\./);
    assert.equal(t.jetstream, true);
    assert.equal(t.maxReplicas, 1);
    assert.equal(t.bucketExists, true);
    assert.equal(t.detection?.era?.era, 'v0.14.10+');
    assert.equal((await inspectDatastoreTarget(nc, 'absent')).bucketExists, false);
  });
});
