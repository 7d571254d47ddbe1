import * as assert from 'node:assert/strict';
import { Kvm } from '@nats-io/kv';
import { explainNatsError } from '../../../../src/core/nats/explainError';
import {
  deleteKey,
  getKvEntry,
  keyHistory,
  listBuckets,
  listKeyLevel,
  purgeKey,
  putKey,
  watchBucket,
  type WatchEvent,
} from '../../../../src/core/nats/kvBrowser';
import { listKeys } from '../../../../src/core/nats/kvKeys';
import type { NatsSession } from '../../../../src/core/nats/session';
import { startNatsServer, type NatsServer } from '../../../harness/natsServer';
import { connectedSession } from './fixture';

describe('KV browser against a real nats-server', () => {
  let server: NatsServer;
  let s: NatsSession;
  before(async () => {
    server = await startNatsServer();
    s = await connectedSession(server.url);
    const kvm = new Kvm(s.connection());
    const cfg = await kvm.create('cfg', { history: 5, ttl: 3_600_000, description: 'app config' });
    for (const k of ['app.db.host', 'app.db.port', 'app.name', 'app', 'web.port', 'gone.x', 'top'])
      await cfg.put(k, `v:${k}`);
    await cfg.delete('gone.x');
    await kvm.create('bin');
  });
  after(async () => {
    await s?.close();
    await server?.stop();
  });

  it('lists buckets with history, TTL and size', async () => {
    const buckets = await listBuckets(s);
    assert.deepEqual(
      buckets.map((b) => b.bucket),
      ['bin', 'cfg'],
    );
    const cfg = buckets.find((b) => b.bucket === 'cfg')!;
    assert.deepEqual(
      [cfg.history, cfg.ttlMs, cfg.storage, cfg.description, cfg.values],
      [5, 3_600_000, 'file', 'app config', 8],
    );
    assert.ok(cfg.bytes > 0);
    // Seven keys written, one of them deleted: its delete marker keeps it among the stored keys until purged.
    assert.equal(cfg.keys, 7);
  });

  it('lists live keys for a picker, stopping at its bound', async () => {
    assert.deepEqual(await listKeys(s, 'cfg'), {
      keys: ['app', 'app.db.host', 'app.db.port', 'app.name', 'top', 'web.port'],
      more: false,
    });
    const bounded = await listKeys(s, 'cfg', 2);
    assert.equal(bounded.keys.length, 2);
    assert.equal(bounded.more, true);
  });

  it('lists keys one level at a time, leaving deleted keys out', async () => {
    const top = await listKeyLevel(s, 'cfg');
    assert.deepEqual(
      top.children.map((c) => [c.token, c.isKey, c.descendants]),
      [
        ['app', true, 3],
        ['top', true, 0],
        ['web', false, 1],
      ],
    );
    const app = await listKeyLevel(s, 'cfg', 'app');
    assert.deepEqual(
      app.children.map((c) => [c.path, c.isKey, c.descendants]),
      [
        ['app.db', false, 2],
        ['app.name', true, 0],
      ],
    );
    const capped = await listKeyLevel(s, 'cfg', undefined, { maxChildren: 1 });
    assert.deepEqual([capped.children.length, capped.leftOut], [1, 2]);
    const err = await listKeyLevel(s, 'nope').catch((e: unknown) => e);
    assert.equal(
      explainNatsError(err, server.url),
      `Not found: KV bucket 'nope' does not exist on 127.0.0.1:${server.port}.`,
    );
  });

  it('reads a value, its history oldest first, and shows binary values without text', async () => {
    await putKey(s, 'cfg', 'app.name', 'second');
    await putKey(s, 'cfg', 'app.name', '{"third":true}');
    const e = await getKvEntry(s, 'cfg', 'app.name');
    assert.deepEqual([e?.operation, e?.payload.text], ['PUT', '{"third":true}']);
    const h = await keyHistory(s, 'cfg', 'app.name');
    assert.deepEqual(
      h.map((x) => x.payload.text),
      ['v:app.name', 'second', '{"third":true}'],
    );
    assert.ok(h[0]!.revision < h[1]!.revision);
    await deleteKey(s, 'cfg', 'app.name');
    assert.deepEqual(
      (await keyHistory(s, 'cfg', 'app.name')).map((x) => x.operation),
      ['PUT', 'PUT', 'PUT', 'DEL'],
    );
    assert.equal((await getKvEntry(s, 'cfg', 'app.name'))?.operation, 'DEL');
    await purgeKey(s, 'cfg', 'app.name');
    assert.deepEqual(
      (await keyHistory(s, 'cfg', 'app.name')).map((x) => x.operation),
      ['PURGE'],
    );
    assert.equal(await getKvEntry(s, 'cfg', 'never'), undefined);
    assert.deepEqual(await keyHistory(s, 'cfg', 'never'), []);
    await putKey(s, 'bin', 'blob', new Uint8Array([0, 159, 146, 150]));
    const bin = await getKvEntry(s, 'bin', 'blob');
    assert.deepEqual([bin?.payload.text, bin?.payload.size], [undefined, 4]);
  });

  it('watches a prefix: current values first, then live puts, deletes and purges, until stopped', async () => {
    const events: WatchEvent[] = [];
    let wake: (() => void) | undefined;
    const handle = await watchBucket(
      s,
      'cfg',
      (e) => {
        events.push(e);
        wake?.();
      },
      { prefix: 'app.db' },
    );
    const until = async (n: number) => {
      while (events.length < n) await new Promise<void>((r) => (wake = r));
    };
    try {
      await until(2);
      assert.deepEqual(
        events.map((e) => [e.entry.key, e.initial]),
        [
          ['app.db.host', true],
          ['app.db.port', true],
        ],
      );
      await putKey(s, 'cfg', 'app.db.port', '5433');
      await putKey(s, 'cfg', 'web.port', 'not watched');
      await deleteKey(s, 'cfg', 'app.db.host');
      await purgeKey(s, 'cfg', 'app.db.port');
      await until(5);
      assert.deepEqual(
        events.slice(2).map((e) => [e.entry.key, e.entry.operation, e.initial]),
        [
          ['app.db.port', 'PUT', false],
          ['app.db.host', 'DEL', false],
          ['app.db.port', 'PURGE', false],
        ],
      );
    } finally {
      await handle.stop();
    }
    assert.equal(await handle.done, 'stopped');
  });

  it('ends a watch by itself at its entry limit, and on an empty bucket marks the first put as live', async () => {
    const events: WatchEvent[] = [];
    const handle = await watchBucket(s, 'bin', (e) => events.push(e), { maxEntries: 2, prefix: 'fresh' });
    try {
      await putKey(s, 'bin', 'fresh.a', '1');
      await putKey(s, 'bin', 'fresh.b', '2');
      assert.equal(await handle.done, 'limit');
      assert.deepEqual(
        events.map((e) => [e.entry.key, e.initial]),
        [
          ['fresh.a', false],
          ['fresh.b', false],
        ],
      );
    } finally {
      await handle.stop();
    }
  });
});
