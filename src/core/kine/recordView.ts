import type { ClassifiedValue } from './classify';
import { servedCrd } from './crdConversion';
import type { DecodedKineBody } from './record';
import type { KineRevision } from './kineObject';
import { atRestSentence } from './encryptionAtRest';

/** Plain JSON of a decoded value; contents of sensitive values are left out unless `reveal`. */
export interface ValueJson {
  readonly encoding: ClassifiedValue['encoding'];
  readonly size: number;
  readonly sha256: string;
  readonly special?: string;
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: unknown;
  /** The object as the API server returns it, when the descriptor knows its kind (then no field tree). */
  readonly object?: unknown;
  readonly fields?: unknown;
  /** Why the protobuf is shown as a field tree and not as the API's object. */
  readonly fieldsNote?: string;
  readonly json?: unknown;
  readonly text?: string;
  readonly encryption?: unknown;
  /** For a value encrypted at rest: who encrypted it, with which key, and why it cannot be read here. */
  readonly encryptedAtRest?: string;
  readonly compaction?: unknown;
  readonly protobufError?: string;
  /** Where the decoded value was cut to stay within the decode limits (one sentence); absent when shown whole. */
  readonly cut?: string;
  /** True when contents were withheld because the key holds a secret. */
  readonly hidden?: boolean;
}

/** The `decode --json` record: `{ key, create, delete, prevRevision, createRevision, lease, value }` (issue 6). */
export interface RecordJson {
  readonly key: string;
  readonly create: boolean;
  readonly delete: boolean;
  readonly prevRevision: number;
  readonly createRevision: number;
  readonly modRevision: number;
  readonly lease: number;
  readonly fieldOrder: string;
  readonly value: ValueJson | null;
}

/**
 * `revision`, when known, becomes the object's `metadata.resourceVersion`, as the API server sets it on read from the
 * kine revision (it is stored empty).
 */
export function valueJson(v: ClassifiedValue, sensitive: boolean, reveal: boolean, revision?: number): ValueJson {
  // `cut` comes early so a reader sees it before the (possibly long) tree it qualifies.
  const base = {
    encoding: v.encoding,
    size: v.size,
    sha256: v.sha256,
    special: v.special,
    apiVersion: v.apiVersion,
    kind: v.kind,
    cut: v.cut,
    encryptedAtRest: v.encryption ? atRestSentence(v.encryption) : undefined,
  };
  // Nothing to reveal in ciphertext: an encrypted value is shown the same with or without `reveal`.
  if (sensitive && !reveal && !v.encryption) {
    return {
      ...base,
      metadata: withoutAppliedCopy(v.protobuf?.metadata ?? metadataOf(v.json)),
      encryption: v.encryption,
      hidden: true,
    };
  }
  if (v.protobuf?.object)
    return { ...base, metadata: v.protobuf.metadata, object: withResourceVersion(v.protobuf.object, revision) };
  return {
    ...base,
    metadata: v.protobuf?.metadata,
    fields: v.protobuf?.fields,
    fieldsNote: v.protobuf?.fieldsNote,
    json: v.json,
    text: v.encoding === 'text' ? v.text : undefined,
    encryption: v.encryption,
    compaction: v.compaction,
    protobufError: v.protobufError,
  };
}

/** The record JSON of one decoded body; sensitive keys (Secrets, bootstrap) are hidden unless `reveal`. */
export function recordJson(d: DecodedKineBody, sensitive: boolean, reveal: boolean): RecordJson {
  const e = d.envelope;
  return {
    key: e.key,
    create: e.create,
    delete: e.delete,
    prevRevision: e.prevRevision,
    createRevision: e.createRevision,
    modRevision: e.modRevision,
    lease: e.lease,
    fieldOrder: e.fieldOrder,
    value: d.value ? valueJson(d.value, sensitive, reveal) : null,
  };
}

/** Plain JSON of a stored revision for the CLI and documents. */
export function revisionJson(r: KineRevision, reveal: boolean): Record<string, unknown> {
  return {
    key: r.key,
    kvKey: r.kvKey,
    revision: r.revision,
    createRevision: r.createRevision,
    prevRevision: r.prevRevision,
    time: r.time.toISOString(),
    operation: r.operation,
    state: r.state,
    lease: r.lease,
    leaseExpiresAt: r.leaseExpiresAt?.toISOString(),
    era: r.era?.label,
    sensitive: r.sensitive,
    decodeError: r.decodeError,
    value: r.decoded?.value ? valueJson(r.decoded.value, r.sensitive, reveal, r.revision) : undefined,
  };
}

/**
 * The API object as GET returns it, from the `object` or the `json` of a value (a v1beta1 CRD converted to v1), with
 * resourceVersion set from the revision; undefined for a value that is no Kubernetes object.
 */
export function apiObjectOf(v: ClassifiedValue, revision?: number): Record<string, unknown> | undefined {
  if (v.protobuf?.object) return withResourceVersion(v.protobuf.object, revision);
  const json = v.encoding === 'json' && !v.special ? v.json : undefined;
  if (typeof json !== 'object' || json === null || Array.isArray(json) || !('apiVersion' in json) || !('kind' in json))
    return undefined;
  // CRDs are stored as v1beta1, which the API no longer serves: shown as the v1 it returns.
  return withResourceVersion(servedCrd(json as Record<string, unknown>), revision);
}

function withResourceVersion(object: Record<string, unknown>, revision: number | undefined): Record<string, unknown> {
  const metadata = object.metadata;
  if (revision === undefined || typeof metadata !== 'object' || metadata === null) return object;
  // The API writes resourceVersion after uid (ObjectMeta's Go order): rebuild the metadata so it lands there.
  const entries = Object.entries(metadata).filter(([k]) => k !== 'resourceVersion');
  const at = entries.findIndex(([k]) => !['name', 'generateName', 'namespace', 'selfLink', 'uid'].includes(k));
  entries.splice(at < 0 ? entries.length : at, 0, ['resourceVersion', String(revision)]);
  return { ...object, metadata: Object.fromEntries(entries) };
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** kubectl apply keeps a copy of what it applied in an annotation: for a Secret that is its data, so it is hidden too. */
function withoutAppliedCopy(metadata: unknown): unknown {
  if (typeof metadata !== 'object' || metadata === null) return metadata;
  const annotations = (metadata as { annotations?: Record<string, string> }).annotations;
  if (!annotations || !Object.hasOwn(annotations, LAST_APPLIED)) return metadata;
  return { ...metadata, annotations: { ...annotations, [LAST_APPLIED]: '(hidden with the value)' } };
}

function metadataOf(json: unknown): unknown {
  return typeof json === 'object' && json !== null ? (json as { metadata?: unknown }).metadata : undefined;
}
