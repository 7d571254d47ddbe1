import type { KineBucketHealth } from './bucketHealth';
import { escapeControl } from '../text/escapeControl';

/** The bucket health as aligned text lines, shared by `nats-k3s kine health` and the editor's health document. */
export function healthReportLines(h: KineBucketHealth): string[] {
  return [
    `bucket:               ${h.bucket} (stream ${h.report.stream}, ${h.report.storage}, replicas ${h.report.replicas}, history ${h.history})`,
    `live keys:            ${h.liveKeys}`,
    `deleted keys stored:  ${h.deletedKeysStored}`,
    `messages:             ${h.messages} (${h.messagesPerLiveKey} per live key)`,
    `bytes:                ${h.bytes}`,
    `revisions:            ${h.oldestRevision} … ${h.newestRevision}`,
    `compaction revision:  ${h.compactRevision ?? 'none stored'}`,
    `consumers:            ${h.report.consumers}`,
    `interior deletes:     ${h.report.deleted}   lost: ${h.report.lostMessages}`,
    'top resource types by revisions:',
    // Resource names are decoded from the bucket's keys: one line each, whatever they hold.
    ...h.topResources.map(
      (r) => `  ${String(r.revisions).padStart(8)}  ${escapeControl(r.resource)} (${r.storedKeys} keys)`,
    ),
  ];
}
