import { DecodeBudget, formatCount, utf8Prefix } from './decodeBudget';
import { KineDecodeError } from './errors';
import { decodeK8sJson, type JsonObject } from './k8sJson';
import { k8sDescriptor } from './k8sDescriptor';
import {
  bytesField,
  readProtoFields,
  treeOf,
  utf8Field,
  varintField,
  type FieldTreeNode,
  type RawField,
} from './protobuf';

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
  /** The object as the API server returns it (without `metadata.resourceVersion`), when the descriptor knows its kind. */
  readonly object?: JsonObject;
  /** Without `object`: the typed object's fields other than metadata (spec = 2 and status = 3 in most types), schema-less. */
  readonly fields: FieldTreeNode[];
  /** Without `object`: one sentence saying why the fields are shown by number. */
  readonly fieldsNote?: string;
  readonly contentEncoding: string;
  readonly contentType: string;
}

/**
 * Decodes `k8s\0` + runtime.Unknown; throws `KineDecodeError('bad-protobuf')` when the wrapper or ObjectMeta is
 * malformed. What it shows stays within `budget` (metadata first, then the field tree), which records where it cut.
 */
export function decodeKubernetesProtobuf(bytes: Uint8Array, budget = new DecodeBudget()): KubernetesProtobufObject {
  if (!hasK8sMagic(bytes))
    throw new KineDecodeError('bad-protobuf', 'the value does not start with the k8s\\0 protobuf prefix');
  const unknown = readProtoFields(bytes.subarray(4));
  const typeMeta = readProtoFields(bytesField(unknown, 1) ?? new Uint8Array());
  const raw = bytesField(unknown, 2) ?? new Uint8Array();
  const top = readProtoFields(raw);
  const metaBytes = bytesField(top, 1);
  const rest = top.filter((f) => f.field !== 1);
  const text = (fields: RawField[], field: number, where: string) => boundedString(fields, field, budget, where);
  const apiVersion = text(typeMeta, 1, 'apiVersion') ?? '';
  const kind = text(typeMeta, 2, 'kind') ?? '';
  const common = {
    apiVersion,
    kind,
    metadata: metaBytes ? objectMeta(readProtoFields(metaBytes), budget) : {},
    contentEncoding: text(unknown, 3, 'contentEncoding') ?? '',
    contentType: text(unknown, 4, 'contentType') ?? '',
  };
  const descriptor = k8sDescriptor();
  let object: JsonObject | undefined;
  let why: string;
  try {
    // A budget of its own: bytes that do not fit the kind fall back to the field tree, which gets the whole budget.
    const own = new DecodeBudget(budget.limits);
    object = decodeK8sJson(apiVersion, kind, raw, own, descriptor);
    if (own.firstCut) budget.cut(own.firstCut);
    why = `The API types this extension knows (${versionsOf(descriptor.modules)}) have no ${apiVersion} ${kind}, so its fields are shown by number.`;
  } catch (err) {
    why = `Its fields do not match ${apiVersion} ${kind} of the API types this extension knows (${err instanceof Error ? err.message : String(err)}), so they are shown by number.`;
  }
  if (object) return { ...common, object, fields: [] };
  return { ...common, fields: treeOf(rest, budget), fieldsNote: why };
}

function versionsOf(modules: Readonly<Record<string, readonly string[]>>): string {
  return Object.entries(modules)
    .filter(([m]) => m === 'k8s.io/api')
    .map(([m, v]) => `${m} ${v.join(', ')}`)
    .join(', ');
}

export function hasK8sMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x6b && bytes[1] === 0x38 && bytes[2] === 0x73 && bytes[3] === 0x00;
}

function objectMeta(f: RawField[], budget: DecodeBudget): ObjectMetaSummary {
  const labels = stringMap(f, 11, budget, 'metadata.labels');
  const annotations = stringMap(f, 12, budget, 'metadata.annotations');
  const finalizers: string[] = [];
  const finalizerFields = f.filter((x) => x.field === 14 && x.wireType === 2);
  for (const [i, x] of finalizerFields.entries()) {
    if (!budget.node()) {
      finalizers.push(
        `… ${budget.nodeCut(`metadata.finalizers after ${formatCount(i)} items`, finalizerFields.length - i, 'finalizers')}`,
      );
      break;
    }
    finalizers.push(boundedText(x.value as Uint8Array, budget, `metadata.finalizers[${i}]`));
  }
  const text = (field: number, where: string) => boundedString(f, field, budget, `metadata.${where}`);
  return strip({
    name: text(1, 'name'),
    generateName: text(2, 'generateName'),
    namespace: text(3, 'namespace'),
    uid: text(5, 'uid'),
    generation: varintField(f, 7),
    creationTimestamp: time(bytesField(f, 8)),
    deletionTimestamp: time(bytesField(f, 9)),
    labels: Object.keys(labels).length ? labels : undefined,
    annotations: Object.keys(annotations).length ? annotations : undefined,
    finalizers: finalizers.length ? finalizers : undefined,
  });
}

function stringMap(
  fields: readonly RawField[],
  field: number,
  budget: DecodeBudget,
  where: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = fields.filter((x) => x.field === field && x.wireType === 2);
  for (const [i, entry] of entries.entries()) {
    if (!budget.node()) {
      out['…'] = budget.nodeCut(`${where} after ${formatCount(i)} entries`, entries.length - i, 'entries');
      break;
    }
    const kv = readProtoFields(entry.value as Uint8Array);
    const key = boundedString(kv, 1, budget, `${where} key ${i + 1}`) ?? '';
    out[key] = boundedString(kv, 2, budget, `${where}[${JSON.stringify(key.slice(0, 64))}]`) ?? '';
  }
  return out;
}

/** A string field as text within the budget (UTF-8 checked first, as `stringField` does). */
function boundedString(
  fields: readonly RawField[],
  field: number,
  budget: DecodeBudget,
  where: string,
): string | undefined {
  const data = utf8Field(fields, field);
  return data && boundedText(data, budget, where);
}

function boundedText(data: Uint8Array, budget: DecodeBudget, where: string): string {
  const shown = budget.text(data.length);
  const text = utf8Prefix(data, shown);
  return shown >= data.length ? text : `${text}… (${budget.textCut(where, Buffer.byteLength(text), data.length)})`;
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
