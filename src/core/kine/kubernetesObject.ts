import { KineDecodeError } from './errors';
import { bytesField, readProtoFields, treeOf, stringField, varintField, type FieldTreeNode, type RawField } from './protobuf';

/** The `k8s\0` prefix of the apiserver's protobuf storage encoding (apimachinery `protoEncodingPrefix`). */
export const K8S_PROTOBUF_MAGIC = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);

/** The parts of ObjectMeta a reader can show without schemas. */
export interface ObjectMetaSummary {
  readonly name?: string;
  readonly generateName?: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly generation?: number | string;
  /** RFC 3339, e.g. `2023-11-14T22:13:20Z`. */
  readonly creationTimestamp?: string;
  readonly deletionTimestamp?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly finalizers?: readonly string[];
}

export interface KubernetesProtobufObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMetaSummary;
  /** The typed object's fields other than metadata (spec = 2 and status = 3 in most types), schema-less. */
  readonly fields: FieldTreeNode[];
  readonly contentEncoding: string;
  readonly contentType: string;
}

/** Decodes `k8s\0` + runtime.Unknown; throws `KineDecodeError('bad-protobuf')` when the wrapper or ObjectMeta is malformed. */
export function decodeKubernetesProtobuf(bytes: Uint8Array): KubernetesProtobufObject {
  if (!hasK8sMagic(bytes)) throw new KineDecodeError('bad-protobuf', 'the value does not start with the k8s\\0 protobuf prefix');
  const unknown = readProtoFields(bytes.subarray(4));
  const typeMeta = readProtoFields(bytesField(unknown, 1) ?? new Uint8Array());
  const raw = bytesField(unknown, 2) ?? new Uint8Array();
  const object = readProtoFields(raw);
  const metaBytes = bytesField(object, 1);
  const rest = object.filter((f) => f.field !== 1);
  return {
    apiVersion: stringField(typeMeta, 1) ?? '',
    kind: stringField(typeMeta, 2) ?? '',
    metadata: metaBytes ? objectMeta(readProtoFields(metaBytes)) : {},
    fields: treeOf(rest),
    contentEncoding: stringField(unknown, 3) ?? '',
    contentType: stringField(unknown, 4) ?? '',
  };
}

export function hasK8sMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x6b && bytes[1] === 0x38 && bytes[2] === 0x73 && bytes[3] === 0x00;
}

function objectMeta(f: RawField[]): ObjectMetaSummary {
  const labels = stringMap(f, 11);
  const annotations = stringMap(f, 12);
  const finalizers = f.filter((x) => x.field === 14 && x.wireType === 2).map((x) => new TextDecoder().decode(x.value as Uint8Array));
  return strip({
    name: stringField(f, 1),
    generateName: stringField(f, 2),
    namespace: stringField(f, 3),
    uid: stringField(f, 5),
    generation: varintField(f, 7),
    creationTimestamp: time(bytesField(f, 8)),
    deletionTimestamp: time(bytesField(f, 9)),
    labels: Object.keys(labels).length ? labels : undefined,
    annotations: Object.keys(annotations).length ? annotations : undefined,
    finalizers: finalizers.length ? finalizers : undefined,
  });
}

function stringMap(fields: readonly RawField[], field: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fields.filter((x) => x.field === field && x.wireType === 2)) {
    const kv = readProtoFields(entry.value as Uint8Array);
    out[stringField(kv, 1) ?? ''] = stringField(kv, 2) ?? '';
  }
  return out;
}

/** meta/v1 Time: seconds (1, int64) and nanos (2, int32); protobuf Time carries whole seconds in storage. */
function time(bytes: Uint8Array | undefined): string | undefined {
  if (!bytes) return undefined;
  const t = readProtoFields(bytes);
  const seconds = Number(varintField(t, 1) ?? 0);
  const ms = seconds * 1000;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return String(seconds);
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function strip<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
