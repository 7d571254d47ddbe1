import * as assert from 'node:assert/strict';
import { consumerConfig, pauseUntilOf } from '../../../../src/core/nats/consumerWrites';
import { explainNatsError } from '../../../../src/core/nats/explainError';
import {
  configChanges,
  describeChanges,
  MAX_CONFIG_CHARS,
  parseStreamConfig,
  STREAM_DEFAULTS,
  streamConfigTemplate,
} from '../../../../src/core/nats/streamConfig';

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return explainNatsError(err, 'nats://127.0.0.1:4222');
  }
  return assert.fail('nothing was refused');
};

describe('stream config documents', () => {
  it('a new stream shows every default beside its name and subjects', () => {
    const t = streamConfigTemplate('ORDERS', ['orders.>']);
    assert.equal(t.name, 'ORDERS');
    assert.deepEqual(t.subjects, ['orders.>']);
    for (const [k, v] of Object.entries(STREAM_DEFAULTS)) assert.deepEqual(t[k], v, k);
    assert.deepEqual(parseStreamConfig(JSON.stringify(t)), t);
  });

  it('refuses what the server would, in one sentence naming the field', () => {
    assert.match(
      refusal(() => parseStreamConfig('{')),
      /^The config is not valid JSON \(.*\); fix it and apply again\.$/,
    );
    assert.equal(
      refusal(() => parseStreamConfig('[]')),
      'The config must be a JSON object with at least a "name"; fix it and apply again.',
    );
    assert.match(
      refusal(() => parseStreamConfig('{"name":"a.b"}')),
      /^"name" must be/,
    );
    assert.match(
      refusal(() => parseStreamConfig('{"name":"A","subjects":["a b"]}')),
      /^"subjects" must be/,
    );
    assert.match(
      refusal(() => parseStreamConfig('{"name":"A","storage":"disk"}')),
      /^"storage" must be one of "file", "memory"/,
    );
    assert.match(
      refusal(() => parseStreamConfig('{"name":"A","max_msgs":1.5}')),
      /^"max_msgs" must be a whole number/,
    );
    assert.match(
      refusal(() => parseStreamConfig('{"name":"A","max_msgs":-2}')),
      /^"max_msgs" must be a whole number/,
    );
    assert.match(
      refusal(() => parseStreamConfig('{"name":"A","sealed":"yes"}')),
      /^"sealed" must be true or false/,
    );
    assert.match(
      refusal(() => parseStreamConfig('{"name":"A","num_replicas":7}')),
      /^"num_replicas" must be 1 to 5/,
    );
    assert.match(
      refusal(() => parseStreamConfig(' '.repeat(MAX_CONFIG_CHARS + 1))),
      /over the 262144 a stream config/,
    );
  });

  it('passes fields it does not know to the server unchanged', () => {
    assert.deepEqual(parseStreamConfig('{"name":"A","future_option":{"x":1}}'), { name: 'A', future_option: { x: 1 } });
  });

  it('marks the changes that can remove stored messages', () => {
    const before = { name: 'A', subjects: ['a.>', 'b.>'], max_msgs: -1, max_age: 60e9, max_bytes: 100, sealed: false };
    const after = {
      name: 'A',
      subjects: ['a.>'],
      max_msgs: 10,
      max_age: 0,
      max_bytes: 200,
      sealed: true,
      description: 'd',
    };
    const changes = configChanges(before, after);
    assert.deepEqual(
      changes.map((c) => [c.field, c.removesData]),
      [
        ['subjects', true],
        ['max_msgs', true],
        ['max_age', false],
        ['max_bytes', false],
        ['sealed', true],
        ['description', false],
      ],
    );
    assert.deepEqual(configChanges(before, { ...before }), []);
    assert.match(describeChanges(changes), /^subjects: \["a\.>","b\.>"\] → \["a\.>"\]\nmax_msgs: -1 → 10\n/);
    assert.match(describeChanges(configChanges({ name: 'A', x: 1 }, { name: 'A' })), /^x: 1 → \(unset\)$/);
  });
});

describe('consumer specs', () => {
  it('turns a spec into the server config, one filter in the field every server knows', () => {
    assert.deepEqual(
      consumerConfig({ durable: 'c', filterSubjects: ['a.>'], backoffSeconds: [1, 2.5], maxDeliver: 5 }),
      {
        durable_name: 'c',
        deliver_policy: 'all',
        ack_policy: 'explicit',
        max_deliver: 5,
        filter_subject: 'a.>',
        backoff: [1e9, 2.5e9],
      },
    );
    assert.deepEqual(consumerConfig({ durable: 'c', filterSubjects: ['a', 'b'] }).filter_subjects, ['a', 'b']);
  });

  it('refuses a spec the server would, in one sentence', () => {
    assert.match(
      refusal(() => consumerConfig({ durable: 'a b' })),
      /^The durable name may not/,
    );
    assert.match(
      refusal(() => consumerConfig({ durable: 'c', maxDeliver: 0 })),
      /^Max deliver must be -1/,
    );
    assert.match(
      refusal(() => consumerConfig({ durable: 'c', backoffSeconds: [0] })),
      /^Each backoff delay/,
    );
    assert.match(
      refusal(() => consumerConfig({ durable: 'c', maxDeliver: 1, backoffSeconds: [1] })),
      /^Max deliver \(1\) must be above the number of backoff delays \(1\)/,
    );
    assert.match(
      refusal(() => consumerConfig({ durable: 'c', deliverPolicy: 'by_start_sequence' })),
      /needs that sequence/,
    );
  });

  it('reads a pause time as a duration or an ISO time, never one in the past', () => {
    const now = Date.UTC(2026, 0, 1);
    assert.equal(pauseUntilOf('30m', now).getTime(), now + 30 * 60_000);
    assert.equal(pauseUntilOf('2d', now).getTime(), now + 2 * 86_400_000);
    assert.equal(pauseUntilOf('2026-01-02T00:00:00Z', now).getTime(), now + 86_400_000);
    assert.match(
      refusal(() => pauseUntilOf('2025-01-01T00:00:00Z', now)),
      /is not a future time/,
    );
    assert.match(
      refusal(() => pauseUntilOf('soon', now)),
      /is not a future time; give a duration such as 30m/,
    );
  });
});
