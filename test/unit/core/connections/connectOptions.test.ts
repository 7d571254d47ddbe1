import * as assert from 'node:assert/strict';
import { toConnectOptions, MissingSecretError } from '../../../../src/core/connections/connectOptions';
import type { ConnectionSpec, SecretSource } from '../../../../src/core/connections/connectionSpec';

const secrets = (values: Record<string, string>): SecretSource => ({ get: async (k) => values[k] });

describe('toConnectOptions', () => {
  const base: ConnectionSpec = { name: 'x', origin: 'settings', servers: ['nats://h:4222'], auth: { kind: 'none' } };

  it('sets tls explicitly for a tls:// URL, because v3 ignores the scheme', async () => {
    const o = await toConnectOptions({ ...base, servers: ['tls://h:4222'] }, secrets({}));
    assert.deepEqual(o.tls, {});
    const plain = await toConnectOptions(base, secrets({}));
    assert.equal(plain.tls, undefined);
    assert.equal(plain.waitOnFirstConnect, undefined);
  });

  it('fetches the password from the secret source and replaces servers on request', async () => {
    const spec: ConnectionSpec = {
      ...base,
      auth: { kind: 'userPassword', user: 'a', password: { source: 'secretStore', key: 'k' } },
    };
    const o = await toConnectOptions(spec, secrets({ k: 'pw' }), { servers: ['nats://127.0.0.1:5555'] });
    assert.deepEqual([o.user, o.pass, o.servers], ['a', 'pw', ['nats://127.0.0.1:5555']]);
  });

  it('rejects with MissingSecretError naming the key, not a value', async () => {
    const spec: ConnectionSpec = {
      ...base,
      auth: { kind: 'token', token: { source: 'secretStore', key: 'natsK3s.connection.x.token' } },
    };
    await assert.rejects(
      toConnectOptions(spec, secrets({})),
      (e: unknown) =>
        e instanceof MissingSecretError &&
        e.message === "connection 'x' has no token stored under 'natsK3s.connection.x.token'",
    );
  });
});
