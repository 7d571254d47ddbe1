import * as vscode from 'vscode';
import { formatCount, plural } from '../../core/format/units';
import { discoverServices, type ServiceDiscovery } from '../../core/nats/services/serviceDiscovery';
import type { NatsSession } from '../../core/nats/session';
import { escapeControl } from '../../core/text/escapeControl';
import { Commands } from '../ids';
import type { ManagedConnection } from './connectionManager';
import type { ExplorerNode } from './explorerNodes';

type ServiceNode = Extract<ExplorerNode, { kind: 'services' | 'service' | 'serviceInstance' | 'serviceEndpoint' }>;

/**
 * The Services part of the explorer: services › instances › endpoints. Expanding Services asks the bus once; the
 * levels below show what that answer held, so Refresh on Services asks again.
 */
export async function serviceChildren(node: ServiceNode, session: () => Promise<NatsSession>): Promise<ExplorerNode[]> {
  const conn = node.conn;
  switch (node.kind) {
    case 'services': {
      const found = await discoverServices(await session());
      const nodes: ExplorerNode[] = found.services.map((group) => ({ kind: 'service', conn, group }));
      const note = discoveryNote(found);
      if (note) nodes.push({ kind: 'info', label: note, icon: 'warning' });
      return nodes.length ? nodes : [{ kind: 'empty', label: 'No services answered $SRV.PING' }];
    }
    case 'service':
      return node.group.instances.map((instance) => ({ kind: 'serviceInstance', conn, instance }));
    case 'serviceInstance':
      return node.instance.endpoints.length
        ? node.instance.endpoints.map((endpoint) => ({
            kind: 'serviceEndpoint',
            conn,
            instance: node.instance,
            endpoint,
          }))
        : [{ kind: 'empty', label: 'No endpoints' }];
    default:
      return [];
  }
}

/** What discovery left out, as one line; undefined when nothing was. */
export function discoveryNote(found: ServiceDiscovery): string | undefined {
  const parts = [
    found.truncated ? 'more instances than the limit answered (not all shown)' : '',
    found.invalid ? `${replies(found.invalid)} not in the services protocol` : '',
    found.oversized ? `${replies(found.oversized)} over 1 MiB` : '',
  ].filter(Boolean);
  return parts.length ? `Left out: ${parts.join('; ')}` : undefined;
}

export function serviceItem(node: ServiceNode): vscode.TreeItem {
  switch (node.kind) {
    case 'services':
      return item('Services', vscode.TreeItemCollapsibleState.Collapsed, 'symbol-interface', node.kind);
    case 'service': {
      const g = node.group;
      const t = item(escapeControl(g.name), vscode.TreeItemCollapsibleState.Collapsed, 'symbol-class', node.kind);
      const versions = [...new Set(g.instances.map((i) => i.version))].map(escapeControl);
      t.description = `${plural(g.instances.length, 'instance')} · ${versions.join(', ')}`;
      t.tooltip = g.instances.find((i) => i.description)?.description;
      return t;
    }
    case 'serviceInstance': {
      const i = node.instance;
      const t = item(
        escapeControl(i.id),
        vscode.TreeItemCollapsibleState.Collapsed,
        i.rttMs === undefined ? 'circle-outline' : 'circle-filled',
        node.kind,
      );
      t.description = [
        escapeControl(i.version),
        i.rttMs === undefined ? 'no ping reply' : `${i.rttMs.toFixed(1)} ms`,
        plural(i.endpoints.length, 'endpoint'),
      ].join(' · ');
      t.tooltip = [
        `${escapeControl(i.name)} ${escapeControl(i.version)}${i.description ? ` — ${escapeControl(i.description)}` : ''}`,
        i.started ? `started ${escapeControl(i.started)}` : '',
        ...Object.entries(i.metadata).map(([k, v]) => `${escapeControl(k)}: ${escapeControl(v)}`),
      ]
        .filter(Boolean)
        .join('\n');
      t.command = { command: Commands.servicesShow, title: 'Show Service Info', arguments: [node] };
      return t;
    }
    case 'serviceEndpoint': {
      const e = node.endpoint;
      const t = item(escapeControl(e.name), vscode.TreeItemCollapsibleState.None, 'symbol-method', node.kind);
      const stats =
        e.requests === undefined
          ? 'no stats'
          : `${formatCount(e.requests)} req · ${formatCount(e.errors ?? 0)} err · avg ${(e.averageMs ?? 0).toFixed(2)} ms`;
      t.description = `${escapeControl(e.subject)} · ${stats}`;
      t.tooltip = [
        `subject ${escapeControl(e.subject)}${e.queueGroup ? `, queue group ${escapeControl(e.queueGroup)}` : ''}`,
        e.lastError ? `last error: ${escapeControl(e.lastError)}` : '',
      ]
        .filter(Boolean)
        .join('\n');
      return t;
    }
  }
}

function replies(n: number): string {
  return `${formatCount(n)} ${n === 1 ? 'reply' : 'replies'}`;
}

/** The Services node of a connection. */
export function servicesNode(conn: ManagedConnection): ExplorerNode {
  return { kind: 'services', conn };
}

function item(label: string, state: vscode.TreeItemCollapsibleState, icon: string, contextValue: string) {
  const t = new vscode.TreeItem(label, state);
  t.iconPath = new vscode.ThemeIcon(icon);
  t.contextValue = contextValue;
  return t;
}
