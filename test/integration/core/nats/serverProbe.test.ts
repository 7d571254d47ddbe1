import * as assert from 'node:assert/strict';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { explainNatsError } from '../../../../src/core/nats/explainError';
import { probeServer } from '../../../../src/core/nats/serverProbe';
import { startNatsServer, type NatsServer } from '../../../harness/natsServer';
import { freePort, isAlive } from '../../../harness/processes';

describe('probeServer against a real nats-server', () => {
  let server: NatsServer;
  before(async () => {
    server = await startNatsServer();
  });
  after(async () => {
    await server?.stop();
  });

  it('reads the version and JetStream usage, which follows the account', async () => {
    const before = await probeServer(server.url);
    assert.match(before.version, /^2\.\d+\.\d+/);
    assert.equal(before.url, server.url);
    assert.ok(before.jetstream, 'JetStream is on');
    const nc = await connect({ servers: server.url });
    try {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({ name: 'PROBE', subjects: ['probe.>'] });
      await jsm.consumers.add('PROBE', { durable_name: 'reader' });
    } finally {
      await nc.close();
    }
    const after = await probeServer(server.url);
    assert.equal(after.jetstream?.streams, before.jetstream.streams + 1);
    assert.equal(after.jetstream?.consumers, before.jetstream.consumers + 1);
  });

  it('reports JetStream off on a server without it', async () => {
    const plain = await startNatsServer({ jetstream: false });
    try {
      const summary = await probeServer(plain.url);
      assert.equal(summary.jetstream, undefined);
    } finally {
      await plain.stop();
    }
    assert.equal(isAlive(plain.pid), false, 'the harness stopped the server it started');
  });

  it('fails fast and plainly on a port where nothing listens', async () => {
    const url = `nats://127.0.0.1:${await freePort()}`;
    const err = await probeServer(url, { timeoutMs: 2_000 }).then(
      () => assert.fail('expected a refusal'),
      (e: unknown) => e,
    );
    assert.match(explainNatsError(err, url), /^Connection refused: nothing is listening on 127\.0\.0\.1:\d+\./);
  });

  it('reports a taken port in one sentence when asked for a fixed port', async () => {
    await assert.rejects(startNatsServer({ port: server.port }), /^Error: nats-server did not start: port \d+ on 127\.0\.0\.1 is already in use\.$/);
  });
});
