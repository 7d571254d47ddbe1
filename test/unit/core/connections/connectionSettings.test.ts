import * as assert from 'node:assert/strict';
import { parseConnectionSettings } from '../../../../src/core/connections/connectionSettings';

describe('parseConnectionSettings', () => {
  it('reads a full entry, keeping secrets as references only', () => {
    const { specs, problems } = parseConnectionSettings([
      {
        name: 'prod',
        servers: ['tls://nats.example:4222', 'nats.example:4223'],
        auth: { kind: 'userPassword', user: 'admin' },
        tls: { caFile: '/ca.pem', certFile: '/c.pem', keyFile: '/k.pem' },
        inboxPrefix: '_I.me',
        jetstream: { domain: 'hub' },
        cluster: { context: 'k3s', namespace: 'nats', release: 'nats' },
      },
    ]);
    assert.deepEqual(problems, []);
    assert.equal(specs.length, 1);
    const spec = specs[0]!;
    assert.deepEqual(spec.servers, ['tls://nats.example:4222', 'nats.example:4223']);
    assert.deepEqual(spec.auth, {
      kind: 'userPassword',
      user: 'admin',
      password: { source: 'secretStore', key: 'natsK3s.connection.prod.userPassword' },
    });
    assert.deepEqual(spec.tls, { caFile: '/ca.pem', certFile: '/c.pem', keyFile: '/k.pem', handshakeFirst: undefined });
    assert.deepEqual(spec.jetstream, { domain: 'hub', apiPrefix: undefined });
    assert.deepEqual(spec.cluster, { context: 'k3s', namespace: 'nats', release: 'nats' });
    assert.equal(spec.origin, 'settings');
  });

  it('accepts comma-separated servers, string auth kinds, files for nkey and creds, and a tls:// URL as a TLS request', () => {
    const { specs, problems } = parseConnectionSettings([
      { name: 'a', servers: 'nats://h1:4222, nats://h2:4222', auth: 'token' },
      { name: 'b', servers: 'tls://h:4222', auth: { kind: 'nkey', seedFile: '/seed.nk' } },
      { name: 'c', url: 'h:4222', auth: { kind: 'creds', credsFile: '/u.creds' } },
      { name: 'd', cluster: { release: 'nats' } },
    ]);
    assert.deepEqual(problems, []);
    assert.deepEqual(specs[0]!.servers, ['nats://h1:4222', 'nats://h2:4222']);
    assert.deepEqual(specs[0]!.auth, {
      kind: 'token',
      token: { source: 'secretStore', key: 'natsK3s.connection.a.token' },
    });
    assert.deepEqual(specs[1]!.tls, {});
    assert.deepEqual(specs[1]!.auth, { kind: 'nkey', seed: { source: 'file', path: '/seed.nk' } });
    assert.deepEqual(specs[2]!.auth, { kind: 'creds', creds: { source: 'file', path: '/u.creds' } });
    assert.deepEqual(specs[3]!.servers, []);
    assert.equal(specs[3]!.cluster?.namespace, 'default');
  });

  it('skips bad entries with one sentence each and refuses secrets in settings', () => {
    const { specs, problems } = parseConnectionSettings([
      42,
      { servers: 'nats://h' },
      { name: 'nosrv' },
      { name: 'badurl', servers: 'http://h' },
      { name: 'leak', servers: 'nats://h', auth: { kind: 'userPassword', user: 'u', password: 'hunter2' } },
      { name: 'kind', servers: 'nats://h', auth: { kind: 'kerberos' } },
      { name: 'nouser', servers: 'nats://h', auth: { kind: 'userPassword' } },
      { name: 'ok', servers: 'nats://h', tls: { certFile: '/c.pem' }, jetstream: { domain: 'x', apiPrefix: 'y' } },
      { name: 'ok', servers: 'nats://h' },
    ]);
    assert.deepEqual(
      specs.map((s) => s.name),
      ['ok'],
    );
    assert.deepEqual(specs[0]!.jetstream, { domain: 'x' });
    assert.deepEqual(specs[0]!.tls, { caFile: undefined, handshakeFirst: undefined });
    assert.equal(problems.length, 10);
    assert.ok(
      problems.every((p) => /^[A-Za-z].*\.$/.test(p)),
      problems.join('\n'),
    );
    assert.ok(problems.some((p) => /Connection 'leak' has a secret \(password\)/.test(p)));
    assert.ok(!problems.join(' ').includes('hunter2'), 'a secret never appears in a message');
    assert.ok(problems.some((p) => /'kind' has auth kind "kerberos"/.test(p)));
    assert.ok(problems.some((p) => /'ok' is defined twice/.test(p)));
  });

  it('treats an absent setting as no connections and a non-list as one problem', () => {
    assert.deepEqual(parseConnectionSettings(undefined), { specs: [], problems: [] });
    assert.deepEqual(parseConnectionSettings({}).problems, ['natsK3s.connections must be a list of connections.']);
  });
});
