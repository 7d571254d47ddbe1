import * as vscode from 'vscode';
import { formatBytes, formatCount, formatDuration, plural } from '../../core/format/units';
import { listBuckets, listKeyLevel, MAX_LEFT_OUT_COUNTED } from '../../core/nats/kvBrowser';
import { listKeyLevelFromSubjects } from '../../core/nats/kvLevelFromSubjects';
import { getServerOverview, type AccountUsage, type ServerOverview } from '../../core/nats/serverInfo';
import { serverIdentity } from '../../core/nats/serverIdentity';
import type { NatsSession } from '../../core/nats/session';
import { placementLines, placementPhrase, type Placement } from '../../core/nats/placement';
import { listConsumers, listStreams } from '../../core/nats/streams';
import { consumerPauseUnsupported } from '../../core/nats/consumerWrites';
import { secretKeyOf } from '../../core/connections/connectionSpec';
import { describeError, fixCommand, UserInputError } from '../commandRunner';
import { Commands, Settings } from '../ids';
import { MANAGE_TRUST } from '../trust/restrictedMode';
import type { ConnectionManager, ManagedConnection } from './connectionManager';
import { isCancelled, withCancelOffer } from './cancelOffer';
import { kvKeyLabel } from './dataLabels';
import { clusterChildren, clusterItem, clusterServerItem } from './clusterNodes';
import type { ExplorerNode } from './explorerNodes';
import { objectStoreChildren, objectStoreItem, objectStoresNode } from './objectStoreNodes';
import { serviceChildren, serviceItem, servicesNode } from './serviceNodes';
import { subjectChildren, subjectItem, subjectsItem } from './subjectNodes';
import type { KineBuckets } from '../kine/kineBuckets';
import { kineBucketChildren, kineChildren, kineItem } from '../kine/kineNodes';
import type { SubjectSampling } from './subjectSampling';

/** Most children a KV level shows before a "more" node says how many were left out. */
const MAX_KEY_CHILDREN = 500;
/** Buckets of one listing checked for kine data; the rest learn it when expanded. */
const MAX_KINE_DETECTIONS = 50;

/**
 * The NATS explorer: connections › server, streams › consumers, KV buckets › key levels. Everything loads when its
 * node is expanded; a failure becomes an error node with one sentence, never a popup or a thrown error.
 */
export class ExplorerTree implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly connectionNodes = new Map<string, ExplorerNode>();
  private readonly subjectsNodes = new Map<string, ExplorerNode>();
  /** Streams and KV Buckets nodes whose children were loaded: the periodic refresh redraws these. */
  private readonly loadedLists = new Map<string, ExplorerNode[]>();
  private readonly subscriptions: vscode.Disposable[];
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly connections: ConnectionManager,
    private readonly sampling: SubjectSampling,
    private readonly kine: KineBuckets,
    /** Hides secrets in labels, descriptions and tooltips (a URL's user info, a password a connection resolved). */
    private readonly scrub: (text: string) => string,
  ) {
    this.subscriptions = [
      // A state change redraws that connection's node (and so its children); a list change redraws everything.
      connections.onDidChange((conn) => this.changed.fire(conn ? this.connectionNodes.get(conn.id) : undefined)),
      // The sampler ticks a few times a second at most; only the Subjects node of that connection redraws.
      sampling.onDidChange((id) => {
        const node = this.subjectsNodes.get(id);
        if (node) this.changed.fire(node);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${Settings.section}.${Settings.refreshSeconds}`)) this.scheduleRefresh();
      }),
    ];
    this.scheduleRefresh();
  }

  /**
   * Streams and KV buckets change under the view (messages arrive, a replica goes offline, a leader moves), so their
   * lists redraw every `natsK3s.explorer.refreshSeconds` while they are open. Key levels and kine trees do not: they
   * can be large, and Refresh reloads them.
   */
  private scheduleRefresh(): void {
    clearInterval(this.refreshTimer);
    const seconds = vscode.workspace.getConfiguration(Settings.section).get<number>(Settings.refreshSeconds, 10);
    if (!seconds || seconds <= 0) return;
    this.refreshTimer = setInterval(() => {
      for (const nodes of this.loadedLists.values()) {
        for (const node of nodes)
          if ('conn' in node && node.conn?.session?.state.kind === 'connected') this.changed.fire(node);
      }
    }, Math.max(2, seconds) * 1000);
    this.refreshTimer.unref?.();
  }

  /** Called by the tree view when a node is collapsed: a collapsed Subjects node stops sampling. */
  collapsed(node: ExplorerNode): void {
    if (node.kind === 'subjects') this.sampling.stop(node.conn.id);
  }

  /** Called by the tree view when a node is expanded: a Subjects node the user stopped samples again. */
  expanded(node: ExplorerNode): void {
    if (node.kind === 'subjects' && this.sampling.release(node.conn.id)) this.changed.fire(node);
  }

  /** Redraws the Streams and KV Buckets lists of one connection that are open, after this window changed them. */
  refreshLists(connectionId: string): void {
    for (const node of this.loadedLists.get(connectionId) ?? []) this.changed.fire(node);
  }

  refresh(node?: ExplorerNode): void {
    this.changed.fire(node);
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    const t = scrubbedItem(this.treeItem(node), this.scrub);
    // Screen readers (and UI tests) get label and description; VS Code would otherwise read a string tooltip.
    const label = typeof t.label === 'string' ? t.label : (t.label?.label ?? '');
    t.accessibilityInformation = { label: t.description ? `${label}, ${String(t.description)}` : label };
    return t;
  }

  private treeItem(node: ExplorerNode): vscode.TreeItem {
    switch (node.kind) {
      case 'connection':
        return connectionItem(node.conn);
      case 'server':
        return serverItem(node.conn);
      case 'cluster':
        return clusterItem();
      case 'clusterServer': {
        const t = clusterServerItem(node.server);
        t.command = { command: Commands.clusterConnections, title: 'Show Connections', arguments: [node] };
        return t;
      }
      case 'subjects':
        return subjectsItem(this.sampling.get(node.conn.id));
      case 'subject': {
        // A stable id: the sampler reorders and adds subjects every tick, and VS Code finds the element an inline
        // action (Tail) belongs to by its handle, which without an id is the row's position among its siblings.
        const subject = subjectItem(node.child);
        subject.id = `${node.conn.id}/subjects/${node.child.subject}`;
        return subject;
      }
      case 'streams': {
        const t = item('Streams', vscode.TreeItemCollapsibleState.Collapsed, 'layers', node.kind);
        if (!vscode.workspace.getConfiguration(Settings.section).get<boolean>(Settings.showSystemStreams, false)) {
          t.description = 'KV and object store streams hidden';
          t.tooltip =
            'KV buckets and object stores keep their data in streams (KV_…, OBJ_…); natsK3s.showSystemStreams lists them here too.';
        }
        return t;
      }
      case 'buckets':
        return item('KV Buckets', vscode.TreeItemCollapsibleState.Collapsed, 'database', node.kind);
      case 'stream': {
        const s = node.stream;
        const t = item(
          s.name,
          s.consumerCount > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
          'layers',
          node.kind,
        );
        t.description = [
          `${plural(s.messages, 'msg')} · ${formatBytes(s.bytes)}`,
          placementText(s.replicas, s.placement),
        ]
          .filter(Boolean)
          .join(' · ');
        t.tooltip = new vscode.MarkdownString(
          [
            `**${s.name}**${s.description ? ` — ${s.description}` : ''}`,
            `subjects: \`${s.subjects.join('`, `') || '(none)'}\``,
            `storage: ${s.storage}, replicas: ${s.replicas}`,
            ...placementTooltip(s.placement),
            `messages: ${formatCount(s.messages)} (seq ${s.firstSeq}–${s.lastSeq}), ${formatBytes(s.bytes)}`,
            `consumers: ${s.consumerCount}`,
          ].join('\n\n'),
        );
        if (s.placement?.degraded) t.iconPath = degradedIcon;
        t.command = { command: Commands.viewMessages, title: 'View Messages', arguments: [node] };
        return t;
      }
      case 'consumer': {
        const c = node.consumer;
        const pauseNote = pauseNoteOf(node.conn);
        // `consumer.noPause` keeps Pause and Resume out of the menu on a server too old for them.
        const t = item(
          c.name,
          vscode.TreeItemCollapsibleState.None,
          c.kind === 'pull' ? 'arrow-circle-down' : 'arrow-circle-right',
          pauseNote ? 'consumer.noPause' : node.kind,
        );
        t.description = [
          `pending ${formatCount(c.pending)} · ack pending ${formatCount(c.ackPending)}`,
          c.redelivered ? `redelivered ${formatCount(c.redelivered)}` : '',
          c.pausedUntil ? `paused until ${c.pausedUntil}` : '',
        ]
          .filter(Boolean)
          .join(' · ');
        t.tooltip = `${c.durable ? 'durable' : 'ephemeral'} ${c.kind} consumer${c.filterSubject ? ` on ${c.filterSubject}` : ''}; pending ${c.pending}, delivered up to ${c.deliveredSeq}, ack floor ${c.ackFloorSeq}, redelivered ${c.redelivered}${c.pausedUntil ? `; paused until ${c.pausedUntil}` : ''}${pauseNote ? `\n${pauseNote}` : ''}`;
        return t;
      }
      case 'bucket': {
        const b = node.bucket;
        const isKine = this.kine.isKine(node.conn.id, b.bucket);
        const t = item(
          b.bucket,
          vscode.TreeItemCollapsibleState.Collapsed,
          'database',
          isKine ? 'bucket.kine' : 'bucket',
        );
        t.description = [
          isKine ? 'kine' : '',
          `${plural(b.keys, 'key')} · ${plural(b.values, 'entry', 'entries')} · ${formatBytes(b.bytes)}`,
          placementText(b.replicas, b.placement),
        ]
          .filter(Boolean)
          .join(' · ');
        t.tooltip = [
          `${plural(b.keys, 'key')}: distinct keys stored (a deleted key counts until its delete marker is purged)`,
          `${plural(b.values, 'entry', 'entries')}: every revision kept (history ${b.history} per key) and delete markers`,
          `TTL ${formatDuration(b.ttlMs)}, ${b.storage} storage, replicas ${b.replicas}`,
          ...placementTooltip(b.placement),
        ].join('\n');
        if (b.placement?.degraded) t.iconPath = degradedIcon;
        return t;
      }
      case 'kvKey': {
        const c = node.child;
        const text = kvKeyLabel(c);
        const t = item(
          text.label,
          c.descendants > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
          c.isKey ? 'key' : 'folder',
          node.kind,
        );
        if (c.descendants > 0) t.description = `${c.estimated ? '≈ ' : ''}${plural(c.descendants, 'key')}`;
        t.tooltip =
          c.estimated && c.descendants > 0
            ? `${text.tooltip}\nThe count comes from the server's subject listing and includes deleted keys; opening it shows the live keys.`
            : text.tooltip;
        if (c.isKey) t.command = { command: Commands.kvShowValue, title: 'Show Value', arguments: [node] };
        t.contextValue = c.isKey ? 'kvKey' : 'kvPrefix';
        return t;
      }
      case 'kineType':
      case 'kineNamespace':
      case 'kineOther':
      case 'kineObject':
        return kineItem(node, this.kine);
      case 'objectStores':
      case 'objectStore':
      case 'object':
        return objectStoreItem(node);
      case 'services':
      case 'service':
      case 'serviceInstance':
      case 'serviceEndpoint':
        return serviceItem(node);
      case 'info': {
        const t = item(node.label, vscode.TreeItemCollapsibleState.None, node.icon, node.kind);
        t.description = node.description;
        t.tooltip = node.tooltip;
        if (node.command) t.command = fixCommand(node.command);
        return t;
      }
      case 'error': {
        const t = item(node.label, vscode.TreeItemCollapsibleState.None, 'error', node.kind);
        t.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
        t.tooltip = node.label;
        if (node.fix) t.command = fixCommand(node.fix);
        return t;
      }
      case 'empty':
        return item(node.label, vscode.TreeItemCollapsibleState.None, 'info', node.kind);
    }
  }

  async getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    try {
      return await this.children(node);
    } catch (err) {
      if (isCancelled(err))
        return [
          {
            kind: 'info',
            label: 'Listing cancelled',
            description: 'click to list again',
            tooltip: describeError(err),
            icon: 'circle-slash',
            // Clicked, only the level that was cancelled lists again; the rest of the tree stays as it is.
            command: { title: 'List Again', command: Commands.refreshConnections, args: node ? [node] : [] },
          },
        ];
      const target = node && 'conn' in node && node.conn ? node.conn.spec.servers.join(',') : undefined;
      const fix = err instanceof UserInputError ? err.fix : undefined;
      return [{ kind: 'error', label: describeError(err, target), ...(fix ? { fix } : {}) }];
    }
  }

  private async children(node?: ExplorerNode): Promise<ExplorerNode[]> {
    if (!node) {
      const list = await this.connections.list();
      const nodes: ExplorerNode[] = list.map((conn) => this.connectionNode(conn));
      for (const problem of this.connections.loadProblems) nodes.push({ kind: 'error', label: problem });
      for (const ignored of this.connections.ignoredSettings) {
        nodes.push({
          kind: 'info',
          label: `${ignored.key} from this workspace is ignored in Restricted Mode`,
          icon: 'workspace-untrusted',
          tooltip: `${ignored.file} sets ${ignored.key}; VS Code ignores it until you trust this workspace. Click to manage workspace trust.`,
          command: MANAGE_TRUST,
        });
      }
      return nodes;
    }
    switch (node.kind) {
      case 'connection':
        return this.connectionChildren(node.conn);
      case 'server':
        return serverChildren(await getServerOverview(await this.live(node.conn)));
      case 'cluster':
        return clusterChildren(node, await this.live(node.conn));
      case 'subjects': {
        const sampler = await this.sampling.start(node.conn.id, await this.live(node.conn));
        return subjectChildren(node.conn, sampler, undefined);
      }
      case 'subject': {
        const sampler = this.sampling.get(node.conn.id);
        return sampler ? subjectChildren(node.conn, sampler, node.child.subject) : [];
      }
      case 'streams': {
        this.markLoaded(node);
        const includeSystem = vscode.workspace
          .getConfiguration(Settings.section)
          .get<boolean>(Settings.showSystemStreams, false);
        const streams = await listStreams(await this.live(node.conn), { includeSystem });
        return streams.length
          ? streams.map((stream) => ({ kind: 'stream', conn: node.conn, stream }))
          : [{ kind: 'empty', label: 'No streams' }];
      }
      case 'stream': {
        const consumers = await listConsumers(await this.live(node.conn), node.stream.name);
        return consumers.length
          ? consumers.map((consumer) => ({ kind: 'consumer', conn: node.conn, consumer }))
          : [{ kind: 'empty', label: 'No consumers' }];
      }
      case 'buckets': {
        this.markLoaded(node);
        const session = await this.live(node.conn);
        const buckets = await listBuckets(session);
        // Which buckets hold kine data decides their menus (bucket health, …): a few reads each, for the first ones.
        await Promise.allSettled(
          buckets.slice(0, MAX_KINE_DETECTIONS).map((b) => this.kine.get(node.conn.id, session, b.bucket)),
        );
        return buckets.length
          ? buckets.map((bucket) => ({ kind: 'bucket', conn: node.conn, bucket }))
          : [{ kind: 'empty', label: 'No KV buckets' }];
      }
      case 'kineType':
      case 'kineNamespace':
      case 'kineOther':
        return kineChildren(
          this.kine,
          node,
          await this.live(node.conn),
          vscode.workspace.getConfiguration(Settings.section).get<boolean>(Settings.kineShowDeleted, false),
        );
      case 'bucket': {
        // A bucket written by K3s's kine shows as a Kubernetes tree; any other bucket as key levels.
        const known = this.kine.isKine(node.conn.id, node.bucket.bucket);
        const asKine = await kineBucketChildren(this.kine, node.conn, await this.live(node.conn), node.bucket.bucket);
        // Learned only now (a bucket past the first ones listed): the row's menus change with it.
        if (known === undefined && asKine) this.changed.fire(node);
        if (asKine) return asKine;
        return this.keyLevel(node.conn, node.bucket.bucket, undefined);
      }
      case 'kvKey':
        return this.keyLevel(node.conn, node.bucket, node.child.path);
      case 'objectStores':
        this.markLoaded(node);
        return objectStoreChildren(node, () => this.live(node.conn));
      case 'objectStore':
      case 'object':
        return objectStoreChildren(node, () => this.live(node.conn));
      case 'services':
      case 'service':
      case 'serviceInstance':
      case 'serviceEndpoint':
        return serviceChildren(node, () => this.live(node.conn));
      default:
        return [];
    }
  }

  private async keyLevel(conn: ManagedConnection, bucket: string, prefix: string | undefined): Promise<ExplorerNode[]> {
    const access = await this.live(conn);
    // The server's subject listing is the fast path; a server that ignores `subjects_filter` gets the key walk.
    const level = await withCancelOffer(
      `Listing the keys of bucket ${bucket}${prefix ? ` under ${prefix}` : ''}…`,
      async (signal) =>
        (await listKeyLevelFromSubjects(access, bucket, prefix, { maxChildren: MAX_KEY_CHILDREN, signal })) ??
        (await listKeyLevel(access, bucket, prefix, { maxChildren: MAX_KEY_CHILDREN, signal })),
    );
    const nodes: ExplorerNode[] = level.children.map((child) => ({ kind: 'kvKey', conn, bucket, child }));
    if (level.leftOut > 0)
      nodes.push({
        kind: 'info',
        label: `${formatCount(level.leftOut)}${level.leftOut >= MAX_LEFT_OUT_COUNTED ? '+' : ''} more not shown`,
        icon: 'ellipsis',
        tooltip: 'Expand a narrower prefix to see them.',
      });
    return nodes.length ? nodes : [{ kind: 'empty', label: 'No keys' }];
  }

  private connectionNode(conn: ManagedConnection): ExplorerNode {
    let node = this.connectionNodes.get(conn.id);
    if (!node || (node.kind === 'connection' && node.conn !== conn)) {
      node = { kind: 'connection', conn };
      this.connectionNodes.set(conn.id, node);
    }
    return node;
  }

  private async connectionChildren(conn: ManagedConnection): Promise<ExplorerNode[]> {
    if (conn.disconnected)
      return [
        {
          kind: 'info',
          label: 'Disconnected',
          description: 'click to connect',
          icon: 'debug-disconnect',
          command: { title: 'Connect', command: Commands.connect, args: [conn.id] },
        },
      ];
    const session = await this.connections.session(conn);
    const state = session.state;
    if (state.kind === 'failed') {
      const retry = state.retryInMs ? ` Retrying in ${Math.round(state.retryInMs / 1000)} s.` : '';
      return [{ kind: 'error', label: `${state.reason}${retry}`, conn }];
    }
    if (state.kind === 'connecting') return [{ kind: 'info', label: 'Connecting…', icon: 'loading~spin' }];
    if (state.kind === 'reconnecting') return [{ kind: 'info', label: 'Reconnecting…', icon: 'sync~spin' }];
    if (state.kind !== 'connected') return [{ kind: 'info', label: 'Not connected', icon: 'debug-disconnect' }];
    const nodes: ExplorerNode[] = [{ kind: 'server', conn }, { kind: 'cluster', conn }, this.subjectsNode(conn)];
    if (session.connection().info?.jetstream) {
      // New list nodes on every redraw of the connection: forget the old ones, the view no longer holds them.
      this.loadedLists.delete(conn.id);
      nodes.push({ kind: 'streams', conn }, { kind: 'buckets', conn }, objectStoresNode(conn));
    } else
      nodes.push({
        kind: 'info',
        label: 'JetStream off',
        icon: 'circle-slash',
        tooltip: 'This server runs without JetStream: no streams, KV buckets or object stores.',
      });
    // Services need only core NATS, so they show with or without JetStream.
    nodes.push(servicesNode(conn));
    return nodes;
  }

  private markLoaded(node: ExplorerNode & { conn: ManagedConnection }): void {
    // A redraw of the connection makes its list nodes again: keep the newest of each kind, never a growing list of
    // nodes the view no longer shows.
    const list = (this.loadedLists.get(node.conn.id) ?? []).filter((n) => n.kind !== node.kind);
    list.push(node);
    this.loadedLists.set(node.conn.id, list);
  }

  private subjectsNode(conn: ManagedConnection): ExplorerNode {
    let node = this.subjectsNodes.get(conn.id);
    if (!node || (node.kind === 'subjects' && node.conn !== conn)) {
      node = { kind: 'subjects', conn };
      this.subjectsNodes.set(conn.id, node);
    }
    return node;
  }

  private async live(conn: ManagedConnection): Promise<NatsSession> {
    return this.connections.session(conn);
  }

  dispose(): void {
    clearInterval(this.refreshTimer);
    for (const d of this.subscriptions) d.dispose();
    this.changed.dispose();
  }
}

const degradedIcon = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));

/** `R3 · leader n1, n3 offline` on a cluster; nothing on a single server. */
function placementText(replicas: number, placement: Placement | undefined): string {
  return placement ? `R${replicas} · ${placementPhrase(placement)}` : '';
}

function placementTooltip(placement: Placement | undefined): string[] {
  return placement ? [`cluster ${placement.cluster ?? ''}: ${placementLines(placement).join('; ')}`] : [];
}

/** `t` with its label, description and tooltip scrubbed of secrets. */
function scrubbedItem(t: vscode.TreeItem, scrub: (text: string) => string): vscode.TreeItem {
  if (typeof t.label === 'string') t.label = scrub(t.label);
  if (typeof t.description === 'string') t.description = scrub(t.description);
  if (typeof t.tooltip === 'string') t.tooltip = scrub(t.tooltip);
  else if (t.tooltip instanceof vscode.MarkdownString)
    t.tooltip = new vscode.MarkdownString(scrub(t.tooltip.value), t.tooltip.supportThemeIcons);
  return t;
}

function item(
  label: string,
  state: vscode.TreeItemCollapsibleState,
  icon: string,
  contextValue: string,
): vscode.TreeItem {
  const t = new vscode.TreeItem(label, state);
  t.iconPath = new vscode.ThemeIcon(icon);
  t.contextValue = contextValue;
  return t;
}

function connectionItem(conn: ManagedConnection): vscode.TreeItem {
  const spec = conn.spec;
  const state = conn.session?.state;
  const t = new vscode.TreeItem(spec.name, vscode.TreeItemCollapsibleState.Collapsed);
  const where = spec.servers.join(', ') || (spec.cluster ? `${spec.cluster.release} in ${spec.cluster.namespace}` : '');
  const origin =
    spec.origin === 'cliContext'
      ? `nats context${spec.selected ? ' (selected)' : ''}`
      : spec.origin === 'settings'
        ? 'settings'
        : 'default';
  const status = conn.disconnected
    ? 'disconnected'
    : !state || state.kind === 'idle'
      ? ''
      : state.kind === 'failed'
        ? 'failed'
        : state.kind;
  t.description = [where, status].filter(Boolean).join(' · ');
  t.tooltip = new vscode.MarkdownString(
    [`**${spec.name}** (${origin})`, where, state?.kind === 'failed' ? state.reason : status]
      .filter(Boolean)
      .join('\n\n'),
  );
  const icons: Record<string, [string, string?]> = {
    connected: ['vm-connect', 'testing.iconPassed'],
    connecting: ['loading~spin'],
    reconnecting: ['sync~spin', 'list.warningForeground'],
    failed: ['error', 'errorForeground'],
    disconnected: ['debug-disconnect'],
  };
  const [icon, color] = icons[conn.disconnected ? 'disconnected' : (state?.kind ?? '')] ?? ['plug'];
  t.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
  t.contextValue = connectionContext(conn);
  t.id = conn.id;
  return t;
}

/** The Server row: the server's name, cluster and version from the INFO it sent, its ID only in the tooltip. */
function serverItem(conn: ManagedConnection): vscode.TreeItem {
  const t = item('Server', vscode.TreeItemCollapsibleState.Collapsed, 'server', 'server');
  const info = conn.session?.state.kind === 'connected' ? conn.session.connection().info : undefined;
  if (info) {
    const id = serverIdentity({ serverName: info.server_name, serverId: info.server_id });
    t.description = [id.name, info.cluster ? `cluster ${info.cluster}` : '', `v${info.version}`]
      .filter(Boolean)
      .join(' · ');
    t.tooltip = `nats-server ${info.version}${id.name ? ` '${id.name}'` : ''}${info.cluster ? ` in cluster ${info.cluster}` : ''} at ${info.host}:${info.port}\nserver ID ${info.server_id}`;
  }
  return t;
}

/**
 * `connection.<state>` and what the menus need to know about it: `+secret` when its auth takes a secret from VS Code's
 * secret storage, `+settings` when it is an entry of natsK3s.connections (which Edit and Remove change).
 */
function connectionContext(conn: ManagedConnection): string {
  const state = conn.disconnected ? 'disconnected' : (conn.session?.state.kind ?? 'idle');
  return [
    `connection.${state}`,
    secretKeyOf(conn.spec) ? 'secret' : '',
    conn.spec.origin === 'settings' ? 'settings' : '',
  ]
    .filter(Boolean)
    .join('+');
}

function serverChildren(o: ServerOverview): ExplorerNode[] {
  const id = serverIdentity(o);
  const nodes: ExplorerNode[] = [
    {
      kind: 'info',
      label: `nats-server ${o.version}`,
      description: [id.name, o.cluster ? `cluster ${o.cluster.name}` : ''].filter(Boolean).join(' · ') || undefined,
      icon: 'server',
      tooltip: `${id.name ? `name ${id.name}\n` : ''}server ID ${o.serverId}\nat ${o.host}`,
    },
  ];
  if (o.cluster)
    nodes.push({
      kind: 'info',
      label: `cluster ${o.cluster.name}`,
      description: `${o.cluster.peers.length} peers`,
      tooltip: o.cluster.peers.join('\n'),
      icon: 'type-hierarchy',
    });
  if (!o.jetstream) {
    nodes.push({ kind: 'info', label: 'JetStream off', icon: 'circle-slash' });
    return nodes;
  }
  const a = o.account;
  nodes.push({
    kind: 'info',
    label: 'JetStream on',
    description: a ? `${streamCounts(a)} · ${plural(a.consumers, 'consumer')}` : 'not enabled for this account',
    tooltip: a
      ? `The account holds ${plural(a.streams, 'stream')} in all. KV buckets and object stores keep their data in streams (KV_…, OBJ_…), which the Streams node lists only with natsK3s.showSystemStreams.`
      : undefined,
    icon: 'database',
  });
  if (a) {
    const limit = (n: number, f: (x: number) => string) => (n < 0 ? 'unlimited' : f(n));
    nodes.push(
      {
        kind: 'info',
        label: 'memory',
        description: `${formatBytes(a.memoryBytes)} of ${limit(a.limits.memoryBytes, formatBytes)}`,
        icon: 'chip',
      },
      {
        kind: 'info',
        label: 'storage',
        description: `${formatBytes(a.storageBytes)} of ${limit(a.limits.storageBytes, formatBytes)}`,
        icon: 'save',
      },
    );
  }
  return nodes;
}

/** `1 stream, 2 KV buckets`: what the account's streams back, so the count matches what the Streams node lists. */
function streamCounts(a: AccountUsage): string {
  const k = a.streamKinds;
  if (!k) return plural(a.streams, 'stream');
  const parts = [plural(k.plain, 'stream')];
  if (k.kv) parts.push(plural(k.kv, 'KV bucket'));
  if (k.objectStore) parts.push(plural(k.objectStore, 'object store'));
  return parts.join(', ');
}

/** On a server older than 2.11 the consumer's tooltip says pausing is not there, and which version brings it. */
function pauseNoteOf(conn: ManagedConnection): string | undefined {
  const session = conn.session;
  if (session?.state.kind !== 'connected') return undefined;
  try {
    const unsupported = consumerPauseUnsupported(session);
    return unsupported
      ? `Pause and resume need nats-server ${unsupported.needs} (this server runs ${unsupported.serverVersion}); the menu leaves them out.`
      : undefined;
  } catch {
    return undefined;
  }
}
