// Reads the live Kubernetes objects under a key prefix straight from the kine bucket and turns them into what
// `kubectl apply` can create again (recoveryRules.ts), in dependency order (applyOrder.ts). Everything is bounded: the
// number of objects and the bytes of their JSON are checked before and while values are read, and the whole export
// fails with a sentence instead of ever writing a partial file.
import { formatBytes, formatCount } from '../../format/units';
import { decodeKineKey, encodeKinePrefix } from '../keyCodec';
import type { KineBucket } from '../kineBucket';
import { revisionOf } from '../kineObject';
import { apiObjectOf } from '../recordView';
import { placeKey, REGISTRY_PREFIX } from '../resourcePath';
import { atRestSentence } from '../encryptionAtRest';
import { sortForApply } from './applyOrder';
import { forApply, leftOutReason, type ApiObject, type LeftOutReason } from './recoveryRules';

export interface ExportOptions {
  /** An etcd key prefix at a segment boundary (`/registry/pods/default/`); the whole `/registry/` by default. */
  readonly prefix?: string;
  /** Only objects of this namespace, and the Namespace itself. */
  readonly namespace?: string;
  /** Read Secrets too; the caller decides afterwards whether they go into the file (`exportedObjects`). */
  readonly withSecrets: boolean;
  /** Keep controller-owned and cluster-generated objects too. */
  readonly includeGenerated: boolean;
  readonly maxObjects?: number;
  /** Bytes of the objects' JSON, about the size of the file. */
  readonly maxBytes?: number;
  readonly signal?: AbortSignal;
  /** Called as values are read: how many of how many keys. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** A key that holds no object `kubectl apply` could take, and why in one sentence. */
export interface UnreadableKey {
  readonly key: string;
  readonly why: string;
}

export interface CollectedExport {
  /** Stripped objects, Secrets not among them. */
  readonly objects: readonly ApiObject[];
  /** Stripped Secrets (empty unless `withSecrets`). */
  readonly secrets: readonly ApiObject[];
  /** Objects left out by the recovery rule, by reason (`secret` counts Secrets not read). */
  readonly leftOut: Readonly<Record<LeftOutReason, number>>;
  readonly unreadable: readonly UnreadableKey[];
}

export const DEFAULT_MAX_EXPORT_OBJECTS = 100_000;
export const DEFAULT_MAX_EXPORT_BYTES = 256 * 1024 * 1024;
/** Values read at once: enough to hide the round trips, few enough not to crowd a shared server. */
const PARALLEL_READS = 8;

/** The export would pass a limit; nothing is written. */
export class ExportLimitError extends Error {
  override readonly name = 'ExportLimitError';
}

/** The user cancelled; nothing is written. */
export class ExportCancelledError extends Error {
  override readonly name = 'ExportCancelledError';
  constructor() {
    super('The export was cancelled; nothing was written.');
  }
}

/**
 * Reads every live object under the prefix (and namespace) and sorts it into the recovery rule's buckets. Throws
 * `ExportLimitError` when the objects pass `maxObjects` or `maxBytes`, `ExportCancelledError` when `signal` aborts.
 */
export async function collectExport(b: KineBucket, options: ExportOptions): Promise<CollectedExport> {
  const maxObjects = options.maxObjects ?? DEFAULT_MAX_EXPORT_OBJECTS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_EXPORT_BYTES;
  const keys = await liveObjectKeys(b, options);
  if (options.signal?.aborted) throw new ExportCancelledError();
  if (keys.length > maxObjects)
    throw new ExportLimitError(
      `${formatCount(keys.length)} objects are under ${describeScope(options)}, more than the ${formatCount(maxObjects)} an export takes; export a narrower prefix or a namespace, or raise the limit.`,
    );
  const objects: ApiObject[] = [];
  const secrets: ApiObject[] = [];
  const leftOut: Record<LeftOutReason, number> = { secret: 0, owned: 0, generated: 0, internal: 0 };
  const unreadable: UnreadableKey[] = [];
  let bytes = 0;
  let done = 0;
  let next = 0;
  const readOne = async (key: string, kvKey: string) => {
    const m = await b.lastMessage(kvKey);
    if (!m) return; // deleted since the scan
    const r = revisionOf(key, kvKey, m);
    if (r.state !== 'live') return;
    const value = r.decoded?.value;
    if (!value) {
      unreadable.push({ key, why: r.decodeError?.message ?? 'it holds no value' });
      return;
    }
    if (value.encryption) {
      unreadable.push({ key, why: atRestSentence(value.encryption) });
      return;
    }
    const object = apiObjectOf(value);
    if (!object) {
      const why =
        value.protobuf?.fieldsNote ?? value.protobufError ?? `its value is ${value.encoding}, not a Kubernetes object`;
      unreadable.push({ key, why });
      return;
    }
    // A cut object would be applied incomplete: better left out, and said.
    if (value.cut) {
      unreadable.push({ key, why: value.cut });
      return;
    }
    const reason = leftOutReason(object, { reveal: options.withSecrets, includeGenerated: options.includeGenerated });
    if (reason) {
      leftOut[reason]++;
      return;
    }
    const stripped = forApply(object);
    bytes += JSON.stringify(stripped).length;
    if (bytes > maxBytes)
      throw new ExportLimitError(
        `The objects under ${describeScope(options)} pass ${formatBytes(maxBytes)}, the most an export writes; export a narrower prefix or a namespace, or raise the limit.`,
      );
    (object.kind === 'Secret' && object.apiVersion === 'v1' ? secrets : objects).push(stripped);
  };
  const worker = async () => {
    while (next < keys.length) {
      if (options.signal?.aborted) throw new ExportCancelledError();
      const { key, kvKey } = keys[next++];
      await readOne(key, kvKey);
      options.onProgress?.(++done, keys.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_READS, keys.length) }, worker));
  unreadable.sort((x, y) => (x.key < y.key ? -1 : 1));
  return { objects, secrets, leftOut, unreadable };
}

/** The objects that go into the file, in apply order: Secrets only when `reveal`. */
export function exportedObjects(c: CollectedExport, reveal: boolean): ApiObject[] {
  return sortForApply(reveal ? [...c.objects, ...c.secrets] : [...c.objects]);
}

/** What the export covers, for sentences: `/registry/ (namespace web)`. */
export function describeScope(options: Pick<ExportOptions, 'prefix' | 'namespace'>): string {
  const prefix = options.prefix ?? REGISTRY_PREFIX;
  return options.namespace ? `${prefix} in namespace ${options.namespace}` : prefix;
}

async function liveObjectKeys(
  b: KineBucket,
  options: Pick<ExportOptions, 'prefix' | 'namespace'>,
): Promise<{ key: string; kvKey: string }[]> {
  const prefix = options.prefix ?? REGISTRY_PREFIX;
  const tokens = encodeKinePrefix(prefix);
  const found: { key: string; kvKey: string }[] = [];
  const take = (kvKey: string) => {
    let key: string;
    try {
      key = decodeKineKey(kvKey).key;
    } catch {
      return; // not a kine key: nothing of Kubernetes
    }
    // The subject filters already keep to the prefix, segment by segment.
    if (isObjectKey(key, options.namespace)) found.push({ key, kvKey });
  };
  const filters = tokens === '' ? ['>'] : [tokens, `${tokens}.>`];
  for (const filter of filters)
    await b.scan(filter, (e) => {
      if (!e.deleted) take(e.kvKey);
    });
  return found;
}

/** A key of the Kubernetes tree (not health, compaction or bootstrap data), in `namespace` when one is given. */
function isObjectKey(key: string, namespace: string | undefined): boolean {
  const place = placeKey(key);
  if (place.group !== 'kubernetes' || place.resource === 'health') return false;
  if (namespace === undefined) return true;
  if (place.namespace === namespace) return true;
  return place.resource === 'namespaces' && place.name === namespace;
}
