import * as assert from 'node:assert/strict';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { requestEndpoint, ServiceRequestError } from '../../../../src/core/nats/services/endpointRequest';
import { discoverServices } from '../../../../src/core/nats/services/serviceDiscovery';
import type { NatsSession } from '../../../../src/core/nats/session';
import { startTestService, type TestService } from '../../../generators/services/microService';
import { startNatsServer, type NatsServer } from '../../../harness/natsServer';
import { tools } from '../../../harness/tools';
import { connectedSession } from './fixture';

describe('Services against a real nats-server', () => {
  let server: NatsServer;
  let s: NatsSession;
  let ro: NatsSession;
  let provider: NatsConnection;
  const running: TestService[] = [];
  before(async () => {
    server = await startNatsServer({ jetstream: false });
    provider = await connect({ servers: server.url });
    const echo = {
      name: 'echo',
      subject: 'calc.echo',
      handle: (d: Uint8Array) => `echo:${new TextDecoder().decode(d)}`,
    };
    const fail = {
      name: 'fail',
      subject: 'calc.fail',
      handle: (): string => {
        throw { code: 422, message: 'bad operand' };
      },
    };
    running.push(
      startTestService(provider, { name: 'calc', version: '1.2.0', description: 'adds', endpoints: [echo, fail] }),
      startTestService(provider, { name: 'calc', version: '1.2.0', endpoints: [echo, fail] }),
      startTestService(provider, { name: 'clock', version: '0.1.0', endpoints: [] }),
    );
    await provider.flush();
    s = await connectedSession(server.url);
    ro = await connectedSession(server.url, { readOnly: true, name: 'ro' });
  });
  after(async () => {
    for (const t of running) await t.stop();
    await provider?.close();
    await s?.close();
    await ro?.close();
    await server?.stop();
  });

  it('discovers every instance with its endpoints, stats and round trip', async () => {
    await requestEndpoint(s, 'calc.echo', 'x');
    const found = await discoverServices(s, { maxWaitMs: 3_000 });
    assert.deepEqual(
      found.services.map((g) => [g.name, g.instances.length]),
      [
        ['calc', 2],
        ['clock', 1],
      ],
    );
    const calc = found.services[0]!.instances;
    assert.deepEqual(calc.map((i) => i.id).sort(), [running[0]!.id, running[1]!.id].sort());
    const first = calc.find((i) => i.id === running[0]!.id)!;
    assert.equal(first.version, '1.2.0');
    assert.equal(first.description, 'adds');
    assert.deepEqual(first.metadata, { origin: 'test' });
    assert.ok(first.rttMs !== undefined && first.rttMs >= 0);
    assert.ok(first.started);
    assert.deepEqual(
      first.endpoints.map((e) => [e.name, e.subject, e.queueGroup]),
      [
        ['echo', 'calc.echo', 'q'],
        ['fail', 'calc.fail', 'q'],
      ],
    );
    // The one request went to one of the two instances of the queue group.
    const echoed = calc.map((i) => i.endpoints.find((e) => e.name === 'echo')!.requests);
    assert.equal((echoed[0] ?? 0) + (echoed[1] ?? 0), 1);
    assert.equal(found.invalid, 0);
    assert.equal(found.truncated, false);
  });

  it('narrows discovery to one service name, and finds nothing quickly when nothing runs', async () => {
    const only = await discoverServices(s, { name: 'clock' });
    assert.deepEqual(
      only.services.map((g) => g.name),
      ['clock'],
    );
    const started = Date.now();
    const none = await discoverServices(s, { name: 'nosuch', maxWaitMs: 5_000 });
    assert.deepEqual(none.services, []);
    // No responders ends the wait at once instead of after maxWaitMs.
    assert.ok(Date.now() - started < 4_000, `took ${Date.now() - started} ms`);
  });

  it('stops at the instance limit and says so', async () => {
    const found = await discoverServices(s, { maxInstances: 1 });
    assert.equal(found.truncated, true);
    assert.equal(found.services.flatMap((g) => g.instances).length, 1);
  });

  it('counts replies that are not the protocol instead of failing', async () => {
    const rogue = provider.subscribe('$SRV.INFO', {
      callback: (_e, m) => {
        m.respond('not json');
      },
    });
    await provider.flush();
    try {
      const found = await discoverServices(s);
      assert.equal(found.invalid, 1);
      assert.equal(found.services.length, 2);
    } finally {
      rogue.unsubscribe();
    }
  });

  it('requests an endpoint and reads a service error from the headers', async () => {
    const ok = await requestEndpoint(s, 'calc.echo', 'hello');
    assert.equal(ok.payload.text, 'echo:hello');
    assert.equal(ok.serviceError, undefined);
    const bad = await requestEndpoint(s, 'calc.fail', '1/0');
    assert.deepEqual(bad.serviceError, { code: '422', text: 'bad operand' });
    const stats = await discoverServices(s, { name: 'calc' });
    const errors = stats.services[0]!.instances.map((i) => i.endpoints.find((e) => e.name === 'fail')!.errors ?? 0);
    assert.equal(
      errors.reduce((a, b) => a + b, 0),
      1,
    );
  });

  it('says in one sentence naming the subject when no instance answers', async () => {
    await assert.rejects(requestEndpoint(s, 'calc.gone', 'x', 2_000), (err: unknown) => {
      assert.ok(err instanceof ServiceRequestError);
      assert.match(err.message, /calc\.gone/);
      assert.doesNotMatch(err.message, /\n/);
      return true;
    });
  });

  it('refuses an endpoint request on a read-only connection, but still discovers', async () => {
    const before = await discoverServices(ro, { name: 'calc' });
    const count = () =>
      before.services[0]!.instances.reduce(
        (n, i) => n + (i.endpoints.find((e) => e.name === 'echo')!.requests ?? 0),
        0,
      );
    const requestsBefore = count();
    await assert.rejects(requestEndpoint(ro, 'calc.echo', 'x'), { name: 'ReadOnlyError' });
    const after = await discoverServices(s, { name: 'calc' });
    const requestsAfter = after.services[0]!.instances.reduce(
      (n, i) => n + (i.endpoints.find((e) => e.name === 'echo')!.requests ?? 0),
      0,
    );
    assert.equal(requestsAfter, requestsBefore);
  });

  it('works the same on the oldest supported server: the protocol needs nothing from nats-server', async () => {
    const old = await startNatsServer({ jetstream: false, binary: tools().natsServerOldest });
    const oldProvider = await connect({ servers: old.url });
    const session = await connectedSession(old.url, { name: 'old' });
    const svc = startTestService(oldProvider, {
      name: 'legacy',
      version: '0.0.1',
      endpoints: [{ name: 'echo', subject: 'legacy.echo', handle: () => 'pong' }],
    });
    try {
      await oldProvider.flush();
      assert.match(session.connection().info?.version ?? '', /^2\.9\./);
      const found = await discoverServices(session);
      assert.deepEqual(
        found.services.map((g) => g.instances.map((i) => i.id)),
        [[svc.id]],
      );
      assert.equal((await requestEndpoint(session, 'legacy.echo', '')).payload.text, 'pong');
    } finally {
      await svc.stop();
      await oldProvider.close();
      await session.close();
      await old.stop();
    }
  });
});
