// Kine messages built to hurt a decoder: a few hundred bytes on the wire that unpack into millions of nodes, or into
// values nested far deeper than any Kubernetes object. Built with the project's own writers.
import { encodeEnvelope } from '../../../../src/core/kine/envelope';
import { encodeFields } from '../../../generators/kine/protobufWriter';
import { encodeS2Stream } from '../../../generators/kine/s2Encoder';

const K8S_MAGIC = Buffer.from('k8s\0', 'latin1');

/**
 * A `k8s\0` Pod whose spec (field 2) holds `groups` messages of `perGroup` varint fields each: 2 bytes per field, so
 * 1000 × 6000 is 12 MB and six million nodes. Each group is 12,003 bytes, a multiple of 3, so its base64 repeats too
 * and the whole kine message compresses to about a kilobyte.
 */
export function fanOutPodValue(groups: number, perGroup: number): Uint8Array {
  const group = encodeFields([
    { field: 1, message: Array.from({ length: perGroup }, () => ({ field: 1, varint: 0 })) },
  ]);
  const spec = Buffer.concat(Array.from({ length: groups }, () => group));
  const object = Buffer.concat([
    encodeFields([{ field: 1, message: [{ field: 1, text: 'bomb' }] }]),
    Buffer.from([0x12]),
    varint(spec.length),
    spec,
  ]);
  const typeMeta = encodeFields([
    { field: 1, text: 'v1' },
    { field: 2, text: 'Pod' },
  ]);
  return Buffer.concat([
    K8S_MAGIC,
    Buffer.from([0x0a]),
    varint(typeMeta.length),
    typeMeta,
    Buffer.from([0x12]),
    varint(object.length),
    object,
  ]);
}

/**
 * A `k8s\0` object (a Pod unless `kind` says otherwise) whose spec nests `depth` messages inside each other. As a Pod
 * it decodes by the descriptor (spec.volumes[0].name reads the nested bytes as text); a kind the descriptor does not
 * know shows the nesting as a field tree.
 */
export function deepPodValue(depth: number, kind = 'Pod'): Uint8Array {
  let inner: Uint8Array = encodeFields([{ field: 1, varint: 7 }]);
  for (let i = 0; i < depth; i++) inner = Buffer.concat([Buffer.from([0x0a]), varint(inner.length), inner]);
  const object = Buffer.concat([
    encodeFields([{ field: 1, message: [{ field: 1, text: 'deep' }] }]),
    Buffer.from([0x12]),
    varint(inner.length),
    inner,
  ]);
  const typeMeta = encodeFields([
    { field: 1, text: 'v1' },
    { field: 2, text: kind },
  ]);
  return Buffer.concat([
    K8S_MAGIC,
    Buffer.from([0x0a]),
    varint(typeMeta.length),
    typeMeta,
    Buffer.from([0x12]),
    varint(object.length),
    object,
  ]);
}

/** The S2-compressed kine record (what kine stores as the message body) of `key` holding `value`. */
export function kineMessage(key: string, value: Uint8Array): Uint8Array {
  return encodeS2Stream(
    new TextEncoder().encode(encodeEnvelope({ key, value, create: true, createRevision: 1, modRevision: 1 })),
  );
}

function varint(n: number): Uint8Array {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return Uint8Array.from(out);
}
