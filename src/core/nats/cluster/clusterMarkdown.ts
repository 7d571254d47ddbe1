import { formatBytes, formatCount } from '../../format/units';
import type { Placement } from '../placement';
import type { AccountReport } from './accountInfo';
import type { ClusterView } from './clusterServers';
import type { JetStreamHealth, ReplicatedAsset } from './jetstreamHealth';
import type { ConnectionPage } from './serverConnections';
import { disabledSentence } from './serverFeatures';

const cell = (s: string) => s.replace(/[|\\`*_[\]<>]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ');

function table(head: string[], right: boolean[], rows: string[][]): string {
  const sep = right.map((r) => (r ? '---:' : '---'));
  return [head, sep, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

/** `current`, `lagging (12 behind)`, `offline (seen 8.1 s ago)`. */
function replicaCell(p: Placement | undefined): string {
  if (!p) return '–';
  return p.replicas
    .map((r) => {
      if (r.leader) return `${cell(r.name)}\\*`;
      const extra =
        r.state === 'lagging' && r.lag > 0
          ? ` ${r.lag} behind`
          : r.state === 'offline' && r.lastSeenMs >= 1000
            ? ` seen ${(r.lastSeenMs / 1000).toFixed(1)} s ago`
            : '';
      return `${cell(r.name)} ${r.state}${extra}`;
    })
    .join(', ');
}

function stateOf(a: { placement?: Placement; replicas: number }): string {
  const p = a.placement;
  if (!p) return 'single server';
  if (!p.leader) return '**no leader**';
  return p.degraded ? '**degraded**' : 'healthy';
}

/** The JetStream health document: what `nats server report jetstream` and `nats server check stream` show. */
export function jetstreamHealthMarkdown(h: JetStreamHealth, title: string): string {
  const out = [`# JetStream health of ${cell(title)}`, ''];
  const troubled = h.assets.filter((a) => a.placement?.degraded);
  out.push(
    troubled.length
      ? `**${troubled.length} of ${h.assets.length} streams and consumers have a replica lagging or offline, or no leader.**`
      : `All ${h.assets.length} streams and consumers have a leader and every replica current.`,
    '',
  );
  for (const n of h.notes) out.push(`> ${cell(n)}`, '');
  for (const d of h.disabled) out.push(`- _Disabled_: ${cell(disabledSentence(d))}`);
  if (h.disabled.length) out.push('');
  if (h.servers.length) {
    out.push('## Servers', '');
    out.push(
      table(
        [
          'Server',
          'Version',
          'Cluster',
          'Streams',
          'Consumers',
          'Messages',
          'Bytes',
          'Memory',
          'File',
          'API Req',
          'API Err',
        ],
        [false, false, false, true, true, true, true, true, true, true, true],
        h.servers.map((s) => [
          `${cell(s.name)}${s.metaLeader ? '\\*' : ''}`,
          cell(s.version),
          cell(s.cluster ?? '–'),
          formatCount(s.streams),
          formatCount(s.consumers),
          formatCount(s.messages),
          formatBytes(s.bytes),
          formatBytes(s.memoryBytes),
          formatBytes(s.storageBytes),
          formatCount(s.apiRequests),
          formatCount(s.apiErrors),
        ]),
      ),
      '',
      '\\* meta leader',
      '',
    );
  }
  if (h.meta) {
    out.push('## Meta group', '', `Leader: ${h.meta.leader ? cell(h.meta.leader) : '**none**'}`, '');
    out.push(
      table(
        ['Peer', 'Leader', 'State', 'Behind', 'Last seen'],
        [false, false, false, true, true],
        h.meta.replicas.map((r) => [
          cell(r.name),
          r.leader ? 'yes' : '',
          r.state,
          formatCount(r.lag),
          r.leader ? '–' : `${(r.lastSeenMs / 1000).toFixed(1)} s`,
        ]),
      ),
      '',
    );
  }
  out.push('## Streams and consumers', '');
  if (h.assets.length === 0) out.push('_No streams._', '');
  else {
    const paused = !h.disabled.some((d) => d.feature === 'consumerPause');
    const head = ['Account', 'Stream', 'Consumer', 'Replicas', 'State', 'Leader', 'Replica states'];
    if (paused) head.push('Paused');
    out.push(
      table(
        head,
        head.map((c) => c === 'Replicas'),
        h.assets.map((a: ReplicatedAsset) => {
          const row = [
            cell(a.account ?? '(this account)'),
            cell(a.stream),
            a.consumer ? cell(a.consumer) : '–',
            `R${a.replicas}`,
            stateOf(a),
            a.placement?.leader ? cell(a.placement.leader) : '–',
            replicaCell(a.placement),
          ];
          if (paused) row.push(a.consumer ? (a.paused ? 'yes' : 'no') : '–');
          return row;
        }),
      ),
      '',
      '\\* leader',
      '',
    );
  }
  return `${out.join('\n')}\n`;
}

/** Every server of the cluster with its routes, gateways and leafnodes. */
export function clusterServersMarkdown(v: ClusterView, title: string): string {
  const list = (xs: readonly string[] | undefined) =>
    xs === undefined ? 'unknown' : xs.length ? xs.map(cell).join(', ') : 'none';
  const out = [`# Servers of ${cell(title)}`, ''];
  for (const n of v.notes) out.push(`> ${cell(n)}`, '');
  out.push(
    table(
      ['Server', 'Version', 'Cluster', 'Host', 'Connections', 'Routes', 'Gateways', 'Leafnodes'],
      [false, false, false, false, true, false, false, false],
      v.servers.map((s) => [
        `${cell(s.name)}${s.connected ? ' (connected)' : ''}`,
        cell(s.version),
        cell(s.cluster ?? '–'),
        cell(s.host ?? '–'),
        s.connections === undefined ? '–' : formatCount(s.connections),
        list(s.routes),
        list(s.gateways),
        list(s.leafnodes),
      ]),
    ),
  );
  return `${out.join('\n')}\n`;
}

/** One page of a server's connections. */
export function connectionsMarkdown(p: ConnectionPage, sort: 'rate' | 'pending'): string {
  const out = [
    `# Connections of ${cell(p.server)}, by ${sort === 'rate' ? 'messages a second' : 'pending bytes'}`,
    '',
    `${formatCount(p.rows.length)} shown (from ${formatCount(p.offset + 1)}) of ${formatCount(p.total)}.`,
    '',
  ];
  for (const n of p.notes) out.push(`> ${cell(n)}`, '');
  out.push(
    table(
      [
        'CID',
        'Name',
        'Address',
        'Account',
        'Client',
        'Msgs/s',
        'Pending',
        'Subs',
        'In msgs',
        'Out msgs',
        'RTT',
        'Uptime',
      ],
      [true, false, false, false, false, true, true, true, true, true, false, false],
      p.rows.map((r) => [
        String(r.cid),
        cell(r.name || '–'),
        cell(r.address),
        cell(r.account ?? '–'),
        cell(r.client || '–'),
        r.msgsPerSecond === undefined ? '–' : r.msgsPerSecond.toFixed(1),
        formatBytes(r.pendingBytes),
        formatCount(r.subscriptions),
        formatCount(r.inMsgs),
        formatCount(r.outMsgs),
        cell(r.rtt ?? '–'),
        cell(r.uptime ?? '–'),
      ]),
    ),
  );
  return `${out.join('\n')}\n`;
}

/** The account's JetStream limits and usage. */
export function accountMarkdown(a: AccountReport, title: string): string {
  const of = (u: { used: number; limit: number }, f: (n: number) => string) =>
    `${f(u.used)} of ${u.limit < 0 ? 'unlimited' : f(u.limit)}`;
  const out = [`# JetStream account of ${cell(title)}`, ''];
  if (a.domain) out.push(`Domain: ${cell(a.domain)}`, '');
  out.push(
    `API: ${formatCount(a.apiRequests)} requests, ${formatCount(a.apiErrors)} errors${a.apiLevel !== undefined ? `, level ${a.apiLevel}` : ''}`,
    '',
    table(
      ['Tier', 'Memory', 'Storage', 'Streams', 'Consumers', 'Max ack pending'],
      [false, true, true, true, true, true],
      a.tiers.map((t) => [
        t.tier,
        of(t.memory, formatBytes),
        of(t.storage, formatBytes),
        of(t.streams, formatCount),
        of(t.consumers, formatCount),
        t.maxAckPending < 0 ? 'unlimited' : formatCount(t.maxAckPending),
      ]),
    ),
  );
  return `${out.join('\n')}\n`;
}
