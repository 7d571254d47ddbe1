import * as vscode from 'vscode';
import { discoverServers, type ServerRow } from '../../core/nats/cluster/clusterServers';
import { disabledFeatures } from '../../core/nats/cluster/serverFeatures';
import type { NatsSession } from '../../core/nats/session';
import { plural } from '../../core/format/units';
import { Commands } from '../ids';
import type { ManagedConnection } from './connectionManager';
import type { ExplorerNode } from './explorerNodes';

type ClusterNode = Extract<ExplorerNode, { kind: 'cluster' }>;

/** The Cluster node under a connection: every server, the JetStream health and account documents. */
export function clusterItem(): vscode.TreeItem {
  const t = new vscode.TreeItem('Cluster', vscode.TreeItemCollapsibleState.Collapsed);
  t.iconPath = new vscode.ThemeIcon('type-hierarchy');
  t.contextValue = 'cluster';
  t.tooltip = 'Every server of the cluster, its JetStream health and this account';
  return t;
}

/** A server row: `v2.14.2 · nats-k3s · 2 routes · 0 gateways · 0 leafnodes · 3 connections`. */
export function clusterServerItem(s: ServerRow): vscode.TreeItem {
  const t = new vscode.TreeItem(s.name, vscode.TreeItemCollapsibleState.None);
  const count = (xs: readonly string[] | undefined, noun: string) => (xs ? plural(xs.length, noun) : undefined);
  t.description = [
    `v${s.version}`,
    s.cluster,
    count(s.routes, 'route'),
    count(s.gateways, 'gateway'),
    count(s.leafnodes, 'leafnode'),
    s.connections !== undefined ? plural(s.connections, 'connection') : undefined,
    s.connected ? 'connected here' : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
  const list = (xs: readonly string[] | undefined) => (xs === undefined ? 'unknown' : xs.join(', ') || 'none');
  t.tooltip = [
    `${s.name} (${s.id})${s.host ? ` at ${s.host}` : ''}`,
    `nats-server ${s.version}${s.jetstream ? ', JetStream on' : ''}${s.uptime ? `, up ${s.uptime}` : ''}`,
    `routes: ${list(s.routes)}`,
    `gateways: ${list(s.gateways)}`,
    `leafnodes: ${list(s.leafnodes)}`,
    'Click to list its connections.',
  ].join('\n');
  t.iconPath = new vscode.ThemeIcon(s.connected ? 'vm-active' : 'server');
  t.contextValue = 'clusterServer';
  return t;
}

/** Children of the Cluster node; the servers come from `$SYS` when the account may ask, else the connected one. */
export async function clusterChildren(node: ClusterNode, session: NatsSession): Promise<ExplorerNode[]> {
  const conn: ManagedConnection = node.conn;
  const view = await discoverServers(session);
  const nodes: ExplorerNode[] = [];
  if (session.connection().info?.jetstream)
    nodes.push(
      {
        kind: 'info',
        label: 'JetStream health',
        icon: 'pulse',
        tooltip: 'The meta group and each stream’s and consumer’s replicas, as nats server report jetstream shows them',
        command: { title: 'Show JetStream Health', command: Commands.clusterHealth, args: [node] },
      },
      {
        kind: 'info',
        label: 'Account',
        icon: 'account',
        tooltip: 'This account’s JetStream limits and usage',
        command: { title: 'Show Account Info', command: Commands.clusterAccount, args: [node] },
      },
    );
  for (const note of view.notes)
    nodes.push({
      kind: 'info',
      label: view.source === 'connection' ? 'Only this server: not the system account' : note,
      icon: 'warning',
      tooltip: note,
      command: { title: 'Show Servers', command: Commands.clusterServers, args: [node] },
    });
  for (const d of disabledFeatures(view.servers.map((s) => s.version)))
    nodes.push({
      kind: 'info',
      label: d.label,
      description: `needs nats-server ${d.needs}`,
      icon: 'circle-slash',
      tooltip: `${d.label} is off: it needs nats-server ${d.needs}, and this cluster runs ${d.serverVersion}.`,
    });
  for (const server of view.servers) nodes.push({ kind: 'clusterServer', conn, server });
  return nodes;
}
