import * as assert from 'node:assert/strict';
import { buildDatastoreEndpoint } from '../../../../src/core/kine/datastoreEndpoint';
import { goUserinfoEscape } from '../../../../src/core/kine/goUserinfo';
import { EndpointParseError, parseDatastoreEndpoint } from '../../../../src/core/kine/parseDatastoreEndpoint';

const notes = (v: string) => parseDatastoreEndpoint(v).notes.map((n) => `${n.level}:${n.code}`);
const refuses = (v: string, message: RegExp) =>
  assert.throws(
    () => parseDatastoreEndpoint(v),
    (e: unknown) => e instanceof EndpointParseError && message.test(e.message),
  );

describe('reading a --datastore-endpoint as kine does', () => {
  it("fills kine's defaults and reads the first URL's parameters", () => {
    const d = parseDatastoreEndpoint('nats://10.0.0.1:4222');
    assert.deepEqual([d.servers, d.bucket, d.replicas, d.revHistory], [['nats://10.0.0.1:4222'], 'kine', 1, 10]);
    const e = parseDatastoreEndpoint('nats://a:4222?bucket=k3s&replicas=3&revHistory=5,nats://b:4222,nats://c:4222');
    assert.deepEqual(
      [e.servers, e.bucket, e.replicas, e.revHistory],
      [['nats://a:4222', 'nats://b:4222', 'nats://c:4222'], 'k3s', 3, 5],
    );
  });

  it('refuses what kine refuses, in one sentence each', () => {
    refuses('tls://a:4222', /starts with tls:\/\/ and kine refuses it.*--datastore-cafile/);
    refuses('nats://a:4222,https://b', /URL 2 starts with https:\/\//);
    refuses('a:4222', /has no scheme/);
    refuses('nats://a?replicas=6', /replicas must be 1 to 5; kine refuses 6/);
    refuses('nats://a?revHistory=1', /revHistory must be 2 to 64/);
    refuses('nats://a?slowMethod=fast', /not a Go duration/);
    refuses('nats://a?contextFile=/c.json', /must have no host/);
    refuses('nats://a?bucket=x.y', /not a KV bucket name/);
    refuses('', /empty/);
    refuses(`nats://a?bucket=${'x'.repeat(9000)}`, /longer than/);
  });

  it('notes what kine ignores: non-numbers, unknown and TLS parameters, embedded-only ones, later URLs', () => {
    assert.deepEqual(notes('nats://a?replicas=three'), ['warning:replicas']);
    assert.equal(parseDatastoreEndpoint('nats://a?replicas=three').replicas, 1);
    assert.deepEqual(notes('nats://a?tlsCAFile=/ca.pem&foo=1'), ['warning:tls-parameter', 'warning:unknown-parameter']);
    assert.deepEqual(notes('nats://a?noEmbed&dataDir=/d'), ['info:embedded-only', 'info:embedded-only']);
    assert.deepEqual(notes('nats://a,nats://u:p@b?bucket=x'), ['warning:later-credentials', 'warning:later-query']);
    assert.deepEqual(notes('nats://?contextFile=/c.json'), ['info:context-file']);
    assert.deepEqual(notes('nats://'), ['info:no-host']);
    assert.deepEqual(parseDatastoreEndpoint('nats://').servers, ['nats://127.0.0.1:4222']);
  });

  it('credentials as kine hands them to NATS: re-encoded the Go way, split at the colon', () => {
    const plain = parseDatastoreEndpoint('nats://alice:s3cret@a:4222');
    assert.deepEqual([plain.user, plain.password, plain.token], ['alice', 's3cret', undefined]);
    assert.deepEqual(notes('nats://alice:s3cret@a:4222'), ['info:secret-in-url']);
    assert.equal(parseDatastoreEndpoint('nats://t0k3n@a').token, 't0k3n');
    const odd = parseDatastoreEndpoint(`nats://alice:${encodeURIComponent('p@ss:w/rd')}@a`);
    assert.equal(odd.password, 'p%40ss%3Aw%2Frd');
    assert.ok(odd.notes.some((n) => n.code === 'encoded-credentials'));
    // Go keeps $&+,;= as they are; encodeURIComponent encodes them, and kine decodes and re-encodes: no harm.
    assert.equal(parseDatastoreEndpoint(`nats://u:${encodeURIComponent('a$b=c')}@a`).password, 'a$b=c');
    assert.equal(goUserinfoEscape('é!'), '%C3%A9%21');
    assert.ok(!JSON.stringify(parseDatastoreEndpoint('nats://alice:s3cret@a').notes).includes('s3cret'));
  });

  it("the builder's endpoint reads back to the same settings, and it warns of credentials kine mangles", () => {
    const built = buildDatastoreEndpoint({ servers: ['a:4222', 'b:4222'], bucket: 'k', replicas: 3, revHistory: 4 });
    const back = parseDatastoreEndpoint(built.endpoint);
    assert.deepEqual(
      [back.servers, back.bucket, back.replicas, back.revHistory],
      [['nats://a:4222', 'nats://b:4222'], 'k', 3, 4],
    );
    const mangled = buildDatastoreEndpoint({ servers: ['a'], user: 'u', password: 'p@ss' });
    assert.equal(mangled.warnings.find((w) => w.code === 'encoded-credentials')?.level, 'error');
    const fine = buildDatastoreEndpoint({ servers: ['a'], user: 'u', password: 'a$b' });
    assert.equal(
      fine.warnings.find((w) => w.code === 'encoded-credentials'),
      undefined,
    );
  });
});
