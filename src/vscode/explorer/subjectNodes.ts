import * as vscode from 'vscode';
import { formatCount, plural } from '../../core/format/units';
import type { SamplerThread } from '../../core/nats/samplerThread';
import type { SubjectChild } from '../../core/nats/subjectSampler';
import type { ManagedConnection } from './connectionManager';
import { sampleWindow, subjectLabel } from './dataLabels';
import { escapeControl } from '../../core/text/escapeControl';
import type { ExplorerNode } from './explorerNodes';

const STOP_REASONS: Record<string, string> = {
  timeLimit: 'stopped at its time limit',
  stopped: 'stopped',
  closed: 'stopped: the connection closed',
  error: 'stopped by an error',
};

/** The Subjects node: what is being sampled and how much was seen. */
export function subjectsItem(sampler: SamplerThread | undefined): vscode.TreeItem {
  const t = new vscode.TreeItem('Subjects', vscode.TreeItemCollapsibleState.Collapsed);
  t.iconPath = new vscode.ThemeIcon('symbol-namespace');
  t.contextValue = 'subjects';
  const s = sampler?.stats();
  if (s) {
    const state = s.running
      ? s.reconnecting
        ? 'sampling (reconnecting…)'
        : 'sampling'
      : STOP_REASONS[s.stopReason ?? 'stopped'];
    const window = sampleWindow(s.elapsedMs);
    t.description = `${plural(s.distinctSubjects, 'subject')} · ${plural(s.messages, 'msg')} in ${window} · ${state}`;
    t.tooltip = `Live sample of '>' (system subjects left out): the counts are of the messages seen in the ${window} since it started, not totals. Collapse to stop, expand to start again.${s.error ? `\n${s.error}` : ''}`;
  } else {
    t.tooltip = "Expand to sample live traffic on '>' (system subjects left out).";
  }
  return t;
}

export function subjectItem(c: SubjectChild): vscode.TreeItem {
  const text = subjectLabel(c);
  const t = new vscode.TreeItem(
    text.label,
    c.childCount > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
  );
  t.iconPath = new vscode.ThemeIcon(c.childCount > 0 ? 'symbol-namespace' : 'symbol-event');
  t.description = `${plural(c.messages, 'msg')}${c.ratePerSec > 0 ? ` · ${c.ratePerSec}/s` : ''}${c.streams.length ? ` · ${c.streams.map(escapeControl).join(', ')}` : ''}`;
  t.tooltip = text.tooltip;
  t.contextValue = 'subject';
  return t;
}

/** One level of the sampled tree, plus a note on subjects left out by the cap. */
export async function subjectChildren(
  conn: ManagedConnection,
  sampler: SamplerThread,
  subject: string | undefined,
): Promise<ExplorerNode[]> {
  const nodes: ExplorerNode[] = (await sampler.children(subject)).map((child) => ({ kind: 'subject', conn, child }));
  const s = sampler.stats();
  if (subject === undefined) {
    if (s.leftOutSubjects > 0)
      nodes.push({
        kind: 'info',
        label: `${formatCount(s.leftOutSubjects)} more subjects not shown`,
        description: `${formatCount(s.leftOutMessages)} msgs`,
        icon: 'ellipsis',
        tooltip: 'The sample keeps natsK3s.subjects.maxSubjects distinct subjects.',
      });
    if (nodes.length === 0)
      nodes.push({ kind: 'empty', label: s.running ? 'Listening… no messages yet' : 'No messages were seen' });
  }
  return nodes;
}
