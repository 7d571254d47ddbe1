// The subject sampler as the explorer runs it: in a worker thread with a connection of its own.
import * as assert from 'node:assert/strict';
import { connect } from '@nats-io/transport-node';
import { SamplerThread } from '../../../../src/core/nats/samplerThread';
import type { NatsSession } from '../../../../src/core/nats/session';
import { openConnections, startNatsServer, type NatsServer } from '../../../harness/natsServer';
import { connectedSession, statsWhere } from './fixture';

async function openConnectionNames(server: NatsServer): Promise<string[]> {
  return (await openConnections(server)).map((c) => c.name);
}

/** Polls the monitoring endpoint (the server offers no event for a client leaving) until `pred` holds. */
async function untilConnections(server: NatsServer, pred: (names: string[]) => boolean): Promise<string[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const names = await openConnectionNames(server);
    if (pred(names)) return names;
    if (Date.now() > deadline) throw new Error(`server connections stayed ${JSON.stringify(names)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('subject sampler in a worker thread against a real nats-server', () => {
  let server: NatsServer;
  let s: NatsSession;
  before(async () => {
    server = await startNatsServer();
    s = await connectedSession(server.url);
  });
  after(async () => {
    await s?.close();
    await server?.stop();
  });

  it('counts a 200,000-message burst on its own connection and answers one level at a time', async function () {
    this.timeout(120_000);
    const sampler = new SamplerThread(() => s.connectRecipe('sample-under-test'), {
      maxDurationMs: 120_000,
      tickMs: 100,
    });
    const pub = await connect({ servers: server.url });
    try {
      await sampler.start();
      assert.equal(sampler.running, true);
      assert.ok(
        (await openConnectionNames(server)).includes('sample-under-test'),
        'the worker has a connection of its own',
      );
      sampler.setStreamSubjects([{ name: 'LOAD', subjects: ['load.>'] }]);
      const total = 200_000;
      for (let i = 0; i < total; i++) {
        pub.publish(`load.${i % 10}.s${i % 1000}`, 'payload-15bytes');
        if (i % 10_000 === 9_999) await pub.flush();
      }
      await pub.flush();
      const stats = await statsWhere(sampler, (st) => st.messages >= total);
      assert.deepEqual([stats.messages, stats.distinctSubjects, stats.leftOutMessages], [total, 1000, 0]);
      const roots = await sampler.children();
      assert.deepEqual(
        roots.map((r) => [r.subject, r.messages, r.childCount]),
        [['load', total, 11]],
      );
      const level = await sampler.children('load');
      assert.deepEqual(
        level.map((c) => c.token),
        ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '>'],
      );
      assert.deepEqual(level.at(-1)!.streams, ['LOAD']);
      assert.equal((await sampler.children('load.3')).length, 100);
      assert.deepEqual(await sampler.children('nope'), []);
    } finally {
      await pub.close();
      sampler.stop();
    }
    const stopped = await statsWhere(sampler, (st) => !st.running);
    assert.equal(stopped.stopReason, 'stopped');
    // Stopped: the worker's connection goes, its counts stay readable until the next start.
    await untilConnections(server, (names) => !names.includes('sample-under-test'));
    assert.equal((await sampler.children('load')).length, 11);

    await sampler.start();
    assert.equal(sampler.stats().messages, 0, 'a restart begins a fresh sample');
    s.connection().publish('again.x');
    await statsWhere(sampler, (st) => st.messages === 1);
    // The stream subject lists carry over to the new worker; the counts do not.
    assert.deepEqual(
      (await sampler.children()).map((c) => [c.subject, c.messages]),
      [
        ['again', 1],
        ['load', 0],
      ],
    );
    sampler.dispose();
    await untilConnections(server, (names) => !names.includes('sample-under-test'));
    assert.deepEqual(await sampler.children(), [], 'a disposed sampler has nothing to read');
  });

  it('stops at its time limit, reported from the worker', async () => {
    const sampler = new SamplerThread(() => s.connectRecipe(), { maxDurationMs: 300, tickMs: 50 });
    try {
      await sampler.start();
      const stats = await statsWhere(sampler, (st) => !st.running, 10_000);
      assert.equal(stats.stopReason, 'timeLimit');
    } finally {
      sampler.dispose();
    }
  });

  it('says in one sentence why it could not start: refused port, missing secret, missing worker bundle', async () => {
    const refused = new SamplerThread(async () => ({
      spec: { name: 'gone', origin: 'settings', servers: ['nats://127.0.0.1:1'], auth: { kind: 'none' } },
      secret: undefined,
      overrides: { timeoutMs: 2_000 },
    }));
    const secretless = new SamplerThread(() =>
      Promise.reject(
        Object.assign(new Error("connection 'x' has no password stored under 'k'"), { name: 'MissingSecretError' }),
      ),
    );
    try {
      await refused.start();
      assert.equal(refused.running, false);
      assert.equal(refused.stats().stopReason, 'error');
      assert.match(refused.stats().error!, /^Connection refused: nothing is listening on 127\.0\.0\.1:1\./);
      await secretless.start();
      assert.equal(secretless.running, false);
      assert.match(secretless.stats().error!, /^Missing secret: connection 'x' has no password/);
      // A broken install (the worker's bundle missing) is one sentence too, not an exception.
      const broken = new SamplerThread(() => s.connectRecipe(), {}, '/nonexistent/samplerWorker.js');
      await broken.start();
      assert.equal(broken.running, false);
      assert.match(broken.stats().error!, /^The sampler's worker (failed|could not start): .*samplerWorker\.js/);
      broken.dispose();
    } finally {
      refused.dispose();
      secretless.dispose();
    }
  });

  it('a stop asked for while starting is honoured, and a start that was overtaken gives up', async () => {
    const sampler = new SamplerThread(() => s.connectRecipe('stopped-early'));
    try {
      const started = sampler.start();
      sampler.stop();
      await started;
      await statsWhere(sampler, (st) => !st.running, 10_000);
      assert.equal(sampler.running, false);
      await untilConnections(server, (names) => !names.includes('stopped-early'));
      // Collapse and expand again while still starting: the first start gives up, one worker connection remains.
      const first = sampler.start();
      sampler.stop();
      await Promise.all([first, sampler.start()]);
      assert.equal(sampler.running, true);
      await untilConnections(server, (names) => names.filter((n) => n === 'stopped-early').length === 1);
      sampler.dispose();
      await untilConnections(server, (names) => !names.includes('stopped-early'));
    } finally {
      sampler.dispose();
    }
  });
});
