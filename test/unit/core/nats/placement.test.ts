import * as assert from 'node:assert/strict';
import { placementLines, placementOf, placementPhrase } from '../../../../src/core/nats/placement';

const ns = (ms: number) => ms * 1e6;

describe('placement of a clustered stream, from its stream info', () => {
  it('a single server has none', () => {
    assert.equal(placementOf(undefined, 1), undefined);
    assert.equal(placementOf({ leader: 'NABCDEF' }, 1), undefined);
  });

  it('R3 with every replica current: leader first, not degraded', () => {
    const p = placementOf(
      {
        name: 'c',
        leader: 'n2',
        replicas: [
          { name: 'n3', current: true, offline: false, active: ns(120), lag: 0 },
          { name: 'n1', current: true, offline: false, active: ns(80), lag: 0 },
        ],
      },
      3,
    )!;
    assert.deepEqual(
      p.replicas.map((r) => `${r.name}:${r.leader ? 'leader' : r.state}`),
      ['n2:leader', 'n1:current', 'n3:current'],
    );
    assert.equal(p.degraded, false);
    assert.equal(placementPhrase(p), 'leader n2');
    assert.deepEqual(placementLines(p), ['n2: leader', 'n1: current', 'n3: current']);
  });

  it('a lagging and an offline replica are named, with how far behind and when last seen', () => {
    const p = placementOf(
      {
        name: 'c',
        leader: 'n1',
        replicas: [
          { name: 'n2', current: false, offline: false, active: ns(300), lag: 42 },
          { name: 'n3', current: false, offline: true, active: ns(12_400), lag: 0 },
        ],
      },
      3,
    )!;
    assert.equal(p.degraded, true);
    assert.equal(placementPhrase(p), 'leader n1, n2 lagging, n3 offline');
    assert.deepEqual(placementLines(p), ['n1: leader', 'n2: lagging, 42 behind', 'n3: offline, last seen 12.4 s ago']);
  });

  it('no leader: degraded, and the lines say why that can be', () => {
    const p = placementOf(
      { name: 'c', replicas: [{ name: 'n1', current: false, offline: false, active: ns(1), lag: 0 }] },
      3,
    )!;
    assert.equal(p.degraded, true);
    assert.equal(placementPhrase(p), 'no leader');
    assert.match(placementLines(p)[0]!, /^no leader: /);
  });

  it('fewer peers than configured replicas is degraded', () => {
    const p = placementOf(
      { name: 'c', leader: 'n1', replicas: [{ name: 'n2', current: true, offline: false, active: 0, lag: 0 }] },
      3,
    )!;
    assert.equal(p.degraded, true);
  });
});
