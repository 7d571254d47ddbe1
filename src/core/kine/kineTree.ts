import type { KineBucket } from './kineBucket';
import { REGISTRY_TOKEN } from './kineBucket';
import { COMPACT_KEY } from './classify';
import { decodeKineKey } from './keyCodec';
import { resourceWidth } from './resourcePath';

/** One resource type under `/registry/`: `pods`, `services/specs`, `apiextensions.k8s.io/customresourcedefinitions`… */
export interface ResourceTypeNode {
  readonly resource: string;
  /** False for cluster-scoped types (`/registry/<resource>/<name>`): the tree skips the namespace level. */
  readonly namespaced: boolean;
  /** Keys stored under it, deleted ones included (their DEL markers stay in the stream). */
  readonly storedKeys: number;
  /** Messages stored under it: every kept revision, tombstones and DEL markers. */
  readonly revisions: number;
  /** The KV-key prefix of the type, e.g. `L8nZchjdPLL.3sh2fL`; append `.>` for a filter. */
  readonly kvPrefix: string;
}

export interface TopLevel {
  readonly resources: readonly ResourceTypeNode[];
  /** Keys outside the Kubernetes tree: `/registry/health`, `compact_rev_key_apiserver`, `/bootstrap/…`, odd keys. */
  readonly other: { readonly storedKeys: number; readonly revisions: number };
  /** The bucket revision (stream last sequence) the listing reflects, for caching per revision. */
  readonly revision: number;
}

export interface NamespaceNode {
  readonly namespace: string;
  /** Stored keys, or live keys when `exact` was asked. */
  readonly keys: number;
  readonly revisions: number;
  readonly kvPrefix: string;
}

export interface KeyNode {
  /** The last path segment (the object name), or the whole key in the `other` group. */
  readonly name: string;
  readonly key: string;
  readonly kvKey: string;
  /** Stored messages of this key. */
  readonly revisions: number;
  readonly deleted: boolean;
}

export interface ListOptions {
  /** Include keys whose newest entry is a delete marker (default false). */
  readonly includeDeleted?: boolean;
}

/**
 * The first tree level from one stream-info call with a subject filter: no values, no consumer; counts are stored
 * keys (deleted ones included, since only the newest entry tells) and revisions. Undecodable keys go to `other`.
 */
export async function listTopLevel(b: KineBucket): Promise<TopLevel> {
  const [counts, info] = await Promise.all([b.subjectCounts('>'), b.info()]);
  const groups = new Map<string, { resource: string; namespaced: boolean; storedKeys: number; revisions: number }>();
  const other = { storedKeys: 0, revisions: 0 };
  for (const [kvKey, n] of counts) {
    const placed = placeTokens(b, kvKey);
    if (!placed) {
      other.storedKeys++;
      other.revisions += n;
      continue;
    }
    let g = groups.get(placed.kvPrefix);
    if (!g) groups.set(placed.kvPrefix, (g = { resource: placed.resource, namespaced: false, storedKeys: 0, revisions: 0 }));
    g.storedKeys++;
    g.revisions += n;
    if (placed.restTokens === 2) g.namespaced = true;
  }
  const resources = [...groups].map(([kvPrefix, g]) => ({ ...g, kvPrefix })).sort((x, y) => x.resource.localeCompare(y.resource));
  return { resources, other, revision: info.state.last_seq };
}

/** Namespaces of a namespaced type with their counts; `exact` adds one headers-only scan of the type to count live keys. */
export async function listNamespaces(b: KineBucket, type: Pick<ResourceTypeNode, 'kvPrefix'>, options: ListOptions & { exact?: boolean } = {}): Promise<NamespaceNode[]> {
  const counts = await b.subjectCounts(`${type.kvPrefix}.*.*`);
  const live = options.exact && !options.includeDeleted ? await b.liveKvKeys(`${type.kvPrefix}.*.*`) : undefined;
  const cut = type.kvPrefix.length + 1;
  const byNs = new Map<string, { keys: number; revisions: number }>();
  for (const [kvKey, n] of counts) {
    const nsToken = kvKey.slice(cut, kvKey.indexOf('.', cut));
    const g = byNs.get(nsToken) ?? { keys: 0, revisions: 0 };
    g.revisions += n;
    if (!live || live.has(kvKey)) g.keys++;
    byNs.set(nsToken, g);
  }
  const out: NamespaceNode[] = [];
  for (const [token, g] of byNs) {
    const namespace = b.token(token);
    if (namespace === undefined || (live && g.keys === 0)) continue;
    out.push({ namespace, keys: g.keys, revisions: g.revisions, kvPrefix: `${type.kvPrefix}.${token}` });
  }
  return out.sort((x, y) => x.namespace.localeCompare(y.namespace));
}

/**
 * Objects of a type in one namespace (or of a cluster-scoped type when `namespace` is omitted): subject counts plus
 * a headers-only last-per-subject scan of just that level, so deleted keys are hidden exactly.
 */
export async function listNames(b: KineBucket, type: Pick<ResourceTypeNode, 'kvPrefix'>, namespaceKvPrefix?: string, options: ListOptions = {}): Promise<KeyNode[]> {
  const filter = `${namespaceKvPrefix ?? type.kvPrefix}.*`;
  const [counts, live] = await Promise.all([b.subjectCounts(filter), b.liveKvKeys(filter)]);
  const out: KeyNode[] = [];
  for (const [kvKey, n] of counts) {
    const deleted = !live.has(kvKey);
    if (deleted && !options.includeDeleted) continue;
    const name = b.token(kvKey.slice(kvKey.lastIndexOf('.') + 1));
    if (name === undefined) continue;
    out.push({ name, key: safeDecode(kvKey) ?? kvKey, kvKey, revisions: n, deleted });
  }
  return out.sort((x, y) => x.name.localeCompare(y.name));
}

/** The keys outside the Kubernetes tree, each checked for deletion by its newest message (there are only a few). */
export async function listOtherKeys(b: KineBucket, options: ListOptions = {}): Promise<KeyNode[]> {
  const counts = await b.subjectCounts('>');
  const out: KeyNode[] = [];
  for (const [kvKey, n] of counts) {
    if (placeTokens(b, kvKey)) continue;
    const last = await b.lastMessage(kvKey);
    const op = last?.header?.get('KV-Operation') || 'PUT';
    const deleted = op !== 'PUT';
    if (deleted && !options.includeDeleted) continue;
    const key = safeDecode(kvKey) ?? kvKey;
    out.push({ name: key, key, kvKey, revisions: n, deleted });
  }
  return out.sort((x, y) => x.key.localeCompare(y.key));
}

/** Resource prefix of a KV key when it is `/registry/<type>/[<ns>/]<name>`; undefined for everything else. */
function placeTokens(b: KineBucket, kvKey: string): { resource: string; kvPrefix: string; restTokens: number } | undefined {
  if (!kvKey.startsWith(REGISTRY_TOKEN + '.')) return undefined;
  const tokens = kvKey.split('.');
  const first = b.token(tokens[1]);
  const second = tokens[2] === undefined ? undefined : b.token(tokens[2]);
  if (first === undefined || first === '') return undefined;
  const width = resourceWidth(second === undefined ? [first] : [first, second]);
  const rest = tokens.length - 1 - width;
  if (rest !== 1 && rest !== 2) return undefined;
  const names = width === 2 ? [first, second] : [first];
  return { resource: names.join('/'), kvPrefix: tokens.slice(0, 1 + width).join('.'), restTokens: rest };
}

/** Decodes for display; the pre-v0.14.10 single-token compaction key is shown under its real name. */
function safeDecode(kvKey: string): string | undefined {
  try {
    const key = decodeKineKey(kvKey).key;
    return key === `/${COMPACT_KEY}` ? COMPACT_KEY : key;
  } catch {
    return undefined;
  }
}
