import * as assert from 'node:assert/strict';
import { formatBytes, formatCount, formatDuration, plural } from '../../../../src/core/format/units';

describe('formatting units', () => {
  it('formats bytes in binary units', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(1023), '1023 B');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(10 * 1024 * 1024), '10 MiB');
    assert.equal(formatBytes(-1), '-1');
  });

  it('groups counts with commas regardless of locale', () => {
    assert.equal(formatCount(0), '0');
    assert.equal(formatCount(1234567), '1,234,567');
    assert.equal(formatCount(999), '999');
  });

  it('formats durations with the two largest units', () => {
    assert.equal(formatDuration(0), 'none');
    assert.equal(formatDuration(90_000), '1m 30s');
    assert.equal(formatDuration(86_400_000 + 3_600_000 + 60_000), '1d 1h');
    assert.equal(formatDuration(500), '1s');
  });

  it('counts nouns', () => {
    assert.equal(plural(1, 'key'), '1 key');
    assert.equal(plural(0, 'key'), '0 keys');
    assert.equal(plural(1500, 'revision'), '1,500 revisions');
  });
});
