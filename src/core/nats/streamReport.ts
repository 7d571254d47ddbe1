import type { StreamInfo } from '@nats-io/jetstream';
import { formatBytes, formatCount } from '../format/units';

/** The row `nats stream report` prints for a stream (natscli `cli/stream_command.go`). */
export interface StreamReportRow {
  readonly stream: string;
  readonly storage: string;
  /** Cluster name and leader, or empty on a single server. */
  readonly placement: string;
  readonly consumers: number;
  readonly messages: number;
  readonly bytes: number;
  readonly lostMessages: number;
  /** Interior deletes: per-subject history eviction leaves these gaps. */
  readonly deleted: number;
  /** The stream's required API level, when the server stamps one (2.11+). */
  readonly apiLevel?: string;
  readonly replicas: number;
}

/** The `nats stream report` columns from stream info. */
export function streamReportRow(info: StreamInfo): StreamReportRow {
  const cluster = info.cluster;
  const placement = cluster?.name ? `${cluster.name}${cluster.leader ? ` (leader ${cluster.leader})` : ''}` : '';
  const level = (info.config as { metadata?: Record<string, string> }).metadata?.['_nats.req.level'];
  return {
    stream: info.config.name,
    storage: info.config.storage === 'memory' ? 'Memory' : 'File',
    placement,
    consumers: info.state.consumer_count,
    messages: info.state.messages,
    bytes: info.state.bytes,
    lostMessages: info.state.lost?.msgs?.length ?? 0,
    deleted: info.state.num_deleted ?? 0,
    apiLevel: level,
    replicas: info.config.num_replicas,
  };
}

/**
 * The rows as a Markdown table, in the order `nats stream report -a` prints them (by name); an empty list says so.
 */
export function streamReportMarkdown(rows: readonly StreamReportRow[]): string {
  if (rows.length === 0) return '_No streams._\n';
  const head =
    '| Stream | Storage | Placement | Replicas | Consumers | Messages | Bytes | Lost | Deleted |\n| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |';
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const body = [...rows]
    .sort((a, b) => a.stream.localeCompare(b.stream))
    .map(
      (r) =>
        `| ${cell(r.stream)} | ${r.storage} | ${cell(r.placement) || '–'} | ${r.replicas} | ${formatCount(r.consumers)} | ${formatCount(r.messages)} | ${formatBytes(r.bytes)} | ${formatCount(r.lostMessages)} | ${formatCount(r.deleted)} |`,
    );
  return `${head}\n${body.join('\n')}\n`;
}
