/**
 * The kine tree served from the server's subject listing: the first level (resource types with stored-key counts)
 * comes from stream info with `subjects_filter`, about half the cost of a headers-only scan of every key while the
 * subjects fit one reply (100,000); a type's live and deleted keys are scanned only when that type is opened. A
 * bigger bucket, or a server without the listing, gets one whole-bucket scan (KineIndex) that serves every level.
 */
import { listSubjectPages, SUBJECTS_PER_PAGE, type SubjectListingOptions } from '../nats/subjectListing';
import type { KineBucket } from './kineBucket';
import { addUnder, KineIndex, namesFrom, namespacesFrom, typeNode } from './kineIndex';
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

/** Keys outside /registry/<type>/ refined one by one when their group opens; beyond this many, they are listed unrefined. */
export const MAX_OTHER_KEYS = 1_000;

const collator = new Intl.Collator();

interface ListedType {
  readonly resource: string;
  stored: number;
  namespaced: boolean;
}

export class KineListing {
  private readonly refined = new Map<string, Promise<TypeKeys>>();
  private otherRefined?: Promise<KeyNode[]>;

  private constructor(
    private readonly b: KineBucket,
    /** The stream's last sequence before listing; rebuild when it moves. */
    readonly revision: number,
    private readonly types: ReadonlyMap<string, ListedType>,
    private readonly otherKvKeys: readonly string[],
    private readonly otherStored: number,
    /** Set when the server could not list subjects: every level comes from this whole-bucket scan. */
    private readonly exact?: KineIndex,
  ) {}

  /**
   * Lists the bucket's subjects and folds them into per-type counts (a count per type, never the subjects
   * themselves); takes one whole-bucket scan (`KineIndex.build`) instead when the subjects do not fit one page of
   * the listing, when the server ignores `subjects_filter`, or when `useListing` is false. Rejects with
   * `SubjectListingCancelled` (while listing) or `CancelledError` (while scanning) when `options.signal` aborts.
   */
  static async open(
    b: KineBucket,
    options: SubjectListingOptions & { useListing?: boolean } = {},
  ): Promise<KineListing> {
    const types = new Map<string, ListedType>();
    const placements = new Map<string, ReturnType<typeof placeKvKey>['place']>();
    const otherKvKeys: string[] = [];
    let otherStored = 0;
    const cut = b.subjectPrefix.length;
    // More subjects than one page: the paged listing costs more than one scan of every key (see SUBJECTS_PER_PAGE).
    const info = await b.info();
    const oneScan = options.useListing === false || (info.state.num_subjects ?? 0) > SUBJECTS_PER_PAGE;
    const listed = oneScan
      ? { supported: false, tooMany: false }
      : await b.withNotFound(() =>
          listSubjectPages(
            b.nc,
            b.jsm,
            b.stream,
            `${b.subjectPrefix}>`,
            (subjects) => {
              for (const subject in subjects) {
                const kvKey = subject.slice(cut);
                const { place, rest } = placeKvKey(b, kvKey, placements);
                if (!place || (rest !== 1 && rest !== 2)) {
                  otherStored++;
                  if (otherKvKeys.length < MAX_OTHER_KEYS) otherKvKeys.push(kvKey);
                  continue;
                }
                let t = types.get(place.kvPrefix);
                if (!t) types.set(place.kvPrefix, (t = { resource: place.resource, stored: 0, namespaced: false }));
                t.stored++;
                if (rest === 2) t.namespaced = true;
              }
            },
            { ...options, onePageOnly: true },
          ),
        );
    if (!listed.supported || listed.tooMany) {
      const exact = await KineIndex.build(b, options.signal);
      return new KineListing(b, Math.max(info.state.last_seq, exact.revision), new Map(), [], 0, exact);
    }
    return new KineListing(b, info.state.last_seq, types, otherKvKeys, otherStored);
  }

  /** True when the first level came from the subject listing (counts are estimates until a type is opened). */
  get fromListing(): boolean {
    return this.exact === undefined;
  }

  /**
   * Resource types: exact for the types already opened, estimated (stored keys, deleted ones included) for the
   * rest. `otherKeys` is empty while estimated: `otherKeys()` refines them.
   */
  topLevel(): TopLevel {
    if (this.exact) return this.exact.topLevel();
    const resources: ResourceTypeNode[] = [];
    for (const [kvPrefix, t] of this.types) {
      const done = this.done.get(kvPrefix);
      resources.push(
        done
          ? typeNode(t.resource, kvPrefix, done)
          : {
              resource: t.resource,
              namespaced: t.namespaced,
              liveKeys: t.stored,
              deletedKeys: 0,
              storedKeys: t.stored,
              kvPrefix,
              estimated: true,
            },
      );
    }
    resources.sort((x, y) => collator.compare(x.resource, y.resource));
    return {
      resources,
      otherKeys: [],
      other: { liveKeys: this.otherStored, deletedKeys: 0, storedKeys: this.otherStored },
      revision: this.revision,
      estimated: true,
    };
  }

  /** One type's keys, scanned (headers only, that type's subjects only) the first time it is asked for. */
  async typeKeys(kvPrefix: string): Promise<TypeKeys> {
    let p = this.refined.get(kvPrefix);
    if (!p) {
      p = (async () => {
        const keys = new TypeKeys();
        const placements = new Map<string, ReturnType<typeof placeKvKey>['place']>();
        await this.b.scan(`${kvPrefix}.>`, (e) => {
          // Placed as the listing placed it: deeper keys belong to the other group, and `services.specs.<name>` to
          // the type `services/specs`, not to `services`.
          const { place, rest } = placeKvKey(this.b, e.kvKey, placements);
          if (place?.kvPrefix !== kvPrefix || (rest !== 1 && rest !== 2)) return;
          addUnder(keys, kvPrefix, e.kvKey, e.revision, e.deleted);
        });
        this.done.set(kvPrefix, keys);
        return keys;
      })();
      this.refined.set(kvPrefix, p);
      p.catch(() => this.refined.delete(kvPrefix));
    }
    return p;
  }

  /** The type's namespaces with exact live and deleted counts. */
  async namespaces(type: Pick<ResourceTypeNode, 'kvPrefix'>, options: ListOptions = {}): Promise<NamespaceNode[]> {
    if (this.exact) return this.exact.namespaces(this.b, type, options);
    return namespacesFrom(this.b, type.kvPrefix, await this.typeKeys(type.kvPrefix), options);
  }

  /** The objects of a namespace, or of a cluster-scoped type, each with its deleted flag. */
  async names(
    type: Pick<ResourceTypeNode, 'kvPrefix'>,
    namespaceKvPrefix?: string,
    options: ListOptions = {},
  ): Promise<KeyNode[]> {
    if (this.exact) return this.exact.names(this.b, type, namespaceKvPrefix, options);
    return namesFrom(type.kvPrefix, await this.typeKeys(type.kvPrefix), namespaceKvPrefix, options);
  }

  /** The keys outside the Kubernetes tree, each read once for its revision and deleted flag (up to MAX_OTHER_KEYS). */
  async otherKeys(options: ListOptions = {}): Promise<KeyNode[]> {
    if (this.exact) return this.exact.topLevel().otherKeys.filter((k) => options.includeDeleted || !k.deleted);
    this.otherRefined ??= this.refineOther();
    this.otherRefined.catch(() => (this.otherRefined = undefined));
    return (await this.otherRefined).filter((k) => options.includeDeleted || !k.deleted);
  }

  private readonly done = new Map<string, TypeKeys>();

  private async refineOther(): Promise<KeyNode[]> {
    const out: KeyNode[] = [];
    const queue = [...this.otherKvKeys];
    const worker = async () => {
      for (let kvKey = queue.pop(); kvKey !== undefined; kvKey = queue.pop()) {
        const m = await this.b.lastMessage(kvKey);
        if (!m) continue;
        const op = m.header?.get('KV-Operation');
        const key = displayKey(kvKey) ?? kvKey;
        out.push({ name: key, key, kvKey, revision: m.seq, deleted: op === 'DEL' || op === 'PURGE' });
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    return out.sort((x, y) => collator.compare(x.key, y.key));
  }
}
