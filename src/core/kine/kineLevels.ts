/**
 * The kine tree's levels as plain data, and the pure grouping that builds them from a scan's newest entries: shared
 * by the server-side listings (kineTree.ts) and the in-memory index (kineIndex.ts), which both import this file.
 */
import type { KineBucket } from './kineBucket';
import { REGISTRY_TOKEN } from './kineBucket';
import { COMPACT_KEY } from './classify';
import { decodeKeyToken, decodeKineKey } from './keyCodec';
import type { LastEntry } from './lastPerSubjectScan';
import { resourceWidth } from './resourcePath';

/** One resource type under `/registry/`: `pods`, `services/specs`, `apiextensions.k8s.io/customresourcedefinitions`… */
export interface ResourceTypeNode {
  readonly resource: string;
  /** False for cluster-scoped types (`/registry/<resource>/<name>`): the tree skips the namespace level. */
  readonly namespaced: boolean;
  readonly liveKeys: number;
  /** Keys whose newest entry is a delete marker (still stored: kine never purges). */
  readonly deletedKeys: number;
  /** liveKeys + deletedKeys. */
  readonly storedKeys: number;
  /** Stored messages under the type; only `bucketHealth` fills it (it needs a slow subject-count listing). */
  readonly revisions?: number;
  /** The KV-key prefix of the type, e.g. `L8nZchjdPLL.3sh2fL`; append `.>` for a filter. */
  readonly kvPrefix: string;
  /**
   * True while the counts come from the server's subject listing: `liveKeys` then counts every stored key, deleted
   * ones included, and `deletedKeys` is 0, until the type is opened and its keys are scanned.
   */
  readonly estimated?: boolean;
}

export interface KeyNode {
  /** The last path segment (the object name), or the whole key in the `other` group. */
  readonly name: string;
  readonly key: string;
  readonly kvKey: string;
  /** Mod revision: the stream sequence of the key's newest message. */
  readonly revision: number;
  readonly deleted: boolean;
}

export interface TopLevel {
  readonly resources: readonly ResourceTypeNode[];
  /** Keys outside the Kubernetes tree (`/registry/health`, `compact_rev_key_apiserver`, `/bootstrap/…`, odd keys), deleted ones flagged. */
  readonly otherKeys: readonly KeyNode[];
  /** Counts of `otherKeys`. */
  readonly other: { readonly liveKeys: number; readonly deletedKeys: number; readonly storedKeys: number };
  /** The highest revision seen, for caching levels per bucket revision. */
  readonly revision: number;
  /** True when the counts come from the subject listing (see `ResourceTypeNode.estimated`). */
  readonly estimated?: boolean;
}

export interface NamespaceNode {
  readonly namespace: string;
  readonly liveKeys: number;
  readonly deletedKeys: number;
  /** The keys the next level will list: live ones, plus deleted ones when they were asked for. */
  readonly keys: number;
  readonly kvPrefix: string;
}

export interface ListOptions {
  /** Include keys whose newest entry is a delete marker (default false). */
  readonly includeDeleted?: boolean;
}

/** Groups a type's newest entries by namespace token; shared by the server scan (kineTree.ts) and `KineIndex`. */
export function namespacesOf(
  b: KineBucket,
  type: Pick<ResourceTypeNode, 'kvPrefix'>,
  entries: Iterable<LastEntry>,
  options: ListOptions = {},
): NamespaceNode[] {
  const cut = type.kvPrefix.length + 1;
  const byNs = new Map<string, { live: number; deleted: number }>();
  for (const e of entries) {
    const dot = e.kvKey.indexOf('.', cut);
    if (dot < 0) continue;
    const token = e.kvKey.slice(cut, dot);
    let g = byNs.get(token);
    if (!g) byNs.set(token, (g = { live: 0, deleted: 0 }));
    if (e.deleted) g.deleted++;
    else g.live++;
  }
  const out: NamespaceNode[] = [];
  for (const [token, g] of byNs) {
    const namespace = b.token(token);
    if (namespace === undefined || (g.live === 0 && !options.includeDeleted)) continue;
    out.push({
      namespace,
      liveKeys: g.live,
      deletedKeys: g.deleted,
      keys: g.live + (options.includeDeleted ? g.deleted : 0),
      kvPrefix: `${type.kvPrefix}.${token}`,
    });
  }
  return out.sort((x, y) => x.namespace.localeCompare(y.namespace));
}

/** Objects from entries one level below a type or namespace, by their last token; shared with `KineIndex`. */
export function namesOf(_b: KineBucket, entries: Iterable<LastEntry>, options: ListOptions = {}): KeyNode[] {
  const out: KeyNode[] = [];
  for (const e of entries) {
    if (e.deleted && !options.includeDeleted) continue;
    // Not through the bucket's token cache: names rarely repeat, and caching them would keep every name seen.
    const name = decodedOrUndefined(e.kvKey.slice(e.kvKey.lastIndexOf('.') + 1));
    if (name !== undefined) out.push({ ...keyNode(e, displayKey(e.kvKey) ?? e.kvKey), name });
  }
  return out.sort((x, y) => x.name.localeCompare(y.name));
}

function decodedOrUndefined(token: string): string | undefined {
  try {
    return decodeKeyToken(token);
  } catch {
    return undefined;
  }
}

/** Decodes for display; the pre-v0.14.10 single-token compaction key is shown under its real name. */
export function displayKey(kvKey: string): string | undefined {
  try {
    const key = decodeKineKey(kvKey).key;
    return key === `/${COMPACT_KEY}` ? COMPACT_KEY : key;
  } catch {
    return undefined;
  }
}

function keyNode(e: LastEntry, key: string): KeyNode {
  return { name: key, key, kvKey: e.kvKey, revision: e.revision, deleted: e.deleted };
}

type Placement = { resource: string; kvPrefix: string; width: number } | null;

/** Places a KV key by its first three tokens (cached in `cache`), and counts the tokens after the type prefix. */
export function placeKvKey(
  b: KineBucket,
  kvKey: string,
  cache: Map<string, Placement>,
): { place: Placement; rest: number } {
  let at = -1;
  for (let i = 0; i < 3; i++) {
    const next = kvKey.indexOf('.', at + 1);
    if (next < 0) {
      at = kvKey.length;
      break;
    }
    at = next;
  }
  const head = kvKey.slice(0, at);
  let place = cache.get(head);
  if (place === undefined) cache.set(head, (place = placeHead(b, head)));
  if (!place) return { place, rest: 0 };
  let rest = 0;
  for (let i = place.kvPrefix.length; i < kvKey.length; i++) if (kvKey.charCodeAt(i) === 46) rest++;
  return { place, rest };
}

/** Resource prefix for a key head `/registry/<a>[/<b>[/<c>]]`; null for keys outside the Kubernetes tree. */
function placeHead(b: KineBucket, head: string): Placement {
  const tokens = head.split('.');
  if (tokens[0] !== REGISTRY_TOKEN || tokens.length < 2) return null;
  const first = b.token(tokens[1]);
  const second = tokens[2] === undefined ? undefined : b.token(tokens[2]);
  if (!first) return null;
  const width = resourceWidth(second === undefined ? [first] : [first, second]);
  const names = width === 2 ? [first, second] : [first];
  return { resource: names.join('/'), kvPrefix: tokens.slice(0, 1 + width).join('.'), width };
}
