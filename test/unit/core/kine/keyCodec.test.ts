import * as assert from 'node:assert/strict';
import { base58Decode, base58Encode } from '../../../../src/core/kine/base58';
import { KineDecodeError } from '../../../../src/core/kine/errors';
import { decodeKineKey, encodeKineKey, encodeKinePrefix } from '../../../../src/core/kine/keyCodec';
import { isSensitiveKey, placeKey } from '../../../../src/core/kine/resourcePath';
import { prng } from './vectors';

describe('kine key codec', () => {
  it("matches kine's codec_test.go cases and the reference's table", () => {
    assert.equal(encodeKineKey('/a/a'), '2g.2g');
    assert.equal(encodeKineKey('a'), 'meta.2g');
    assert.equal(encodeKineKey('a/*/a'), 'meta.2g.j.2g');
    assert.equal(encodeKineKey('/a/*/a/'), '2g.j.2g.p');
    assert.equal(encodeKineKey('/registry/pods/'), 'L8nZchjdPLL.3sh2fL.p');
    assert.equal(encodeKineKey('compact_rev_key_apiserver'), 'meta.h1ctazrDGbqvwPuDySV8QCGFrjddCjbkRf');
    assert.equal(
      encodeKineKey('/registry/apiregistration.k8s.io/apiservices/v1.apps'),
      'L8nZchjdPLL.TSsW5tLGMvGyEcCttEDNe7en1ksVAv.RARVocwQy9m2Ehg.5UnCAdBzMx',
    );
    assert.equal(
      encodeKineKey('/registry/clusterroles/system:aggregate-to-admin'),
      'L8nZchjdPLL.2spa8YEaboPAq3hiS.oTwYJdZQqzV1mztAJTCxxRcGH6TPLa8EmT',
    );
  });

  it('writes each era as that kine version did', () => {
    assert.equal(encodeKineKey('compact_rev_key_apiserver', 'v0.11'), 'h1ctazrDGbqvwPuDySV8QCGFrjddCjbkRf');
    assert.equal(encodeKineKey('/registry/pods/', 'v0.14.10'), 'L8nZchjdPLL.3sh2fL');
    assert.equal(encodeKineKey('/registry/pods/', 'v0.11'), 'L8nZchjdPLL.3sh2fL');
    assert.equal(encodeKineKey('/x//y', 'v0.9'), '35..36');
  });

  it('decodes meta keys without a leading slash, old single-token keys with one, and p as an empty segment', () => {
    assert.deepEqual(decodeKineKey('meta.h1ctazrDGbqvwPuDySV8QCGFrjddCjbkRf'), {
      key: 'compact_rev_key_apiserver',
      meta: true,
    });
    assert.deepEqual(decodeKineKey('h1ctazrDGbqvwPuDySV8QCGFrjddCjbkRf'), {
      key: '/compact_rev_key_apiserver',
      meta: false,
    });
    assert.equal(decodeKineKey('L8nZchjdPLL.3sh2fL.p').key, '/registry/pods/');
  });

  it('refuses invalid keys and tokens with a typed error', () => {
    for (const bad of ['', '/'])
      assert.throws(
        () => encodeKineKey(bad),
        (e: unknown) => e instanceof KineDecodeError && e.reason === 'bad-key',
      );
    for (const bad of ['L8nZ0', 'abc.Il', 'meta.2g.$'])
      assert.throws(
        () => decodeKineKey(bad),
        (e: unknown) => e instanceof KineDecodeError && e.reason === 'bad-key',
      );
    assert.throws(
      () => decodeKineKey('x'.repeat(10_000)),
      (e: unknown) => e instanceof KineDecodeError && e.reason === 'bad-key',
    );
    // "meta" is 84 f0 c3 in base58, which is not UTF-8: a non-first "meta" token is not a key segment.
    assert.throws(
      () => decodeKineKey('2g.meta'),
      (e: unknown) => e instanceof KineDecodeError && e.reason === 'bad-key',
    );
  });

  it('keeps leading zero bytes as 1s', () => {
    assert.equal(base58Encode(Uint8Array.of(0, 0, 1)), '112');
    assert.deepEqual([...base58Decode('112')], [0, 0, 1]);
    assert.equal(base58Encode(new Uint8Array()), '');
  });

  it('round-trips 3,000 random keys (seeded) in the current style', () => {
    const rand = prng(6);
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789-._:@é日';
    for (let i = 0; i < 3000; i++) {
      const segments = Array.from({ length: 1 + Math.floor(rand() * 5) }, () =>
        Array.from({ length: Math.floor(rand() * 20) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join(''),
      );
      let key = segments.join('/');
      if (rand() < 0.8) key = `/${key}`;
      if (key === '' || key === '/' || segments.every((s) => s === '')) continue;
      if (/^\/*$/.test(key)) continue;
      const encoded = encodeKineKey(key);
      assert.equal(decodeKineKey(encoded).key, key, `key ${JSON.stringify(key)} → ${encoded}`);
      assert.deepEqual(
        base58Decode(base58Encode(new TextEncoder().encode(segments[0]))),
        new TextEncoder().encode(segments[0]),
      );
    }
  });

  it('builds subtree prefixes for subject filters', () => {
    assert.equal(encodeKinePrefix('/registry/pods/'), 'L8nZchjdPLL.3sh2fL');
    assert.equal(encodeKinePrefix('/'), '');
  });
});

describe('placeKey', () => {
  it('places namespaced, cluster-scoped, grouped and services keys, and the rest in other', () => {
    assert.deepEqual(placeKey('/registry/pods/default/nginx'), {
      group: 'kubernetes',
      resource: 'pods',
      namespace: 'default',
      name: 'nginx',
    });
    assert.deepEqual(placeKey('/registry/minions/node-1'), {
      group: 'kubernetes',
      resource: 'minions',
      name: 'node-1',
    });
    assert.deepEqual(placeKey('/registry/services/specs/default/kubernetes'), {
      group: 'kubernetes',
      resource: 'services/specs',
      namespace: 'default',
      name: 'kubernetes',
    });
    assert.deepEqual(placeKey('/registry/apiextensions.k8s.io/customresourcedefinitions/addons.k3s.cattle.io'), {
      group: 'kubernetes',
      resource: 'apiextensions.k8s.io/customresourcedefinitions',
      name: 'addons.k3s.cattle.io',
    });
    assert.deepEqual(placeKey('/registry/helm.cattle.io/helmcharts/kube-system/traefik'), {
      group: 'kubernetes',
      resource: 'helm.cattle.io/helmcharts',
      namespace: 'kube-system',
      name: 'traefik',
    });
    assert.deepEqual(placeKey('/registry/health'), { group: 'other', key: '/registry/health' });
    assert.deepEqual(placeKey('compact_rev_key_apiserver'), { group: 'other', key: 'compact_rev_key_apiserver' });
    assert.deepEqual(placeKey('/bootstrap/0123456789ab'), { group: 'other', key: '/bootstrap/0123456789ab' });
  });

  it('marks Secrets and bootstrap data as sensitive', () => {
    assert.equal(isSensitiveKey('/registry/secrets/default/token'), true);
    assert.equal(isSensitiveKey('/bootstrap/0123456789ab'), true);
    assert.equal(isSensitiveKey('/registry/configmaps/default/x'), false);
  });
});
