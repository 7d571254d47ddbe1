import * as assert from 'node:assert/strict';
import { Kvm } from '@nats-io/kv';
import { listKeyLevel } from '../../../../src/core/nats/kvBrowser';
import { listKeyLevelFromSubjects } from '../../../../src/core/nats/kvLevelFromSubjects';
import { scanLastPerSubject } from '../../../../src/core/kine/lastPerSubjectScan';
import { BucketNotFoundError, CancelledError } from '../../../../src/core/nats/natsErrors';
import type { NatsSession } from '../../../../src/core/nats/session';
import { listSubjectPages, SubjectListingCancelled } from '../../../../src/core/nats/subjectListing';
import { startNatsServer, type NatsServer } from '../../../harness/natsServer';
import { connectedSession, fillStream } from './fixture';

describe('key levels from the server subject listing', function () {
  this.timeout(120_000);
  let server: NatsServer;
  let s: NatsSession;
  before(async () => {
    server = await startNatsServer();
    s = await connectedSession(server.url);
    const kv = await new Kvm(s.connection()).create('cfg', { history: 5 });
    for (const k of ['app.db.host', 'app.db.port', 'app.name', 'app', 'web.port', 'gone.x', 'top', 'back', 'back.a'])
      await kv.put(k, `v:${k}`);
    await kv.delete('gone.x');
    await kv.delete('top');
    // Put again after its delete: the newest entry is a PUT, so it is a key again.
    await kv.delete('back');
    await kv.put('back', 'again');
  });
  after(async () => {
    await s?.close();
    await server?.stop();
  });

  it("lists a level with stored counts marked as estimates, and refines the level's own keys", async () => {
    const level = await listKeyLevelFromSubjects(s, 'cfg');
    assert.ok(level);
    assert.equal(level.estimated, true);
    assert.deepEqual(
      level.children.map((c) => [c.token, c.isKey, c.descendants, c.estimated]),
      [
        ['app', true, 3, true],
        // Re-created after its delete: a key again.
        ['back', true, 1, true],
        // Only a deleted key below: still counted until its own level is opened.
        ['gone', false, 1, true],
        // 'top' is left out: its newest entry is a delete marker.
        ['web', false, 1, true],
      ],
    );
    await assert.rejects(listKeyLevelFromSubjects(s, 'nope'), BucketNotFoundError);
    // Opening 'gone' refines its level: nothing live is left.
    assert.deepEqual((await listKeyLevelFromSubjects(s, 'cfg', 'gone'))?.children, []);
    const app = await listKeyLevelFromSubjects(s, 'cfg', 'app');
    assert.deepEqual(
      app?.children.map((c) => [c.path, c.isKey, c.descendants]),
      [
        ['app.db', false, 2],
        ['app.name', true, 0],
      ],
    );
    // The exact walk agrees on every live key; only the deleted-only 'gone' differs.
    const exact = await listKeyLevel(s, 'cfg');
    assert.deepEqual(
      exact.children.map((c) => [c.token, c.isKey]),
      level.children.filter((c) => c.token !== 'gone').map((c) => [c.token, c.isKey]),
    );
  });

  it('pages past the server limit of 100,000 subjects, and stops between pages when cancelled', async () => {
    const nc = s.connection();
    const jsm = await s.jetstreamManager();
    await jsm.streams.add({ name: 'WIDE', subjects: ['wide.>'], storage: 'memory' as never });
    const n = 100_050;
    await fillStream(
      nc,
      'WIDE',
      n,
      (i) => `wide.${i % 7}.s${i}`,
      n,
      () => '',
    );
    const seen = new Set<string>();
    const pageSizes: number[] = [];
    const r = await listSubjectPages(nc, jsm, 'WIDE', 'wide.>', (subjects) => {
      const keys = Object.keys(subjects);
      pageSizes.push(keys.length);
      for (const k of keys) seen.add(k);
    });
    assert.deepEqual([r.supported, r.listed, r.total, r.pages], [true, n, n, 2]);
    assert.deepEqual(pageSizes, [100_000, 50]);
    assert.equal(seen.size, n);

    // More than one page: the callers take a scan instead, and nothing is listed.
    let handed = 0;
    const one = await listSubjectPages(nc, jsm, 'WIDE', 'wide.>', () => void handed++, { onePageOnly: true });
    assert.deepEqual([one.tooMany, one.listed, one.total, one.pages, handed], [true, 0, n, 1, 0]);
    const fits = await listSubjectPages(nc, jsm, 'WIDE', 'wide.3.>', () => void handed++, { onePageOnly: true });
    assert.deepEqual([fits.tooMany, fits.listed, handed], [undefined, 14_293, 1]);

    const abort = new AbortController();
    let pages = 0;
    await assert.rejects(
      listSubjectPages(nc, jsm, 'WIDE', 'wide.>', () => void pages++, {
        signal: abort.signal,
        onProgress: () => abort.abort(),
      }),
      SubjectListingCancelled,
    );
    assert.equal(pages, 1);
    const capped = await listSubjectPages(nc, jsm, 'WIDE', 'wide.3.>', () => undefined, { maxSubjects: 10 });
    assert.deepEqual([capped.listed, capped.total], [14_293, 14_293]);
    await assert.rejects(
      listSubjectPages(nc, jsm, 'NOPE', '>', () => undefined),
      (err: Error & { code?: number }) => err.code === 10059,
    );
  });

  it('a cancelled key scan or key walk ends at once with CancelledError, and leaves no consumer behind', async () => {
    const nc = s.connection();
    const jsm = await s.jetstreamManager();
    await new Kvm(nc).create('many', { history: 1 });
    await fillStream(nc, 'KV_many', 20_000, (i) => `$KV.many.k${i}`, 20_000);
    const abort = new AbortController();
    let seen = 0;
    // Cancelled from the first delivery on: the scan of 20,000 keys must not run to its end.
    await assert.rejects(
      scanLastPerSubject(
        nc,
        jsm,
        'KV_many',
        '$KV.many.>',
        '$KV.many.',
        () => {
          seen++;
          abort.abort();
        },
        { signal: abort.signal },
      ),
      (err: Error) => err.name === 'CancelledError' && err.message === 'The key scan of KV_many was cancelled.',
    );
    assert.ok(seen > 0 && seen < 20_000, `${seen} keys seen`);
    // Deleted at once, or, when the cancel came before the consumer's create reply, as soon as that reply did.
    const deadline = Date.now() + 10_000;
    for (;;) {
      const left: string[] = [];
      for await (const c of jsm.consumers.list('KV_many')) left.push(c.name);
      if (left.length === 0) break;
      assert.ok(Date.now() < deadline, `the scan's consumer ${left.join()} is still there after 10 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
    // The walk (servers without the subject listing, levels past one page) and the level from the listing.
    const cancelled = new AbortController();
    cancelled.abort();
    await assert.rejects(listKeyLevel(s, 'many', undefined, { signal: cancelled.signal }), CancelledError);
    await assert.rejects(
      listKeyLevelFromSubjects(s, 'cfg', undefined, { signal: cancelled.signal }),
      (err: Error) => err instanceof SubjectListingCancelled || err instanceof CancelledError,
    );
  });
});
