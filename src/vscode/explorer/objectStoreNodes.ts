import * as vscode from 'vscode';
import { formatBytes, formatCount, plural } from '../../core/format/units';
import { listObjects, type ObjectView } from '../../core/nats/objectStore/objectEntries';
import { listObjectStores } from '../../core/nats/objectStore/objectStores';
import { placementPhrase } from '../../core/nats/placement';
import type { NatsSession } from '../../core/nats/session';
import { escapeControl } from '../../core/text/escapeControl';
import { Commands } from '../ids';
import type { ManagedConnection } from './connectionManager';
import type { ExplorerNode } from './explorerNodes';

type ObjectStoreNode = Extract<ExplorerNode, { kind: 'objectStores' | 'objectStore' | 'object' }>;

/** The Object Stores part of the explorer: buckets with their size › objects with their info. */
export async function objectStoreChildren(
  node: ObjectStoreNode,
  session: () => Promise<NatsSession>,
): Promise<ExplorerNode[]> {
  const conn = node.conn;
  switch (node.kind) {
    case 'objectStores': {
      const { stores, more } = await listObjectStores(await session());
      const nodes: ExplorerNode[] = stores.map((store) => ({ kind: 'objectStore', conn, store }));
      if (more) nodes.push({ kind: 'info', label: 'More buckets than the limit (not all shown)', icon: 'ellipsis' });
      return nodes.length ? nodes : [{ kind: 'empty', label: 'No Object Store buckets' }];
    }
    case 'objectStore': {
      const { objects, more } = await listObjects(await session(), node.store.bucket);
      const nodes: ExplorerNode[] = objects.map((object) => ({ kind: 'object', conn, object }));
      if (more)
        nodes.push({
          kind: 'info',
          label: `First ${formatCount(objects.length)} objects shown`,
          icon: 'ellipsis',
          tooltip: 'The bucket holds more; Show Object Info and Download from the palette take any name.',
        });
      return nodes.length ? nodes : [{ kind: 'empty', label: 'No objects' }];
    }
    default:
      return [];
  }
}

export function objectStoreItem(node: ObjectStoreNode): vscode.TreeItem {
  switch (node.kind) {
    case 'objectStores':
      return item('Object Stores', vscode.TreeItemCollapsibleState.Collapsed, 'files', node.kind);
    case 'objectStore': {
      const s = node.store;
      const t = item(escapeControl(s.bucket), vscode.TreeItemCollapsibleState.Collapsed, 'archive', node.kind);
      t.description = [
        formatBytes(s.bytes),
        s.placement ? `R${s.replicas} · ${placementPhrase(s.placement)}` : '',
        s.sealed ? 'sealed' : '',
      ]
        .filter(Boolean)
        .join(' · ');
      t.tooltip = [
        s.description ? escapeControl(s.description) : '',
        `${formatBytes(s.bytes)} stored (chunks and metadata), ${s.storage} storage, replicas ${s.replicas}`,
        s.sealed ? 'sealed: objects can no longer be added or deleted' : '',
      ]
        .filter(Boolean)
        .join('\n');
      return t;
    }
    case 'object': {
      const o = node.object;
      const t = item(
        escapeControl(o.name),
        vscode.TreeItemCollapsibleState.None,
        o.link ? 'file-symlink-file' : 'file-binary',
        node.kind,
      );
      t.description = o.link ? `→ ${linkTarget(o)}` : `${formatBytes(o.size)} · ${o.modified}`;
      t.tooltip = objectTooltip(o);
      t.command = { command: Commands.objectShowInfo, title: 'Show Object Info', arguments: [node] };
      return t;
    }
  }
}

/** Every field of the object's info, one a line, as the tooltip shows it. */
export function objectTooltip(o: ObjectView): string {
  return [
    `${escapeControl(o.name)}${o.description ? ` — ${escapeControl(o.description)}` : ''}`,
    o.link ? `link to ${linkTarget(o)}` : `${formatBytes(o.size)} in ${plural(o.chunks, 'chunk')}`,
    o.link ? '' : `digest ${o.digest}`,
    `modified ${o.modified}, revision ${o.revision}`,
    ...o.headers.map(([k, v]) => `${escapeControl(k)}: ${escapeControl(v)}`),
    ...Object.entries(o.metadata).map(([k, v]) => `${escapeControl(k)} = ${escapeControl(v)}`),
  ]
    .filter(Boolean)
    .join('\n');
}

function linkTarget(o: ObjectView): string {
  const l = o.link!;
  return l.name ? `${escapeControl(l.bucket)}/${escapeControl(l.name)}` : `bucket ${escapeControl(l.bucket)}`;
}

/** The Object Stores node of a connection. */
export function objectStoresNode(conn: ManagedConnection): ExplorerNode {
  return { kind: 'objectStores', conn };
}

function item(label: string, state: vscode.TreeItemCollapsibleState, icon: string, contextValue: string) {
  const t = new vscode.TreeItem(label, state);
  t.iconPath = new vscode.ThemeIcon(icon);
  t.contextValue = contextValue;
  return t;
}
