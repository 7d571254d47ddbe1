import * as assert from 'node:assert/strict';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { decodeKineKey } from '../../../../src/core/kine/keyCodec';
import { decodeKineBody } from '../../../../src/core/kine/record';
import { FORMAT_ERAS } from '../../../../src/core/kine/formatEra';
import { KineFixtureWriter } from '../../../generators/kine/fixtureWriter';
import { writeReferenceScenario } from '../../../generators/kine/fixtureScenario';
import { generateKeyspace } from '../../../generators/kine/keyspaceGenerator';
import { startNatsServer, type NatsServer } from '../../../harness/natsServer';

describe('kine fixture writer against a real nats-server', () => {
  let server: NatsServer;
  let nc: NatsConnection;
  before(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
  });
  after(async () => {
    await nc?.close();
    await server?.stop();
  });

  // The async-ack path (the big benchmark's generator) must write the very same messages as the request path.
  for (const asyncAcks of [false, true]) {
    it(`writes kine's stream configuration and the reference's message sequence (seq 1–6, headers, DEL marker)${asyncAcks ? ', with async acks' : ''}`, async () => {
      const bucket = asyncAcks ? 'seqfast' : 'seq';
      const w = await KineFixtureWriter.create(nc, { bucket, asyncAcks });
      await w.create('/registry/health', new TextEncoder().encode('{"health":"true"}'));
      await w.update('/registry/health', new TextEncoder().encode('{"health":"true"}'));
      await w.create('/registry/pods/default/nginx', new Uint8Array(Buffer.from('k8s\0')));
      await w.delete('/registry/pods/default/nginx');
      await w.create('compact_rev_key_apiserver', new TextEncoder().encode('1|0'));
      const jsm = await jetstreamManager(nc);
      const info = await jsm.streams.info(`KV_${bucket}`);
      assert.equal(info.config.max_msgs_per_subject, 10);
      assert.equal(info.config.deny_delete, true);
      assert.equal(info.config.allow_rollup_hdrs, true);
      assert.equal(info.config.description, 'Holds kine key/values');
      const expected = [
        ['L8nZchjdPLL.tzCUBDXD', '0', undefined],
        ['L8nZchjdPLL.tzCUBDXD', '1', undefined],
        ['L8nZchjdPLL.3sh2fL.4ofYhU9E9Z.DTSnShD', '0', undefined],
        ['L8nZchjdPLL.3sh2fL.4ofYhU9E9Z.DTSnShD', '3', undefined],
        ['L8nZchjdPLL.3sh2fL.4ofYhU9E9Z.DTSnShD', '4', 'DEL'],
        ['meta.h1ctazrDGbqvwPuDySV8QCGFrjddCjbkRf', '0', undefined],
      ];
      for (let seq = 1; seq <= 6; seq++) {
        const m = await jsm.streams.getMessage(`KV_${bucket}`, { seq });
        assert.ok(m);
        const [kvKey, expectedSeq, op] = expected[seq - 1];
        assert.equal(m.subject, `$KV.${bucket}.${kvKey}`);
        assert.equal(m.header.get('Nats-Expected-Last-Subject-Sequence'), expectedSeq);
        assert.equal(m.header.get('KV-Operation') || undefined, op);
        if (op) assert.equal(m.data.length, 0);
        else assert.equal(decodeKineBody(m.data).envelope.key, decodeKineKey(kvKey!).key);
      }
      const tomb = decodeKineBody((await jsm.streams.getMessage(`KV_${bucket}`, { seq: 4 }))!.data).envelope;
      assert.deepEqual([tomb.delete, tomb.createRevision, tomb.modRevision, tomb.prevRevision], [true, 3, 3, 3]);
      // seq 1 and 2 are the Go writer's compressed bodies (the JSON matched the vectors).
      assert.equal(
        decodeKineBody((await jsm.streams.getMessage(`KV_${bucket}`, { seq: 1 }))!.data).stream.compressedChunks,
        1,
      );
    });
  }

  for (const era of FORMAT_ERAS) {
    it(`era ${era}: every stored message decodes back to what the scenario wrote`, async () => {
      const bucket = `era_${era.replace(/[^a-z0-9]/gi, '_')}`;
      const w = await KineFixtureWriter.create(nc, {
        bucket,
        era,
        compression: era === 'v0.14.4-v0.14.9' ? 'ours' : 'go-vectors',
      });
      const result = await writeReferenceScenario(w);
      const kv = await new Kvm(nc).open(bucket);
      const liveKvKeys: string[] = [];
      for await (const k of await kv.keys()) liveKvKeys.push(k);
      const liveKeys = liveKvKeys
        .map((k) => decodeKineKey(k).key.replace(/^\/compact_rev_key_apiserver$/, 'compact_rev_key_apiserver'))
        .sort();
      assert.deepEqual(liveKeys, [...result.live.keys()].sort());
      assert.equal(
        liveKvKeys.some((k) => k.startsWith('meta.')),
        era === 'v0.14.10+',
      );
      for (const [key, value] of result.live) {
        const entry = await kv.get(w.kvKey(key));
        assert.ok(entry && entry.operation === 'PUT', key);
        const body = decodeKineBody(entry.value);
        assert.equal(body.envelope.key, key);
        assert.deepEqual(body.valueBytes, value, key);
        assert.equal(
          body.envelope.fieldOrder,
          ['v0.14.4-v0.14.9', 'v0.14.10+'].includes(era) ? 'v0.14.4+' : 'v0.9-v0.14.3',
        );
      }
      for (const key of result.deleted) {
        const entry = await kv.get(w.kvKey(key));
        assert.equal(entry?.operation, 'DEL', key);
      }
      const jsm = await jetstreamManager(nc);
      const first = await jsm.streams.getMessage(`KV_${bucket}`, { seq: 1 });
      assert.equal(first?.header.has('Nats-Expected-Last-Subject-Sequence') ?? false, era !== 'v0.9-v0.10');
    });
  }

  it('generates a realistic keyspace with churn, and its summary matches the bucket', async function () {
    this.timeout(120_000);
    const w = await KineFixtureWriter.create(nc, { bucket: 'gen' });
    const summary = await generateKeyspace(w, { keys: 5000, seed: 42 });
    assert.equal(summary.keys, 5000);
    assert.ok(summary.deleted > 100 && summary.deleted < 1000, `deleted ${summary.deleted}`);
    assert.ok(Object.keys(summary.resources).length >= 18);
    const kv = await new Kvm(nc).open('gen');
    let live = 0;
    for await (const k of await kv.keys()) if (k !== 'L8nZchjdPLL.tzCUBDXD') live++;
    assert.equal(live, summary.live);
    const jsm = await jetstreamManager(nc);
    assert.equal((await jsm.streams.info('KV_gen')).state.messages, summary.messages);
  });
});
