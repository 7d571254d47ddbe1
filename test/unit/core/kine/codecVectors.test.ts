import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { decodeKineKey, encodeKineKey } from '../../../../src/core/kine/keyCodec';
import { decodeS2Stream, encodeS2StreamUncompressed } from '../../../../src/core/kine/s2';
import { encodeEnvelope, parseEnvelope } from '../../../../src/core/kine/envelope';
import { decodeKineBody } from '../../../../src/core/kine/record';
import { crc32c, maskedCrc32c } from '../../../../src/core/kine/crc32c';
import { hex, vectors } from './vectors';

describe('kine codec against kine-vectors.json', () => {
  it('has the eight vectors of the reference, both compressed and uncompressed Go chunks', () => {
    assert.equal(vectors.length, 8);
    assert.ok(vectors.some((v) => v.chunkTypeFromGoWriter === 0));
    assert.ok(vectors.some((v) => v.chunkTypeFromGoWriter === 1));
  });

  it('computes the standard CRC-32C check value', () => {
    assert.equal(crc32c(new TextEncoder().encode('123456789')), 0xe3069283);
  });

  for (const v of vectors) {
    describe(v.name, () => {
      it('decodes the Go writer stream to the exact JSON bytes', () => {
        const out = decodeS2Stream(hex(v.s2StreamHex));
        assert.equal(Buffer.from(out.data).toString('utf8'), v.json);
        assert.equal(out.identifier, 'S2sTwO');
        assert.equal(out.compressedChunks, v.chunkTypeFromGoWriter === 0 ? 1 : 0);
      });

      it('decodes the uncompressed-chunk stream to the same bytes, and our encoder reproduces it byte for byte', () => {
        assert.equal(Buffer.from(decodeS2Stream(hex(v.s2StreamUncompressedChunkHex)).data).toString('utf8'), v.json);
        assert.equal(
          Buffer.from(encodeS2StreamUncompressed(new TextEncoder().encode(v.json))).toString('hex'),
          v.s2StreamUncompressedChunkHex,
        );
        if (v.chunkTypeFromGoWriter === 1) assert.equal(v.s2StreamHex, v.s2StreamUncompressedChunkHex);
      });

      it('has the masked CRC the stream carries', () => {
        const stream = hex(v.s2StreamUncompressedChunkHex);
        assert.equal(new DataView(stream.buffer).getUint32(14, true), maskedCrc32c(new TextEncoder().encode(v.json)));
      });

      it('encodes and decodes the key', () => {
        assert.equal(encodeKineKey(v.key), v.kvKey);
        assert.equal(decodeKineKey(v.kvKey).key, v.key);
        assert.equal(v.subject, `$KV.kine.${v.kvKey}`);
      });

      it('parses the envelope by name and re-encodes the same JSON in its field order', () => {
        const env = parseEnvelope(v.json);
        assert.equal(env.key, v.key);
        if (v.innerValueHex) assert.equal(Buffer.from(env.value!).toString('hex'), v.innerValueHex);
        const order = env.fieldOrder === 'v0.9-v0.14.3' ? 'legacy' : 'current';
        assert.equal(encodeEnvelope({ ...env, value: env.value }, order), v.json);
      });

      it('decodes the whole body to a classified value with its sha256', () => {
        const body = decodeKineBody(hex(v.s2StreamHex));
        assert.equal(body.json, v.json);
        const inner = body.valueBytes!;
        assert.equal(body.value?.sha256, createHash('sha256').update(inner).digest('hex'));
        assert.equal(body.value?.size, inner.length);
      });
    });
  }

  it('reads the fields the reference lists for each vector', () => {
    const byName = (prefix: string) => decodeKineBody(hex(vectors.find((v) => v.name.startsWith(prefix))!.s2StreamHex));
    const pod = byName('pod-create');
    assert.equal(pod.value?.encoding, 'protobuf');
    assert.deepEqual(
      { apiVersion: pod.value?.apiVersion, kind: pod.value?.kind, ...pod.value?.protobuf?.metadata },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        name: 'nginx',
        namespace: 'default',
        uid: '0f6c3f8e-1111-2222-3333-444455556666',
        creationTimestamp: '2023-11-14T22:13:20Z',
      },
    );
    const tomb = byName('pod-tombstone');
    assert.deepEqual(
      [tomb.envelope.delete, tomb.envelope.createRevision, tomb.envelope.modRevision, tomb.envelope.prevRevision],
      [true, 3, 3, 3],
    );
    assert.deepEqual(byName('compact_rev_key_apiserver update').value?.compaction, { version: 2, revision: 12345 });
    assert.deepEqual(byName('compact_rev_key_apiserver create').value?.compaction, { version: 1, revision: 0 });
    assert.equal(byName('event-create').envelope.lease, 3660);
    const health = byName('health-create (kine>=');
    assert.equal(health.value?.encoding, 'json');
    assert.equal(health.value?.special, 'health');
    assert.equal(health.envelope.fieldOrder, 'v0.14.4+');
    assert.equal(byName('health-create (kine v0.9').envelope.fieldOrder, 'v0.9-v0.14.3');
    assert.equal(byName('health-create (kine v0.9').envelope.version, undefined);
  });
});
