import * as vscode from 'vscode';
import { formatCount, plural } from '../../core/format/units';
import type { KeyNode } from '../../core/kine/kineLevels';
import { isSensitiveKey } from '../../core/kine/resourcePath';
import { Commands } from '../ids';
import type { ManagedConnection } from '../explorer/connectionManager';
import type { ExplorerNode } from '../explorer/explorerNodes';
import { withCancelOffer } from '../explorer/cancelOffer';
import type { KineBuckets } from './kineBuckets';
import { kineNamespaceLabel, kineObjectLabel, kineTypeLabel } from '../explorer/dataLabels';

type KineNode = Extract<ExplorerNode, { kind: 'kineType' | 'kineNamespace' | 'kineOther' | 'kineObject' }>;

/** The Kubernetes tree of a kine bucket: resource types › namespaces › objects, plus the keys outside it. */
export async function kineBucketChildren(
  buckets: KineBuckets,
  conn: ManagedConnection,
  session: Parameters<KineBuckets['get']>[1],
  bucket: string,
): Promise<ExplorerNode[] | undefined> {
  const entry = await buckets.get(conn.id, session, bucket);
  if (!entry.detection.isKine) return undefined;
  const top = (
    await withCancelOffer(`Reading kine bucket ${bucket}…`, (signal) => buckets.index(entry, signal))
  ).topLevel();
  const nodes: ExplorerNode[] = top.resources.map((type) => ({ kind: 'kineType', conn, bucket, type }));
  if (top.other.storedKeys > 0)
    nodes.push({ kind: 'kineOther', conn, bucket, keys: top.other.liveKeys, estimated: top.estimated });
  return nodes.length ? nodes : [{ kind: 'empty', label: 'No keys' }];
}

export async function kineChildren(
  buckets: KineBuckets,
  node: KineNode,
  session: Parameters<KineBuckets['get']>[1],
  showDeleted: boolean,
): Promise<ExplorerNode[]> {
  const entry = await buckets.get(node.conn.id, session, node.bucket);
  const index = await buckets.index(entry);
  const options = { includeDeleted: showDeleted };
  const objects = (keys: readonly KeyNode[]): ExplorerNode[] =>
    keys.length
      ? keys.map((key) => ({ kind: 'kineObject', conn: node.conn, bucket: node.bucket, key }))
      : [{ kind: 'empty', label: showDeleted ? 'No keys' : 'No live objects (deleted ones are hidden)' }];
  switch (node.kind) {
    case 'kineType':
      if (!node.type.namespaced) return objects(await index.names(node.type, undefined, options));
      return (await index.namespaces(node.type, options)).map((ns) => ({
        kind: 'kineNamespace',
        conn: node.conn,
        bucket: node.bucket,
        type: node.type,
        ns,
      }));
    case 'kineNamespace':
      return objects(await index.names(node.type, node.ns.kvPrefix, options));
    case 'kineOther':
      return objects(await index.otherKeys(options));
    default:
      return [];
  }
}

/** The tree item; `buckets` tells which keys were seen encrypted at rest, which get no reveal action. */
export function kineItem(node: KineNode, buckets?: KineBuckets): vscode.TreeItem {
  const collapsed = vscode.TreeItemCollapsibleState.Collapsed;
  let t: vscode.TreeItem;
  switch (node.kind) {
    case 'kineType':
      t = new vscode.TreeItem(kineTypeLabel(node.type), collapsed);
      t.iconPath = new vscode.ThemeIcon(node.type.namespaced ? 'symbol-class' : 'symbol-interface');
      if (node.type.estimated) {
        t.description = `≈ ${plural(node.type.storedKeys, 'key')}`;
        t.tooltip = `${node.type.namespaced ? 'namespaced' : 'cluster-scoped'} resource type; estimated from the server's subject listing, which counts deleted keys too: open it for live and deleted counts`;
      } else {
        // A namespaced type counts the objects of every namespace below it, so it says so beside a namespace's count.
        t.description = `${plural(node.type.liveKeys, 'object')}${node.type.namespaced ? ' in all namespaces' : ''}${node.type.deletedKeys ? ` · ${formatCount(node.type.deletedKeys)} deleted` : ''}`;
        t.tooltip = `${node.type.namespaced ? 'namespaced resource type: its counts add up the namespaces below it' : 'cluster-scoped resource type'}; deleted keys are kept by kine until compaction`;
      }
      break;
    case 'kineNamespace':
      t = new vscode.TreeItem(kineNamespaceLabel(node.ns), collapsed);
      t.iconPath = new vscode.ThemeIcon('symbol-namespace');
      t.description = `${plural(node.ns.liveKeys, 'object')}${node.ns.deletedKeys ? ` · ${formatCount(node.ns.deletedKeys)} deleted` : ''}`;
      t.tooltip = `${plural(node.ns.liveKeys, 'object')} of ${kineTypeLabel(node.type)} in namespace ${kineNamespaceLabel(node.ns)}`;
      break;
    case 'kineOther':
      t = new vscode.TreeItem('Other keys', collapsed);
      t.iconPath = new vscode.ThemeIcon('symbol-misc');
      t.description = node.estimated ? `≈ ${plural(node.keys, 'key')}` : plural(node.keys, 'key');
      t.tooltip = 'Keys outside /registry/…/: health, compaction, K3s bootstrap data';
      break;
    case 'kineObject': {
      const k = node.key;
      const text = kineObjectLabel(k);
      t = new vscode.TreeItem(text.label, vscode.TreeItemCollapsibleState.None);
      t.iconPath = new vscode.ThemeIcon(
        k.deleted ? 'trash' : 'file-code',
        k.deleted ? new vscode.ThemeColor('disabledForeground') : undefined,
      );
      t.description = `rev ${k.revision}${k.deleted ? ' · deleted' : ''}`;
      t.tooltip = text.tooltip;
      t.command = { command: Commands.kineOpen, title: 'Open Object', arguments: [node] };
      break;
    }
  }
  const revealable =
    node.kind === 'kineObject' &&
    isSensitiveKey(node.key.key) &&
    !buckets?.isEncrypted(node.conn.id, node.bucket, node.key.key);
  t.contextValue = revealable ? 'kineObject.sensitive' : node.kind;
  return t;
}
