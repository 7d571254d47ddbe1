import * as assert from 'node:assert/strict';
import { addUnder, namesFrom } from '../../../../src/core/kine/kineIndex';
import { encodeKineKey } from '../../../../src/core/kine/keyCodec';
import { TypeKeys } from '../../../../src/core/kine/typeKeys';

const PODS = encodeKineKey('/registry/pods');

function collect(keys: TypeKeys, ns: string | undefined): [string, number, boolean][] {
  const out: [string, number, boolean][] = [];
  keys.forEachIn(ns, (name, revision, deleted) => out.push([name, revision, deleted]));
  return out;
}

describe('compact per-type key storage', () => {
  it('keeps every key with its revision and deleted flag, grouped by namespace, across growth', () => {
    const keys = new TypeKeys();
    // Past the initial 1,024 slots and 16 KiB of names, so growth is exercised.
    for (let i = 0; i < 5000; i++) keys.add(`ns${i % 3}`, `name-${i}-${'x'.repeat(i % 7)}`, i + 1, i % 10 === 0);
    keys.add(undefined, 'cluster-wide', 9999, false);
    keys.add('ünï', 'ñame', 10_000, false);
    assert.equal(keys.size, 5002);
    assert.equal(keys.deletedKeys, 500);
    assert.equal(keys.liveKeys, 4502);
    assert.equal(keys.namespaced, true);
    assert.equal(keys.maxRevision(), 10_000);
    const ns1 = collect(keys, 'ns1');
    assert.equal(ns1.length, 1667);
    assert.deepEqual(ns1[0], ['name-1-x', 2, false]);
    assert.deepEqual(ns1.at(-1), [`name-4999-${'x'.repeat(4999 % 7)}`, 5000, false]);
    assert.deepEqual(collect(keys, undefined), [['cluster-wide', 9999, false]]);
    assert.deepEqual(collect(keys, 'ünï'), [['ñame', 10_000, false]]);
    assert.deepEqual(collect(keys, 'no-such-namespace'), []);
    assert.deepEqual(
      keys.namespaceCounts().map((c) => [c.token, c.live, c.deleted]),
      [
        ['ns0', 1500, 167],
        ['ns1', 1500, 167],
        ['ns2', 1500, 166],
        ['ünï', 1, 0],
      ],
    );
  });

  it('stores a key in tens of bytes, not an object with its own strings', () => {
    const keys = new TypeKeys();
    for (let i = 0; i < 100_000; i++) keys.add(`namespace-${i % 100}`, `pod-${i}`, i, false);
    // 21 bytes of arrays per slot (capacity doubles, so up to twice that) plus about 10 bytes of name.
    assert.ok(keys.bytes() / 100_000 < 60, `${keys.bytes() / 100_000} bytes per key`);
  });

  it('builds a namespace level as KeyNodes on demand, decoding names and hiding deleted keys unless asked', () => {
    const keys = new TypeKeys();
    const put = (key: string, revision: number, deleted: boolean) =>
      addUnder(keys, PODS, encodeKineKey(key), revision, deleted);
    put('/registry/pods/default/web', 3, false);
    put('/registry/pods/default/gone', 5, true);
    put('/registry/pods/default/again', 9, false);
    put('/registry/pods/kube-system/dns', 4, false);
    const nsPrefix = encodeKineKey('/registry/pods/default');
    assert.deepEqual(
      namesFrom(PODS, keys, nsPrefix).map((k) => [k.name, k.key, k.revision, k.deleted, k.kvKey]),
      [
        ['again', '/registry/pods/default/again', 9, false, encodeKineKey('/registry/pods/default/again')],
        ['web', '/registry/pods/default/web', 3, false, encodeKineKey('/registry/pods/default/web')],
      ],
    );
    assert.deepEqual(
      namesFrom(PODS, keys, nsPrefix, { includeDeleted: true }).map((k) => [k.name, k.deleted]),
      [
        ['again', false],
        ['gone', true],
        ['web', false],
      ],
    );
  });
});
