import type { KineBucket } from './kineBucket';
import { decodeKeyToken } from './keyCodec';
import {
  displayKey,
  placeKvKey,
  type KeyNode,
  type ListOptions,
  type NamespaceNode,
  type ResourceTypeNode,
  type TopLevel,
} from './kineLevels';
import { TypeKeys } from './typeKeys';

const collator = new Intl.Collator();

/**
 * The newest entry of every key of a bucket, grouped by resource type, from one headers-only scan. The tree builds
 * it once per bucket revision and serves every level from it instead of one server scan per level. Keys are kept in
 * compact per-type arrays (see TypeKeys) and a level's nodes are made only when it is asked for: about 40 bytes per
 * key, so a million keys stay under 150 MB of heap.
 */
export class KineIndex {
  private constructor(
    /** The highest revision the scan saw; rebuild when the bucket's last sequence moves past it. */
    readonly revision: number,
    private readonly byType: ReadonlyMap<string, { readonly resource: string; readonly keys: TypeKeys }>,
    private readonly other: readonly KeyNode[],
  ) {}

  /** Scans the whole bucket once (see `KineBucket.scan`); `signal` cancels it (`CancelledError`). */
  static async build(b: KineBucket, signal?: AbortSignal): Promise<KineIndex> {
    const byType = new Map<string, { resource: string; keys: TypeKeys }>();
    const placements = new Map<string, ReturnType<typeof placeKvKey>['place']>();
    const other: KeyNode[] = [];
    let revision = 0;
    await b.scan(
      '>',
      (e) => {
        if (e.revision > revision) revision = e.revision;
        const { place, rest } = placeKvKey(b, e.kvKey, placements);
        if (!place || (rest !== 1 && rest !== 2)) {
          const key = displayKey(e.kvKey) ?? e.kvKey;
          other.push({ name: key, key, kvKey: e.kvKey, revision: e.revision, deleted: e.deleted });
          return;
        }
        let g = byType.get(place.kvPrefix);
        if (!g) byType.set(place.kvPrefix, (g = { resource: place.resource, keys: new TypeKeys() }));
        addUnder(g.keys, place.kvPrefix, e.kvKey, e.revision, e.deleted);
      },
      signal,
    );
    other.sort((x, y) => collator.compare(x.key, y.key));
    return new KineIndex(revision, byType, other);
  }

  /** The same answer as `listTopLevel`, from memory. */
  topLevel(): TopLevel {
    const resources: ResourceTypeNode[] = [...this.byType].map(([kvPrefix, t]) =>
      typeNode(t.resource, kvPrefix, t.keys),
    );
    resources.sort((x, y) => collator.compare(x.resource, y.resource));
    const deleted = this.other.filter((k) => k.deleted).length;
    return {
      resources,
      otherKeys: this.other,
      other: { liveKeys: this.other.length - deleted, deletedKeys: deleted, storedKeys: this.other.length },
      revision: this.revision,
    };
  }

  /** The same answer as `listNamespaces`, from memory. */
  namespaces(b: KineBucket, type: Pick<ResourceTypeNode, 'kvPrefix'>, options: ListOptions = {}): NamespaceNode[] {
    const keys = this.byType.get(type.kvPrefix)?.keys;
    return keys ? namespacesFrom(b, type.kvPrefix, keys, options) : [];
  }

  /** The same answer as `listNames`, from memory. */
  names(
    _b: KineBucket,
    type: Pick<ResourceTypeNode, 'kvPrefix'>,
    namespaceKvPrefix?: string,
    options: ListOptions = {},
  ): KeyNode[] {
    const keys = this.byType.get(type.kvPrefix)?.keys;
    return keys ? namesFrom(type.kvPrefix, keys, namespaceKvPrefix, options) : [];
  }
}

/** Files the key `<typePrefix>.[<ns>.]<name>` into `keys`. */
export function addUnder(keys: TypeKeys, typePrefix: string, kvKey: string, revision: number, deleted: boolean): void {
  const from = typePrefix.length + 1;
  const dot = kvKey.indexOf('.', from);
  if (dot < 0) keys.add(undefined, kvKey.slice(from), revision, deleted);
  else keys.add(kvKey.slice(from, dot), kvKey.slice(dot + 1), revision, deleted);
}

/** A resource type's node with exact counts from its keys. */
export function typeNode(resource: string, kvPrefix: string, keys: TypeKeys): ResourceTypeNode {
  return {
    resource,
    namespaced: keys.namespaced,
    liveKeys: keys.liveKeys,
    deletedKeys: keys.deletedKeys,
    storedKeys: keys.size,
    kvPrefix,
  };
}

/** The namespace level of a type, from its per-namespace counts (no key is touched). */
export function namespacesFrom(
  b: KineBucket,
  typePrefix: string,
  keys: TypeKeys,
  options: ListOptions = {},
): NamespaceNode[] {
  const out: NamespaceNode[] = [];
  for (const g of keys.namespaceCounts()) {
    const namespace = b.token(g.token);
    if (namespace === undefined || (g.live === 0 && !options.includeDeleted)) continue;
    out.push({
      namespace,
      liveKeys: g.live,
      deletedKeys: g.deleted,
      keys: g.live + (options.includeDeleted ? g.deleted : 0),
      kvPrefix: `${typePrefix}.${g.token}`,
    });
  }
  return out.sort((x, y) => collator.compare(x.namespace, y.namespace));
}

/**
 * The objects of one namespace (or the cluster-scoped objects), built on demand. Names are decoded without the
 * bucket's token cache, which would otherwise keep every name of the bucket.
 */
export function namesFrom(
  typePrefix: string,
  keys: TypeKeys,
  namespaceKvPrefix: string | undefined,
  options: ListOptions = {},
): KeyNode[] {
  const parent = namespaceKvPrefix ?? typePrefix;
  const nsToken = namespaceKvPrefix === undefined ? undefined : namespaceKvPrefix.slice(typePrefix.length + 1);
  const parentKey = displayKey(parent);
  const out: KeyNode[] = [];
  keys.forEachIn(nsToken, (token, revision, deleted) => {
    if (deleted && !options.includeDeleted) return;
    let name: string;
    try {
      name = decodeKeyToken(token);
    } catch {
      return;
    }
    const kvKey = `${parent}.${token}`;
    out.push({ name, key: parentKey === undefined ? kvKey : `${parentKey}/${name}`, kvKey, revision, deleted });
  });
  return out.sort((x, y) => collator.compare(x.name, y.name));
}
