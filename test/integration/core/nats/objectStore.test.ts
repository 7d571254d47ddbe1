import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { headers } from '@nats-io/transport-node';
import { listObjects, objectInfo } from '../../../../src/core/nats/objectStore/objectEntries';
import {
  createObjectStore,
  deleteObjectStore,
  listObjectStores,
  ObjectStoreExistsError,
  openObjectStore,
} from '../../../../src/core/nats/objectStore/objectStores';
import {
  BucketLinkError,
  deleteObject,
  downloadObject,
  ObjectDigestError,
  ObjectIncompleteError,
  ObjectNotFoundError,
  TransferCancelledError,
  uploadObject,
} from '../../../../src/core/nats/objectStore/objectTransfer';
import { ReadOnlyError } from '../../../../src/core/nats/natsErrors';
import type { NatsSession } from '../../../../src/core/nats/session';
import { listStreams } from '../../../../src/core/nats/streams';
import { startNatsServer, type NatsServer } from '../../../harness/natsServer';
import { tools } from '../../../harness/tools';
import { connectedSession } from './fixture';

const MiB = 1024 * 1024;

/** Writes `size` random bytes to `path` a MiB at a time; resolves their SHA-256. */
async function randomFile(path: string, size: number): Promise<Buffer> {
  const hash = createHash('sha256');
  const out = createWriteStream(path);
  for (let left = size; left > 0; left -= MiB) {
    const block = randomBytes(Math.min(MiB, left));
    hash.update(block);
    if (!out.write(block)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  out.end();
  await finished(out);
  return hash.digest();
}

async function fileSha(path: string): Promise<Buffer> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest();
}

describe('Object Store against a real nats-server', () => {
  let server: NatsServer;
  let s: NatsSession;
  let ro: NatsSession;
  let dir: string;
  before(async () => {
    server = await startNatsServer();
    s = await connectedSession(server.url);
    ro = await connectedSession(server.url, { readOnly: true, name: 'ro' });
    dir = await mkdtemp(join(tmpdir(), 'nats-k3s-obj-'));
  });
  after(async () => {
    await s?.close();
    await ro?.close();
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('creates a bucket, refuses a second of that name, lists it with its size, and deletes it', async () => {
    const made = await createObjectStore(s, { bucket: 'photos', description: 'pictures' });
    assert.equal(made.bucket, 'photos');
    await assert.rejects(createObjectStore(s, { bucket: 'photos' }), ObjectStoreExistsError);
    await writeFile(join(dir, 'small.txt'), 'hello object store');
    await uploadObject(s, 'photos', 'small.txt', join(dir, 'small.txt'));
    const { stores } = await listObjectStores(s);
    const photos = stores.find((b) => b.bucket === 'photos');
    assert.ok(photos && photos.bytes > 18, `the bucket's size counts its object: ${photos?.bytes}`);
    assert.equal(photos.description, 'pictures');
    await deleteObjectStore(s, 'photos');
    assert.ok(!(await listObjectStores(s)).stores.some((b) => b.bucket === 'photos'));
  });

  it('streams a 64 MiB object up and down with memory growing far less than its size, digest checked', async function () {
    this.timeout(300_000);
    await createObjectStore(s, { bucket: 'big' });
    const source = join(dir, 'big.bin');
    const sha = await randomFile(source, 64 * MiB);
    // Collected before each sample, so the figure is what the transfer holds, not garbage V8 has yet to sweep.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const used = () => {
      gc();
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    const base = used();
    let peak = base;
    let sampledAt = 0;
    // Sampled every 4 MiB moved, in both directions: a transfer that buffered the object would peak near its size.
    const track = (done: number) => {
      if (done - sampledAt < 4 * MiB && done !== 64 * MiB) return;
      sampledAt = done;
      peak = Math.max(peak, used());
    };
    const up = await uploadObject(s, 'big', 'big.bin', source, { onProgress: track });
    sampledAt = 0;
    assert.equal(up.size, 64 * MiB);
    assert.equal(up.digest, `SHA-256=${sha.toString('base64url')}=`);
    const target = join(dir, 'big.down');
    let lastDone = 0;
    const down = await downloadObject(s, 'big', 'big.bin', target, {
      onProgress: (done) => {
        lastDone = done;
        track(done);
      },
    });
    assert.equal(lastDone, 64 * MiB);
    assert.equal(down.chunks, up.chunks);
    assert.ok((await fileSha(target)).equals(sha), 'the downloaded file is the uploaded one');
    const grew = peak - base;
    assert.ok(grew < 32 * MiB, `memory grew by ${Math.round(grew / MiB)} MiB moving a 64 MiB object`);
    assert.deepEqual(
      (await readdir(dir)).filter((f) => f.endsWith('.part')),
      [],
      'no temp file is left',
    );
  });

  it('a cancelled upload leaves no object and no chunks; an older object of that name stays', async () => {
    await createObjectStore(s, { bucket: 'cancel' });
    await writeFile(join(dir, 'old.txt'), 'the old content');
    await uploadObject(s, 'cancel', 'doc', join(dir, 'old.txt'));
    const jsm = await s.jetstreamManager();
    const before = (await jsm.streams.info('OBJ_cancel')).state.messages;
    const source = join(dir, 'cancel.bin');
    await randomFile(source, 8 * MiB);
    const abort = new AbortController();
    await assert.rejects(
      uploadObject(s, 'cancel', 'doc', source, {
        signal: abort.signal,
        onProgress: (done) => {
          if (done >= 2 * MiB) abort.abort();
        },
      }),
      TransferCancelledError,
    );
    assert.equal((await jsm.streams.info('OBJ_cancel')).state.messages, before, 'no chunk of the cancelled upload');
    assert.equal((await objectInfo(s, 'cancel', 'doc'))?.size, 15);
    const fresh = join(dir, 'fresh.bin');
    await assert.rejects(
      uploadObject(s, 'cancel', 'fresh', source, { signal: AbortSignal.abort() }),
      TransferCancelledError,
    );
    assert.equal(await objectInfo(s, 'cancel', 'fresh'), undefined);
    assert.equal(existsSync(fresh), false);
  });

  it('a cancelled download leaves no file and keeps an existing one as it was', async () => {
    await createObjectStore(s, { bucket: 'dl' });
    const source = join(dir, 'dl.bin');
    await randomFile(source, 8 * MiB);
    await uploadObject(s, 'dl', 'dl.bin', source);
    const target = join(dir, 'keep.txt');
    await writeFile(target, 'mine');
    const abort = new AbortController();
    await assert.rejects(
      downloadObject(s, 'dl', 'dl.bin', target, {
        signal: abort.signal,
        onProgress: (done) => {
          if (done >= MiB) abort.abort();
        },
      }),
      TransferCancelledError,
    );
    assert.equal(await readFile(target, 'utf8'), 'mine');
    assert.deepEqual(
      (await readdir(dir)).filter((f) => f.endsWith('.part')),
      [],
    );
  });

  it('refuses to save an object whose data does not match its digest', async () => {
    await createObjectStore(s, { bucket: 'tamper' });
    await writeFile(join(dir, 't.txt'), 'genuine bytes');
    await uploadObject(s, 'tamper', 't.txt', join(dir, 't.txt'));
    // Rewrite the metadata with another digest, as a damaged or forged entry would read.
    const subject = `$O.tamper.M.${Buffer.from('t.txt').toString('base64url')}=`;
    const jsm = await s.jetstreamManager();
    const meta = (await jsm.streams.getMessage('OBJ_tamper', { last_by_subj: subject }))!.json<{ digest: string }>();
    const h = headers();
    h.set('Nats-Rollup', 'sub');
    await s
      .jetstream()
      .publish(subject, JSON.stringify({ ...meta, digest: `SHA-256=${Buffer.alloc(32).toString('base64url')}=` }), {
        headers: h,
      });
    const target = join(dir, 't.down');
    await assert.rejects(downloadObject(s, 'tamper', 't.txt', target), ObjectDigestError);
    assert.equal(existsSync(target), false);
  });

  it('refuses to save an object whose chunks are missing instead of waiting for them', async () => {
    await createObjectStore(s, { bucket: 'holes' });
    const source = join(dir, 'holes.bin');
    await randomFile(source, MiB);
    const up = await uploadObject(s, 'holes', 'holes.bin', source);
    assert.ok(up.chunks > 1);
    const jsm = await s.jetstreamManager();
    const subject = `$O.holes.C.${(await (await openObjectStore(s, 'holes')).info('holes.bin'))!.nuid}`;
    const lastChunk = await jsm.streams.getMessage('OBJ_holes', { last_by_subj: subject });
    await jsm.streams.deleteMessage('OBJ_holes', lastChunk!.seq);
    const target = join(dir, 'holes.down');
    await assert.rejects(downloadObject(s, 'holes', 'holes.bin', target), ObjectIncompleteError);
    assert.equal(existsSync(target), false);
  });

  it('keeps the backing OBJ_ streams out of the stream list unless system streams are asked for', async () => {
    const plain = await listStreams(s);
    assert.ok(!plain.some((x) => x.name.startsWith('OBJ_')));
    const all = await listStreams(s, { includeSystem: true });
    const obj = all.find((x) => x.name === 'OBJ_holes');
    assert.equal(obj?.kind, 'objectStore');
  });

  it('lists objects with their info, links included, up to a limit', async () => {
    await createObjectStore(s, { bucket: 'list' });
    for (const n of ['b', 'a', 'c']) {
      await writeFile(join(dir, n), `content ${n}`);
      await uploadObject(s, 'list', n, join(dir, n), { description: `object ${n}` });
    }
    const os = await openObjectStore(s, 'list');
    await os.link('to-a', (await os.info('a'))!);
    await os.linkStore('whole', await openObjectStore(s, 'cancel'));
    const h = headers();
    h.append('Content-Type', 'text/plain');
    h.append('X-Tag', 'one');
    h.append('X-Tag', 'two');
    await os.putBlob({ name: 'with-headers', headers: h, metadata: { owner: 'ops' } }, new TextEncoder().encode('hi'));
    await deleteObject(s, 'list', 'c');
    const all = await listObjects(s, 'list');
    assert.deepEqual(
      all.objects.map((o) => o.name),
      ['a', 'b', 'to-a', 'whole', 'with-headers'],
    );
    assert.equal(all.more, false);
    const tagged = all.objects[4]!;
    assert.deepEqual(all.objects[3]!.link, { bucket: 'cancel' });
    await assert.rejects(downloadObject(s, 'list', 'whole', join(dir, 'whole')), BucketLinkError);
    assert.deepEqual(tagged.headers, [
      ['Content-Type', 'text/plain'],
      ['X-Tag', 'one'],
      ['X-Tag', 'two'],
    ]);
    assert.deepEqual(tagged.metadata, { owner: 'ops' });
    assert.deepEqual((await objectInfo(s, 'list', 'with-headers'))?.headers, tagged.headers);
    const a = all.objects[0]!;
    assert.equal(a.size, 9);
    assert.equal(a.chunks, 1);
    assert.equal(a.description, 'object a');
    assert.match(a.modified, /^\d{4}-\d\d-\d\dT/);
    assert.deepEqual(all.objects[2]!.link, { bucket: 'list', name: 'a' });
    const target = join(dir, 'via-link');
    await downloadObject(s, 'list', 'to-a', target);
    assert.equal(await readFile(target, 'utf8'), 'content a');
    const two = await listObjects(s, 'list', 2);
    assert.equal(two.objects.length, 2);
    assert.equal(two.more, true);
    await assert.rejects(deleteObject(s, 'list', 'c'), ObjectNotFoundError);
    await assert.rejects(downloadObject(s, 'list', 'nope', join(dir, 'nope')), ObjectNotFoundError);
  });

  it('a read-only session refuses every write before touching the server', async () => {
    await writeFile(join(dir, 'ro.txt'), 'x');
    await assert.rejects(createObjectStore(ro, { bucket: 'ro' }), ReadOnlyError);
    await assert.rejects(uploadObject(ro, 'list', 'ro', join(dir, 'ro.txt')), ReadOnlyError);
    await assert.rejects(deleteObject(ro, 'list', 'a'), ReadOnlyError);
    await assert.rejects(deleteObjectStore(ro, 'list'), ReadOnlyError);
    assert.ok(await objectInfo(s, 'list', 'a'), 'the object is still there');
    assert.ok(!(await listObjectStores(s)).stores.some((b) => b.bucket === 'ro'));
  });
});

describe('Object Store on the oldest supported nats-server', () => {
  it('creates, uploads, lists, downloads and deletes unchanged, so the feature needs no version gate', async () => {
    const server = await startNatsServer({ binary: tools().natsServerOldest });
    const s = await connectedSession(server.url);
    const dir = await mkdtemp(join(tmpdir(), 'nats-k3s-obj-old-'));
    try {
      await createObjectStore(s, { bucket: 'old' });
      const source = join(dir, 'o.bin');
      const sha = await randomFile(source, 3 * MiB);
      await uploadObject(s, 'old', 'o.bin', source);
      assert.deepEqual(
        (await listObjects(s, 'old')).objects.map((o) => o.name),
        ['o.bin'],
      );
      await downloadObject(s, 'old', 'o.bin', join(dir, 'o.down'));
      assert.ok((await fileSha(join(dir, 'o.down'))).equals(sha));
      await deleteObject(s, 'old', 'o.bin');
      assert.equal(await objectInfo(s, 'old', 'o.bin'), undefined);
    } finally {
      await s.close();
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
