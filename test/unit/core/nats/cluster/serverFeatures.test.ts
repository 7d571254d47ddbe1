import * as assert from 'node:assert/strict';
import {
  atLeast,
  disabledFeatures,
  disabledSentence,
  parseVersion,
} from '../../../../../src/core/nats/cluster/serverFeatures';

describe('server features by version', () => {
  it('reads versions as the server prints them, and anything else as 0.0.0', () => {
    assert.deepEqual(parseVersion('2.14.2'), [2, 14, 2]);
    assert.deepEqual(parseVersion('v2.9.10'), [2, 9, 10]);
    assert.deepEqual(parseVersion('2.12.0-RC.3'), [2, 12, 0]);
    assert.deepEqual(parseVersion('2.11'), [2, 11, 0]);
    assert.deepEqual(parseVersion('nonsense'), [0, 0, 0]);
  });

  it('compares by number, not by text', () => {
    assert.ok(atLeast('2.10.0', '2.9.10'));
    assert.ok(!atLeast('2.9.10', '2.11.0'));
    assert.ok(atLeast('2.11.0', '2.11.0'));
    assert.ok(atLeast('3.0.0', '2.14.2'));
  });

  it('judges a mixed cluster by its oldest server and names the version each feature needs', () => {
    assert.deepEqual(disabledFeatures(['2.14.2', '2.14.2']), []);
    assert.deepEqual(disabledFeatures([]), []);
    const mixed = disabledFeatures(['2.14.2', '2.9.10', '2.10.3']);
    assert.deepEqual(
      mixed.map((d) => [d.feature, d.needs, d.serverVersion]),
      [
        ['consumerPause', '2.11.0', '2.9.10'],
        ['apiLevel', '2.11.0', '2.9.10'],
      ],
    );
    assert.equal(
      disabledSentence(mixed[0]!),
      'Consumer pause state needs nats-server 2.11.0 (this cluster runs 2.9.10).',
    );
  });
});
