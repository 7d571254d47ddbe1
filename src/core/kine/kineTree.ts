/**
 * The kine tree read from the server: each level from a narrow headers-only scan (see kineLevels.ts for the levels and
 * how entries are grouped; KineIndex keeps one scan and serves every level from memory).
 */
import type { KineBucket } from './kineBucket';
import { KineIndex } from './kineIndex';
import {
  namesOf,
  namespacesOf,
  type KeyNode,
  type ListOptions,
  type NamespaceNode,
  type ResourceTypeNode,
  type TopLevel,
} from './kineLevels';
import type { LastEntry } from './lastPerSubjectScan';

/**
 * The first tree level from one headers-only last-per-subject scan of the bucket: no values are sent, and only the
 * first tokens of each key are decoded (cached), so exact live and deleted counts cost about one `kv.keys()`.
 * Use `KineIndex.build` instead to keep the scan and serve the deeper levels from memory.
 */
export async function listTopLevel(b: KineBucket): Promise<TopLevel> {
  return (await KineIndex.build(b)).topLevel();
}

/** Namespaces of a namespaced type with live/deleted counts; namespaces holding only deleted keys are left out unless asked. */
export async function listNamespaces(
  b: KineBucket,
  type: Pick<ResourceTypeNode, 'kvPrefix'>,
  options: ListOptions = {},
): Promise<NamespaceNode[]> {
  const entries: LastEntry[] = [];
  await b.scan(`${type.kvPrefix}.*.*`, (e) => void entries.push(e));
  return namespacesOf(b, type, entries, options);
}

/** Objects of a type in one namespace (or of a cluster-scoped type when `namespaceKvPrefix` is omitted), from one narrow scan. */
export async function listNames(
  b: KineBucket,
  type: Pick<ResourceTypeNode, 'kvPrefix'>,
  namespaceKvPrefix?: string,
  options: ListOptions = {},
): Promise<KeyNode[]> {
  const entries: LastEntry[] = [];
  await b.scan(`${namespaceKvPrefix ?? type.kvPrefix}.*`, (e) => void entries.push(e));
  return namesOf(b, entries, options);
}

/** The keys outside the Kubernetes tree (a whole-bucket scan; the tree takes them from `listTopLevel` instead). */
export async function listOtherKeys(b: KineBucket, options: ListOptions = {}): Promise<KeyNode[]> {
  return (await listTopLevel(b)).otherKeys.filter((k) => options.includeDeleted || !k.deleted);
}
