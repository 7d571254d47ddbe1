import * as assert from 'node:assert/strict';
import { detectFormatEra, recordEra } from '../../../../src/core/kine/formatEra';
import { entryState, operationOf } from '../../../../src/core/kine/record';

describe('entry state', () => {
  const t = new Date('2026-01-01T00:00:00Z');
  it('is deleted for DEL and PURGE markers and for a Delete:true tombstone, live otherwise', () => {
    assert.equal(entryState({ operation: 'DEL', time: t }).state, 'deleted');
    assert.equal(entryState({ operation: 'PURGE', time: t }).state, 'deleted');
    assert.equal(entryState({ operation: 'PUT', envelope: { delete: true, lease: 0 }, time: t }).state, 'deleted');
    assert.deepEqual(entryState({ operation: 'PUT', envelope: { delete: false, lease: 0 }, time: t }, t), {
      state: 'live',
      leaseExpiresAt: undefined,
    });
  });

  it('computes lease expiry from the message time and marks a lapsed lease expired', () => {
    const s = entryState(
      { operation: 'PUT', envelope: { delete: false, lease: 3660 }, time: t },
      new Date(t.getTime() + 1000),
    );
    assert.deepEqual(s, { state: 'live', leaseExpiresAt: new Date('2026-01-01T01:01:00Z') });
    assert.equal(
      entryState({ operation: 'PUT', envelope: { delete: false, lease: 60 }, time: t }, new Date(t.getTime() + 61_000))
        .state,
      'expired',
    );
  });

  it('reads the KV-Operation header', () => {
    assert.deepEqual(
      [operationOf(undefined), operationOf('DEL'), operationOf('PURGE'), operationOf('weird')],
      ['PUT', 'DEL', 'PURGE', 'PUT'],
    );
  });
});

describe('format era detection', () => {
  it('orders the evidence from oldest to newest writer', () => {
    assert.equal(detectFormatEra({ expectedSequenceHeaders: [false] }).era, 'v0.9-v0.10');
    assert.equal(
      detectFormatEra({ expectedSequenceHeaders: [true], fieldOrders: ['v0.9-v0.14.3'] }).era,
      'v0.11-v0.13.15',
    );
    assert.equal(detectFormatEra({ legacyCompactKey: true, fieldOrders: ['v0.9-v0.14.3'] }).era, 'v0.13.16-v0.14.3');
    assert.equal(detectFormatEra({ legacyCompactKey: true, fieldOrders: ['v0.14.4+'] }).era, 'v0.14.4-v0.14.9');
    const modern = detectFormatEra({ metaKey: true, fieldOrders: ['v0.14.4+'], expectedSequenceHeaders: [true] });
    assert.equal(modern.era, 'v0.14.10+');
    assert.equal(modern.evidence.length, 4);
    assert.equal(recordEra('v0.14.4+', true).era, 'v0.14.4-v0.14.9');
  });

  it('labels only what the data proves: an upper bound where a newer kine writes otherwise, else "or newer"', () => {
    const label = (obs: Parameters<typeof detectFormatEra>[0]) => detectFormatEra(obs).label;
    assert.equal(label({ expectedSequenceHeaders: [false], fieldOrders: ['v0.9-v0.14.3'] }), 'v0.9 to v0.10');
    assert.equal(label({ expectedSequenceHeaders: [true], fieldOrders: ['v0.9-v0.14.3'] }), 'v0.11 to v0.14.3');
    assert.equal(label({ legacyCompactKey: true, fieldOrders: ['v0.9-v0.14.3'] }), 'v0.13.16 to v0.14.3');
    // kine v0.14.4 up to the newest read (v0.17.5) writes this record: one record cannot tell them apart.
    assert.equal(recordEra('v0.14.4+', true).label, 'v0.14.4 or newer');
    assert.equal(recordEra('v0.14.4+', true).to, undefined);
    assert.equal(label({ legacyCompactKey: true, fieldOrders: ['v0.14.4+'] }), 'v0.14.4 or newer');
    assert.equal(
      label({ metaKey: true, fieldOrders: ['v0.14.4+'], expectedSequenceHeaders: [true] }),
      'v0.14.10 or newer',
    );
    // A bucket upgraded from old records to new ones: the new ones decide.
    assert.equal(
      label({ fieldOrders: ['v0.9-v0.14.3', 'v0.14.4+'], expectedSequenceHeaders: [true] }),
      'v0.14.4 or newer',
    );
    assert.equal(label({}), 'v0.9 or newer');
  });
});
