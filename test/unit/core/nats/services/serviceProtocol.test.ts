import * as assert from 'node:assert/strict';
import {
  MAX_ENDPOINTS,
  parseIdentity,
  parseInfo,
  parseStats,
  verbSubject,
} from '../../../../../src/core/nats/services/serviceProtocol';

const bytes = (v: unknown) => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));
const base = { name: 'calc', id: 'ID1', version: '1.0.0', metadata: { zone: 'a', n: 3 } };

describe('services protocol v1 replies', () => {
  it('addresses all services, one service, or one instance', () => {
    assert.equal(verbSubject('PING'), '$SRV.PING');
    assert.equal(verbSubject('INFO', 'calc'), '$SRV.INFO.calc');
    assert.equal(verbSubject('STATS', 'calc', 'ID1'), '$SRV.STATS.calc.ID1');
    // An id without a name would address another service: it is dropped.
    assert.equal(verbSubject('STATS', undefined, 'ID1'), '$SRV.STATS');
  });

  it('reads a ping, keeping only string metadata', () => {
    assert.deepEqual(parseIdentity(bytes({ type: 'io.nats.micro.v1.ping_response', ...base })), {
      name: 'calc',
      id: 'ID1',
      version: '1.0.0',
      metadata: { zone: 'a' },
    });
  });

  it('rejects what is not a reply of the asked verb', () => {
    assert.equal(parseIdentity(bytes('not json')), undefined);
    assert.equal(parseIdentity(bytes([1, 2])), undefined);
    assert.equal(parseIdentity(bytes({ type: 'io.nats.micro.v1.info_response', ...base })), undefined);
    assert.equal(parseIdentity(bytes({ type: 'io.nats.micro.v1.ping_response', name: 'calc' })), undefined);
    assert.equal(parseInfo(bytes({ type: 'io.nats.micro.v1.ping_response', ...base })), undefined);
  });

  it('reads info endpoints, skipping malformed ones', () => {
    const info = parseInfo(
      bytes({
        type: 'io.nats.micro.v1.info_response',
        ...base,
        description: 'adds',
        endpoints: [
          { name: 'add', subject: 'calc.add', queue_group: 'q', metadata: null },
          { name: 'broken' },
          'nonsense',
          { name: 'sub', subject: 'calc.sub' },
        ],
      }),
    )!;
    assert.equal(info.description, 'adds');
    assert.deepEqual(info.endpoints, [
      { name: 'add', subject: 'calc.add', queueGroup: 'q', metadata: {} },
      { name: 'sub', subject: 'calc.sub', metadata: {} },
    ]);
  });

  it('reads stats, nanoseconds as milliseconds, and nonsense numbers as zero', () => {
    const stats = parseStats(
      bytes({
        type: 'io.nats.micro.v1.stats_response',
        ...base,
        started: '2026-11-30T02:00:00Z',
        endpoints: [
          {
            name: 'add',
            subject: 'calc.add',
            num_requests: 4,
            num_errors: 1,
            last_error: '500:boom',
            processing_time: 8_000_000,
            average_processing_time: 2_000_000,
          },
          {
            name: 'sub',
            subject: 'calc.sub',
            num_requests: -3,
            num_errors: 'x',
            processing_time: Number.MAX_VALUE * 2,
          },
        ],
      }),
    )!;
    assert.equal(stats.started, '2026-11-30T02:00:00Z');
    assert.deepEqual(stats.endpoints[0], {
      name: 'add',
      subject: 'calc.add',
      requests: 4,
      errors: 1,
      lastError: '500:boom',
      processingMs: 8,
      averageMs: 2,
    });
    assert.deepEqual(
      [stats.endpoints[1]!.requests, stats.endpoints[1]!.errors, stats.endpoints[1]!.processingMs],
      [0, 0, 0],
    );
  });

  it('keeps at most MAX_ENDPOINTS endpoints of one reply', () => {
    const endpoints = Array.from({ length: MAX_ENDPOINTS + 5 }, (_, i) => ({ name: `e${i}`, subject: `s.${i}` }));
    const info = parseInfo(bytes({ type: 'io.nats.micro.v1.info_response', ...base, endpoints }))!;
    assert.equal(info.endpoints.length, MAX_ENDPOINTS);
  });
});
