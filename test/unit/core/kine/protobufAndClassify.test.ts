import * as assert from 'node:assert/strict';
import { classifyValue } from '../../../../src/core/kine/classify';
import { parseEnvelope } from '../../../../src/core/kine/envelope';
import { KineDecodeError } from '../../../../src/core/kine/errors';
import { decodeKubernetesProtobuf } from '../../../../src/core/kine/kubernetesObject';
import { fieldTree, readProtoFields } from '../../../../src/core/kine/protobuf';
import { encodeKubernetesProtobuf } from '../../../generators/kine/protobufWriter';
import { hex, vectors } from './vectors';

const te = new TextEncoder();
const podValue = hex(vectors.find((v) => v.name === 'pod-create')!.innerValueHex!);

describe('protobuf reader and Kubernetes objects', () => {
  it('reads labels, annotations and the spec as a field tree', () => {
    const bytes = encodeKubernetesProtobuf({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'web',
        namespace: 'shop',
        uid: 'u-1',
        creationTimestamp: 1_700_000_000,
        labels: { app: 'web', tier: 'front' },
        annotations: { note: 'x' },
      },
      spec: [
        { field: 1, varint: 3 },
        { field: 2, text: 'RollingUpdate' },
      ],
    });
    const obj = decodeKubernetesProtobuf(bytes);
    assert.equal(obj.kind, 'Deployment');
    assert.deepEqual(obj.metadata.labels, { app: 'web', tier: 'front' });
    assert.deepEqual(obj.metadata.annotations, { note: 'x' });
    assert.equal(obj.metadata.creationTimestamp, '2023-11-14T22:13:20Z');
    assert.deepEqual(obj.fields, [
      {
        field: 2,
        type: 'message',
        fields: [
          { field: 1, type: 'varint', value: 3 },
          { field: 2, type: 'string', value: 'RollingUpdate' },
        ],
      },
    ]);
  });

  it('throws the typed error on garbage protobuf, and classify reports it instead of throwing', () => {
    const garbage = Uint8Array.of(0x6b, 0x38, 0x73, 0x00, 0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f);
    assert.throws(
      () => decodeKubernetesProtobuf(garbage),
      (e: unknown) => e instanceof KineDecodeError && e.reason === 'bad-protobuf',
    );
    assert.throws(
      () => readProtoFields(Uint8Array.of(0x0b)),
      (e: unknown) => e instanceof KineDecodeError && e.reason === 'bad-protobuf',
    );
    const c = classifyValue('/registry/pods/a/b', garbage);
    assert.equal(c.encoding, 'protobuf');
    assert.match(c.protobufError!, /malformed/);
  });

  it('classifies JSON, encrypted, compaction, text, bootstrap and binary values', () => {
    assert.equal(
      classifyValue(
        '/registry/apiextensions.k8s.io/customresourcedefinitions/x',
        te.encode('{"apiVersion":"apiextensions.k8s.io/v1beta1","kind":"CustomResourceDefinition"}'),
      ).kind,
      'CustomResourceDefinition',
    );
    assert.deepEqual(classifyValue('/registry/secrets/a/b', te.encode('k8s:enc:aescbc:v1:key1:\x01\x02')).encryption, {
      provider: 'aescbc',
      version: 'v1',
      keyName: 'key1',
    });
    assert.deepEqual(classifyValue('compact_rev_key_apiserver', te.encode('3')).compaction, {
      version: 3,
      revision: 0,
    });
    assert.equal(classifyValue('/bootstrap/abc', te.encode('salt:QUJD')).special, 'bootstrap');
    assert.equal(classifyValue('/x', te.encode('hello')).encoding, 'text');
    assert.equal(classifyValue('/x', Uint8Array.of(0xff, 0x00)).encoding, 'binary');
    assert.equal(classifyValue('/x', te.encode('{not json')).encoding, 'text');
    assert.equal(classifyValue('/registry/pods/default/nginx', podValue).kind, 'Pod');
  });

  it('rejects bad base64 and non-envelopes with typed errors', () => {
    const reason = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof KineDecodeError ? e.reason : 'untyped';
      }
      return 'none';
    };
    assert.equal(
      reason(() => parseEnvelope('{"KV":{"Key":"/a","Value":"###"}}')),
      'bad-base64',
    );
    assert.equal(
      reason(() => parseEnvelope('{"KV":{"Key":"/a","Value":"QUJD"}}')),
      'none',
    );
    assert.equal(
      reason(() => parseEnvelope('{"KV":{"Key":"/a","Value":"QUJ"}}')),
      'bad-base64',
    );
    assert.equal(
      reason(() => parseEnvelope('[1]')),
      'bad-envelope',
    );
    assert.equal(
      reason(() => parseEnvelope('{"KV":{"Key":"/a","Lease":"x"}}')),
      'bad-envelope',
    );
    assert.equal(
      reason(() => parseEnvelope(Uint8Array.of(0xff, 0xfe))),
      'bad-json',
    );
  });

  it('shows unknown bytes as hex and nested printable text as strings', () => {
    const tree = fieldTree(Uint8Array.of(0x0a, 0x02, 0xff, 0x00, 0x12, 0x02, 0x68, 0x69));
    assert.deepEqual(tree, [
      { field: 1, type: 'bytes', hex: 'ff00', size: 2 },
      { field: 2, type: 'string', value: 'hi' },
    ]);
  });
});
