import * as assert from 'node:assert/strict';
import {
  bucketNameProblem,
  changedSettings,
  formatDuration,
  formatSize,
  KV_DEFAULTS,
  parseDuration,
  parseSize,
  settingsProblem,
  settingsText,
} from '../../../../../src/core/nats/kv/kvSettings';

describe('KV bucket settings', () => {
  it('parses and prints durations, 0 meaning never', () => {
    assert.deepEqual(['', '0', 'never', '90s', '15m', '2h', '7d', '500ms', '1.5h', '-1s', 'soon'].map(parseDuration), [
      0,
      0,
      0,
      90_000,
      900_000,
      7_200_000,
      604_800_000,
      500,
      undefined,
      undefined,
      undefined,
    ]);
    assert.deepEqual([0, 90_000, 7_200_000, 86_400_000, 1_500].map(formatDuration), [
      'never',
      '90s',
      '2h',
      '1d',
      '1500ms',
    ]);
  });

  it('parses and prints sizes, -1 meaning no limit', () => {
    assert.deepEqual(['', '-1', 'unlimited', '1024', '64KiB', '1 MiB', '2k', '-5', '1GiB'].map(parseSize), [
      -1,
      -1,
      -1,
      1024,
      65_536,
      1_048_576,
      2048,
      undefined,
      undefined,
    ]);
    assert.deepEqual([-1, 1000, 65_536, 1_048_576].map(formatSize), ['unlimited', '1000', '64KiB', '1MiB']);
  });

  it('names the first invalid setting in one sentence', () => {
    assert.equal(settingsProblem(KV_DEFAULTS), undefined);
    assert.match(settingsProblem({ ...KV_DEFAULTS, history: 0 })!, /^History must be .* 1 to 64/);
    assert.match(settingsProblem({ ...KV_DEFAULTS, ttlMs: 500 })!, /at least one second/);
    assert.match(settingsProblem({ ...KV_DEFAULTS, maxValueSize: 0 })!, /-1 \(no limit\)/);
    assert.match(settingsProblem({ ...KV_DEFAULTS, replicas: 6 })!, /Replicas .* 1 to 5/);
    assert.equal(bucketNameProblem('app_cfg-1'), undefined);
    assert.match(bucketNameProblem('a.b')!, /not a valid bucket name/);
    assert.match(bucketNameProblem('')!, /needs a name/);
  });

  it('renders settings as stable lines and lists what changed', () => {
    const next = { ...KV_DEFAULTS, history: 5, ttlMs: 3_600_000 };
    assert.deepEqual(changedSettings(KV_DEFAULTS, next), ['history', 'ttlMs']);
    assert.equal(
      settingsText('cfg', next),
      'bucket: cfg\ndescription: ""\nhistory: 5\nttl: 1h\nmax value size: unlimited\nreplicas: 1\nstorage: file\n',
    );
  });
});
