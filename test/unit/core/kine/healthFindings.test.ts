import * as assert from 'node:assert/strict';
import {
  COMPACTION_LAG_REVISIONS,
  HISTORY_MIN_MESSAGES,
  healthFindings,
  KINE_READY_TIMEOUT_S,
  REPLAY_BYTES_PER_S_NEW,
  REPLAY_BYTES_PER_S_OLD,
  type HealthFacts,
} from '../../../../src/core/kine/healthFindings';
import { placementOf } from '../../../../src/core/nats/placement';

const now = new Date('2026-11-30T02:00:00Z');
/** A healthy R3 bucket on a 3-node cluster: every rule quiet. */
const healthy: HealthFacts = {
  bucket: 'kine',
  liveKeys: 1000,
  deletedKeysStored: 100,
  messages: 4000,
  bytes: 8 * 2 ** 20,
  history: 10,
  replicas: 3,
  newestRevision: 9000,
  compactRevision: 8500,
  compactedAt: new Date(now.getTime() - 120_000),
  allowDirect: true,
  placement: placementOf(
    {
      name: 'c',
      leader: 'n1',
      replicas: [
        { name: 'n2', current: true, offline: false, active: 1e6, lag: 0 },
        { name: 'n3', current: true, offline: false, active: 1e6, lag: 0 },
      ],
    },
    3,
  ),
  clusterSize: 3,
  now,
};
const codes = (f: Partial<HealthFacts>) => healthFindings({ ...healthy, ...f }).map((x) => `${x.severity}:${x.code}`);

describe('kine health findings', () => {
  it('a healthy R3 bucket has none', () => {
    assert.deepEqual(codes({}), []);
  });

  it('replay time: an error past kine 0.16.4+ ready timeout, a warning past the old one or half the new', () => {
    const at = (rate: number, seconds: number) => Math.ceil(rate * seconds);
    assert.deepEqual(codes({ bytes: at(REPLAY_BYTES_PER_S_NEW, KINE_READY_TIMEOUT_S) }), ['error:replay-timeout']);
    assert.deepEqual(codes({ bytes: at(REPLAY_BYTES_PER_S_OLD, KINE_READY_TIMEOUT_S) }), ['warning:replay-slow']);
    assert.deepEqual(codes({ bytes: at(REPLAY_BYTES_PER_S_OLD, KINE_READY_TIMEOUT_S) - 2 }), []);
    const f = healthFindings({ ...healthy, bytes: 10 * 2 ** 30 })[0];
    assert.match(f.predicts, /kine#720/);
    assert.match(f.action, /estimate/);
  });

  it('history: only when the messages are many and dwarf the live keys', () => {
    assert.deepEqual(codes({ messages: HISTORY_MIN_MESSAGES, liveKeys: HISTORY_MIN_MESSAGES / 5 }), [
      'warning:history-heavy',
    ]);
    assert.deepEqual(codes({ messages: HISTORY_MIN_MESSAGES - 1, liveKeys: 10 }), []);
    assert.deepEqual(codes({ messages: HISTORY_MIN_MESSAGES, liveKeys: HISTORY_MIN_MESSAGES / 4 }), []);
    assert.deepEqual(codes({ deletedKeysStored: 5000, liveKeys: 1000 }), ['info:deleted-keys']);
    // A scan that timed out counts no keys: the key rules stay quiet and say why.
    assert.deepEqual(codes({ keysKnown: false, liveKeys: 0, deletedKeysStored: 0, messages: 50_000 }), [
      'warning:keys-unknown',
    ]);
  });

  it('compaction: stalled when old and behind, far behind by the write rate, none stored on a big bucket', () => {
    const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
    assert.deepEqual(codes({ compactRevision: healthy.newestRevision - 1001, compactedAt: minutesAgo(16) }), [
      'warning:compaction-stalled',
    ]);
    assert.deepEqual(codes({ compactRevision: healthy.newestRevision - 1000, compactedAt: minutesAgo(16) }), []);
    assert.deepEqual(codes({ compactRevision: healthy.newestRevision - COMPACTION_LAG_REVISIONS }), [
      'info:compaction-behind',
    ]);
    assert.deepEqual(
      codes({ compactRevision: healthy.newestRevision - COMPACTION_LAG_REVISIONS, compactedAt: undefined }),
      ['warning:compaction-behind'],
    );
    assert.deepEqual(codes({ compactRevision: healthy.newestRevision - COMPACTION_LAG_REVISIONS + 1 }), []);
    assert.deepEqual(codes({ compactRevision: undefined, newestRevision: COMPACTION_LAG_REVISIONS + 1 }), [
      'info:compaction-none',
    ]);
    const f = healthFindings({
      ...healthy,
      compactRevision: 1,
      newestRevision: 50_000,
      compactedAt: minutesAgo(30),
    })[0];
    assert.match(f.seen, /49999 revisions behind the newest \(50000\), last written 30 min ago/);
  });

  it('cluster: no leader is an error; offline and lagging replicas, R1 on a cluster and even replicas are flagged', () => {
    const p = (leader: string | undefined, n3: { current: boolean; offline: boolean; lag: number }) =>
      placementOf(
        {
          name: 'c',
          leader,
          replicas: [
            { name: 'n2', current: true, offline: false, active: 1e6, lag: 0 },
            { name: 'n3', active: 9e9, ...n3 },
          ],
        },
        3,
      );
    assert.deepEqual(codes({ placement: p(undefined, { current: true, offline: false, lag: 0 }) }), [
      'error:no-leader',
    ]);
    const offline = healthFindings({ ...healthy, placement: p('n1', { current: false, offline: true, lag: 0 }) });
    assert.deepEqual(
      offline.map((f) => f.code),
      ['replica-offline'],
    );
    assert.match(offline[0].seen, /Replica n3 of KV_kine is offline \(last seen 9 s ago\)/);
    assert.match(offline[0].predicts, /Direct gets are on.*kine#406/);
    assert.deepEqual(codes({ placement: p('n1', { current: false, offline: false, lag: 42 }) }), [
      'warning:replica-lagging',
    ]);
    assert.deepEqual(codes({ replicas: 1, placement: undefined }), ['warning:single-replica']);
    assert.deepEqual(codes({ replicas: 1, placement: undefined, clusterSize: 1 }), []);
    assert.deepEqual(codes({ replicas: 4 }), ['info:even-replicas']);
    assert.deepEqual(codes({ allowDirect: false }), ['info:direct-off']);
  });

  it('orders errors first', () => {
    const all = healthFindings({ ...healthy, replicas: 1, bytes: 20 * 2 ** 30, allowDirect: false });
    assert.deepEqual(
      all.map((f) => f.severity),
      ['error', 'warning', 'info'],
    );
  });
});
