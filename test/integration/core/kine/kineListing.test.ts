import * as assert from 'node:assert/strict';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { KineBucket } from '../../../../src/core/kine/kineBucket';
import { KineIndex } from '../../../../src/core/kine/kineIndex';
import { KineListing } from '../../../../src/core/kine/kineListing';
import { KineFixtureWriter } from '../../../generators/kine/fixtureWriter';
import { pod } from '../../../generators/kine/fixtureScenario';
import { generateKeyspace } from '../../../generators/kine/keyspaceGenerator';
import { startNatsServer, type NatsServer } from '../../../harness/natsServer';

describe('kine tree from the server subject listing, refined when a type opens', function () {
  this.timeout(120_000);
  let server: NatsServer;
  let nc: NatsConnection;
  let b: KineBucket;
  before(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    const w = await KineFixtureWriter.create(nc, { bucket: 'kine' });
    await generateKeyspace(w, { keys: 3000, seed: 4 });
    await w.create('/registry/pods/edge/gone', pod('gone', 'edge', {}));
    await w.delete('/registry/pods/edge/gone');
    await w.create('/registry/pods/edge/back', pod('back', 'edge', {}));
    await w.delete('/registry/pods/edge/back');
    // Created again after its delete: kine's create after a tombstone, so the newest entry is a PUT.
    await w.create('/registry/pods/edge/back', pod('back', 'edge', { again: 'yes' }));
    await w.create('/bootstrap/feedc0ffee00', new TextEncoder().encode('salt:QUJD'));
    b = await KineBucket.open(nc, 'kine');
  });
  after(async () => {
    await nc?.close();
    await server?.stop();
  });

  it('estimates the first level from stored subjects, then gives exact levels for an opened type', async () => {
    const exact = await KineIndex.build(b);
    const listing = await KineListing.open(b);
    assert.equal(listing.fromListing, true);
    const top = listing.topLevel();
    assert.equal(top.estimated, true);
    const exactTypes = new Map(exact.topLevel().resources.map((r) => [r.resource, r]));
    assert.deepEqual(
      top.resources.map((r) => r.resource),
      [...exactTypes.keys()],
    );
    for (const r of top.resources) {
      const e = exactTypes.get(r.resource)!;
      // Stored keys, deleted ones included, while the type is not opened.
      assert.deepEqual(
        [r.estimated, r.storedKeys, r.liveKeys, r.namespaced],
        [true, e.storedKeys, e.storedKeys, e.namespaced],
        r.resource,
      );
    }
    const pods = top.resources.find((r) => r.resource === 'pods')!;
    assert.ok(pods.deletedKeys === 0 && exactTypes.get('pods')!.deletedKeys > 0);

    for (const includeDeleted of [false, true]) {
      assert.deepEqual(
        await listing.namespaces(pods, { includeDeleted }),
        exact.namespaces(b, pods, { includeDeleted }),
      );
      for (const ns of exact.namespaces(b, pods, { includeDeleted: true }))
        assert.deepEqual(
          await listing.names(pods, ns.kvPrefix, { includeDeleted }),
          exact.names(b, pods, ns.kvPrefix, { includeDeleted }),
        );
    }
    const edge = (await listing.namespaces(pods)).find((n) => n.namespace === 'edge')!;
    assert.deepEqual([edge.liveKeys, edge.deletedKeys], [1, 1]);
    assert.deepEqual(
      (await listing.names(pods, edge.kvPrefix, { includeDeleted: true })).map((k) => [k.name, k.deleted]),
      [
        ['back', false],
        ['gone', true],
      ],
    );
    // Once opened, the type's counts in the first level are exact.
    const refined = listing.topLevel().resources.find((r) => r.resource === 'pods')!;
    assert.deepEqual(refined, exactTypes.get('pods'));
    assert.equal(listing.topLevel().resources.find((r) => r.resource === 'configmaps')?.estimated, true);

    const minions = top.resources.find((r) => r.resource === 'minions')!;
    assert.deepEqual(await listing.names(minions), exact.names(b, minions));
    assert.deepEqual(await listing.otherKeys({ includeDeleted: true }), exact.topLevel().otherKeys);
  });

  it('falls back to one whole-bucket scan where the subject listing is not used', async () => {
    const listing = await KineListing.open(b, { useListing: false });
    assert.equal(listing.fromListing, false);
    const exact = await KineIndex.build(b);
    assert.deepEqual(listing.topLevel(), exact.topLevel());
    const pods = exact.topLevel().resources.find((r) => r.resource === 'pods')!;
    assert.deepEqual(await listing.namespaces(pods), exact.namespaces(b, pods));
  });
});
