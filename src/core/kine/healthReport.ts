import type { KineBucketHealth } from './bucketHealth';
import type { HealthFinding } from './healthFindings';
import { placementLines } from '../nats/placement';
import { escapeControl } from '../text/escapeControl';

/** The bucket health as aligned text lines, shared by `nats-k3s kine health` and the editor's health document. */
export function healthReportLines(h: KineBucketHealth): string[] {
  const p = h.placement;
  return [
    `bucket:               ${escapeControl(h.bucket)} (stream ${escapeControl(h.report.stream)}, ${h.report.storage}, replicas ${h.report.replicas}, history ${h.history})`,
    `live keys:            ${h.keysKnown ? h.liveKeys : 'not counted (the key scan timed out)'}`,
    `deleted keys stored:  ${h.keysKnown ? h.deletedKeysStored : 'not counted'}`,
    `messages:             ${h.messages} (${h.messagesPerLiveKey} per live key)`,
    `bytes:                ${h.bytes}`,
    `revisions:            ${h.oldestRevision} … ${h.newestRevision}`,
    `compaction revision:  ${h.compactRevision === undefined ? 'none stored' : `${h.compactRevision} (${h.newestRevision - h.compactRevision} behind${h.compactedAt ? `, written ${h.compactedAt.toISOString()}` : ''})`}`,
    `consumers:            ${h.report.consumers}`,
    `interior deletes:     ${h.report.deleted}   lost: ${h.report.lostMessages}`,
    `direct gets:          ${h.allowDirect ? 'on' : 'off'}`,
    `cluster:              ${p ? `${escapeControl(p.cluster ?? '(unnamed)')}, ${h.clusterSize} servers, leader ${escapeControl(p.leader ?? 'none')}` : 'single server'}`,
    ...(p ? placementLines(p).map((l) => `  ${escapeControl(l)}`) : []),
    'top resource types by revisions:',
    // Resource names are decoded from the bucket's keys: one line each, whatever they hold.
    ...h.topResources.map(
      (r) => `  ${String(r.revisions).padStart(8)}  ${escapeControl(r.resource)} (${r.storedKeys} keys)`,
    ),
    '',
    ...findingLines(h.findings),
  ];
}

/** The findings as blocks of three sentences each, or one line saying there are none. */
export function findingLines(findings: readonly HealthFinding[]): string[] {
  if (findings.length === 0) return ['findings: none; nothing here predicts a known kine failure.'];
  const lines = [`findings: ${findings.length}`];
  for (const f of findings) {
    lines.push(
      `${f.severity.toUpperCase()} [${f.code}] ${escapeControl(f.seen)}`,
      `  predicts: ${escapeControl(f.predicts)}`,
      `  do:       ${escapeControl(f.action)}`,
    );
  }
  return lines;
}
