import * as assert from 'node:assert/strict';
import { connect, type Msg } from '@nats-io/transport-node';
import { LiveTail } from '../../../../src/core/nats/liveTail';
import type { NatsSession } from '../../../../src/core/nats/session';
import { SubjectSampler, subjectBytes } from '../../../../src/core/nats/subjectSampler';
import type { SubjectNode } from '../../../../src/core/nats/subjectTree';
import { startNatsServer, type NatsServer } from '../../../harness/natsServer';
import { connectedSession, statsWhere } from './fixture';

/** The node for `subject` in a sampled tree, token by token. */
function findSubjectNode(roots: readonly SubjectNode[], subject: string): SubjectNode | undefined {
  let level = roots;
  let found: SubjectNode | undefined;
  for (const token of subject.split('.')) {
    found = level.find((n) => n.token === token);
    if (!found) return undefined;
    level = found.children;
  }
  return found;
}

describe('subject sampler and live tail against a real nats-server', () => {
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

  it('receives every message of a 300,000-message burst on 1,000 subjects, with few notifications', async function () {
    this.timeout(120_000);
    const sampler = new SubjectSampler(s, { maxDurationMs: 120_000 });
    let notifications = 0;
    sampler.onChange(() => notifications++);
    const pub = await connect({ servers: server.url });
    try {
      sampler.start();
      await s.connection().flush(); // the subscription is registered on the server before publishing
      const started = Date.now();
      const total = 300_000;
      for (let i = 0; i < total; i++) {
        pub.publish(`load.${i % 10}.s${i % 1000}`, 'payload-15bytes');
        if (i % 10_000 === 9_999) await pub.flush();
      }
      await pub.flush();
      const stats = await statsWhere(sampler, (st) => st.messages >= total);
      const seconds = (Date.now() - started) / 1000;
      assert.equal(stats.messages, total);
      assert.equal(stats.distinctSubjects, 1000);
      assert.equal(stats.leftOutMessages, 0);
      const tree = sampler.tree();
      assert.equal(findSubjectNode(tree, 'load')!.messages, total);
      assert.equal(findSubjectNode(tree, 'load.3')!.messages, total / 10);
      assert.equal(findSubjectNode(tree, 'load.3.s3')!.messages, total / 1000);
      const roots = sampler.children();
      assert.deepEqual(
        roots.map((r) => [r.subject, r.messages, r.childCount, r.seen]),
        [['load', total, 10, false]],
      );
      const level = sampler.children('load.3');
      assert.equal(level.length, 100);
      assert.deepEqual(level[0], {
        token: 's103',
        subject: 'load.3.s103',
        messages: total / 1000,
        ratePerSec: level[0]!.ratePerSec,
        seen: true,
        streams: [],
        childCount: 0,
      });
      assert.deepEqual(sampler.children('nope'), []);
      assert.ok(notifications <= Math.ceil(seconds * 4) + 2, `${notifications} notifications in ${seconds} s`);
      console.log(`      (${Math.round(total / seconds)} msg/s end to end, ${notifications} notifications)`);
    } finally {
      sampler.stop();
      await pub.close();
    }
    assert.equal(sampler.stats().stopReason, 'stopped');
  });

  it("reads subjects from nats.js's parsed bytes (the fast path this nats.js version must keep offering)", async () => {
    const nc = s.connection();
    const got = new Promise<Msg>((resolve) =>
      nc.subscribe('bytes.check.é', { max: 1, callback: (_err, m) => resolve(m) }),
    );
    await nc.flush();
    nc.publish('bytes.check.é', 'x');
    const msg = await got;
    const raw = subjectBytes(msg);
    assert.ok(
      raw instanceof Uint8Array,
      'nats.js no longer keeps the subject bytes on the message: the sampler falls back to msg.subject',
    );
    assert.equal(new TextDecoder().decode(raw), 'bytes.check.é');
    assert.equal(msg.subject, 'bytes.check.é');
  });

  it('leaves out system and inbox traffic, caps distinct subjects and stops at its time limit', async () => {
    const sampler = new SubjectSampler(s, { maxSubjects: 3, maxDurationMs: 1_500, tickMs: 100 });
    const nc = s.connection();
    try {
      sampler.start();
      await nc.flush();
      for (const subj of ['a.1', 'a.2', 'b', 'c', 'd', 'c', '$SYS.x', '$JS.API.INFO', '$KV.b.k', '_INBOX.abc'])
        nc.publish(subj);
      await nc.flush();
      const stats = await statsWhere(sampler, (st) => st.messages >= 6);
      assert.equal(stats.distinctSubjects, 3);
      assert.deepEqual([stats.leftOutSubjects, stats.leftOutMessages], [2, 3]);
      assert.deepEqual(
        sampler.tree().map((n) => n.token),
        ['a', 'b'],
      );
      const stopped = await statsWhere(sampler, (st) => !st.running, 10_000);
      assert.equal(stopped.stopReason, 'timeLimit');
    } finally {
      sampler.stop();
    }
  });

  it('keeps sampling across a server restart on the same port', async function () {
    this.timeout(60_000);
    let own = await startNatsServer({ jetstream: false });
    const port = own.port;
    const session = await connectedSession(own.url);
    const sampler = new SubjectSampler(session, { maxDurationMs: 60_000, tickMs: 100 });
    try {
      sampler.start();
      await session.connection().flush();
      session.connection().publish('before.x');
      await statsWhere(sampler, (st) => st.messages === 1);
      const reconnecting = new Promise<void>((r) => session.onStateChange((st) => st.kind === 'reconnecting' && r()));
      await own.stop();
      await reconnecting;
      own = await startNatsServer({ jetstream: false, port });
      await session.whenConnected(20_000);
      const pub = await connect({ servers: own.url });
      try {
        // The re-subscription may land just after the reconnect event: publish until the sampler sees one.
        while (sampler.stats().messages < 2) {
          pub.publish('after.y');
          await pub.flush();
          await statsWhere(sampler, (st) => st.messages >= 2, 500).catch(() => undefined);
        }
      } finally {
        await pub.close();
      }
      assert.equal(sampler.running, true);
      assert.ok(findSubjectNode(sampler.tree(), 'after.y'));
    } finally {
      sampler.stop();
      await session.close();
      await own.stop();
    }
  });

  it('merges stream subject lists into the sampled tree', async () => {
    const sampler = new SubjectSampler(s, { maxDurationMs: 5_000, tickMs: 50 });
    const nc = s.connection();
    try {
      sampler.setStreamSubjects([
        { name: 'ORDERS', subjects: ['orders.>'] },
        { name: 'EU', subjects: ['orders.eu.*'] },
      ]);
      sampler.start();
      await nc.flush();
      nc.publish('orders.eu.created');
      await nc.flush();
      await statsWhere(sampler, (st) => st.messages === 1, 10_000, true);
      assert.deepEqual(
        sampler.children('orders').map((c) => [c.token, c.messages, c.streams]),
        [
          ['>', 0, ['ORDERS']],
          ['eu', 1, []],
        ],
      );
      assert.deepEqual(
        sampler.children('orders.eu').map((c) => [c.token, c.messages, c.streams]),
        [
          ['*', 0, ['EU']],
          ['created', 1, []],
        ],
      );
      assert.equal(sampler.stats().distinctSubjects, 1, 'stream patterns are not counted as sampled subjects');
    } finally {
      sampler.stop();
    }
  });

  it('tails a wildcard into a bounded ring with pause, resume and clear', async () => {
    const tail = new LiveTail(s, 'tail.>', { capacity: 3, notifyMs: 50 });
    const nc = s.connection();
    const changed = () =>
      new Promise<void>((r) => {
        const off = tail.onChange(() => {
          off();
          r();
        });
      });
    try {
      tail.start();
      await nc.flush();
      let next = changed();
      for (let i = 0; i < 5; i++) nc.publish(`tail.${i}`, `m${i}`);
      nc.publish('tail.html', '<img src=x onerror=alert(1)>');
      await nc.flush();
      await next;
      while (tail.stats().received < 6) {
        next = changed();
        await next;
      }
      assert.deepEqual(
        tail.messages().map((m) => m.subject),
        ['tail.3', 'tail.4', 'tail.html'],
      );
      assert.equal(tail.messages()[2]!.payload.text, '<img src=x onerror=alert(1)>');
      tail.pause();
      nc.publish('tail.paused', 'x');
      await nc.flush();
      next = changed();
      while (tail.stats().skippedWhilePaused < 1) {
        nc.publish('tail.paused', 'x');
        await nc.flush();
      }
      await next;
      assert.equal(tail.messages().at(-1)!.subject, 'tail.html');
      tail.resume();
      tail.clear();
      assert.deepEqual(tail.messages(), []);
      assert.equal(tail.stats().paused, false);
    } finally {
      tail.stop();
    }
    assert.equal(tail.stats().running, false);
  });
});
