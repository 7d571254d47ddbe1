import * as assert from 'node:assert/strict';
import { buildDatastoreEndpoint, shellQuote } from '../../../../src/core/kine/datastoreEndpoint';
import { readEndpoint } from '../../../../src/core/kine/readEndpoint';

describe('datastore endpoint helper', () => {
  it('builds the endpoint with only non-default options, the k3s command and the install line', () => {
    const e = buildDatastoreEndpoint({
      servers: ['nats://10.0.0.5:4222', '10.0.0.6:4222'],
      bucket: 'k3s',
      replicas: 3,
      revHistory: 10,
      credsFile: '/etc/k3s/nats.creds',
    });
    assert.equal(
      e.endpoint,
      'nats://10.0.0.5:4222?bucket=k3s&replicas=3&credsFile=%2Fetc%2Fk3s%2Fnats.creds,nats://10.0.0.6:4222',
    );
    assert.equal(e.k3sCommand, `k3s server '--datastore-endpoint=${e.endpoint}'`);
    assert.equal(
      e.systemdInstall,
      `curl -sfL https://get.k3s.io | sh -s - server '--datastore-endpoint=${e.endpoint}'`,
    );
    assert.ok(e.warnings.some((w) => w.code === 'no-embedded'));
    assert.ok(!e.warnings.some((w) => w.level === 'error'));
  });

  it('percent-encodes credentials and warns that they sit in the URL', () => {
    const e = buildDatastoreEndpoint({ servers: ['127.0.0.1:4222'], user: 'k3s', password: 'p@ss:w/rd' });
    assert.equal(e.endpoint, 'nats://k3s:p%40ss%3Aw%2Frd@127.0.0.1:4222');
    assert.ok(e.warnings.some((w) => w.code === 'secret-in-url'));
    assert.ok(e.warnings.some((w) => w.code === 'loopback'));
  });

  it('reports the values kine refuses as errors and leaves them out', () => {
    const e = buildDatastoreEndpoint({
      servers: ['tls://nats.example:4222'],
      replicas: 7,
      revHistory: 1,
      contextFile: '/ctx.json',
      certFile: '/c.pem',
    });
    const codes = e.warnings
      .filter((w) => w.level === 'error')
      .map((w) => w.code)
      .sort();
    assert.deepEqual(codes, ['context-with-host', 'replicas', 'revHistory', 'tls-pair']);
    assert.ok(e.warnings.some((w) => w.code === 'scheme'));
    assert.equal(e.endpoint, 'nats://nats.example:4222?contextFile=%2Fctx.json');
    assert.deepEqual(e.flags.slice(1), ['--datastore-certfile=/c.pem']);
  });

  it('passes TLS files as K3s flags and handles no host', () => {
    const e = buildDatastoreEndpoint({ servers: [], caFile: '/ca.pem' });
    assert.equal(e.endpoint, 'nats://');
    assert.deepEqual(e.flags, ['--datastore-endpoint=nats://', '--datastore-cafile=/ca.pem']);
    assert.ok(e.warnings.some((w) => w.code === 'no-host'));
    assert.equal(shellQuote("it's"), `'it'\\''s'`);
  });

  it('reads back what it builds: servers, URL credentials and the bucket, for the CLI to connect with', () => {
    const userPassword = buildDatastoreEndpoint({
      servers: ['10.0.0.5:4222', 'nats://10.0.0.6:4222'],
      user: 'alice',
      password: 'p@ss:w/rd',
      bucket: 'k3s',
    });
    assert.deepEqual(readEndpoint(userPassword.endpoint), {
      servers: ['nats://10.0.0.5:4222', 'nats://10.0.0.6:4222'],
      user: 'alice',
      password: 'p@ss:w/rd',
      bucket: 'k3s',
    });
    assert.deepEqual(readEndpoint(buildDatastoreEndpoint({ servers: ['h:1'], token: 't@k' }).endpoint), {
      servers: ['nats://h:1'],
      token: 't@k',
    });
    assert.deepEqual(readEndpoint('127.0.0.1:4222'), { servers: ['nats://127.0.0.1:4222'] });
    assert.throws(() => readEndpoint('nats://'), /names no host/);
  });
});
