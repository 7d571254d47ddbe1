import type { KineBucketHealth } from './bucketHealth';

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
    ...h.topResources.map((r) => `  ${String(r.revisions).padStart(8)}  ${r.resource} (${r.storedKeys} keys)`),
  ];
}
