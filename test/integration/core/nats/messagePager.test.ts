import * as assert from 'node:assert/strict';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { headers } from '@nats-io/transport-node';
import {
  getStreamMessage,
  readLastPage,
  readPageBefore,
  readPageFrom,
  seqAtTime,
} from '../../../../src/core/nats/messagePager';
import type { NatsSession } from '../../../../src/core/nats/session';
import { startNatsServer, type NatsServer } from '../../../harness/natsServer';
import { connectedSession, fillStream } from './fixture';

const TOTAL = 100_000;
const subjectOf = (i: number) => `big.${['eu', 'us', 'ap', 'sa'][i % 4]}.${i % 10}`;

describe('message pager over a stream of 100,000 messages', () => {
  let server: NatsServer;
  let s: NatsSession;
  before(async () => {
    server = await startNatsServer();
    s = await connectedSession(server.url);
    const jsm = await jetstreamManager(s.connection());
    await jsm.streams.add({ name: 'BIG', subjects: ['big.>'] });
    await fillStream(s.connection(), 'BIG', TOTAL, subjectOf, TOTAL);
    // Holes: a deleted run and single deleted sequences, which the pager must skip.
    for (let seq = 50_001; seq <= 50_300; seq++) await jsm.streams.deleteMessage('BIG', seq, false);
    await jsm.streams.deleteMessage('BIG', 3, false);
  });
  after(async () => {
    await s?.close();
    await server?.stop();
  });

  it('pages forward from the start, skipping deleted sequences', async () => {
    const p = await readPageFrom(s, 'BIG', 1, { limit: 5 });
    assert.deepEqual(
      p.messages.map((m) => m.seq),
      [1, 2, 4, 5, 6],
    );
    assert.equal(p.hasOlder, false);
    assert.equal(p.hasNewer, true);
    assert.equal(p.streamLastSeq, TOTAL);
    assert.equal(p.messages[0]!.subject, 'big.eu.0');
    assert.equal(p.messages[0]!.payload.text, '{"n":0}');
    const next = await readPageFrom(s, 'BIG', p.messages.at(-1)!.seq + 1, { limit: 5 });
    assert.deepEqual(
      next.messages.map((m) => m.seq),
      [7, 8, 9, 10, 11],
    );
    assert.equal(next.hasOlder, true);
  });

  it('jumps to a sequence in the middle, across a deleted run, and pages back from there', async () => {
    const jump = await readPageFrom(s, 'BIG', 50_001, { limit: 3 });
    assert.deepEqual(
      jump.messages.map((m) => m.seq),
      [50_301, 50_302, 50_303],
    );
    const back = await readPageBefore(s, 'BIG', 50_301, { limit: 3 });
    assert.deepEqual(
      back.messages.map((m) => m.seq),
      [49_998, 49_999, 50_000],
    );
    assert.equal(back.hasOlder, true);
    assert.equal(back.hasNewer, true);
    const first = await readPageBefore(s, 'BIG', 5, { limit: 10 });
    assert.deepEqual(
      first.messages.map((m) => m.seq),
      [1, 2, 4],
    );
    assert.equal(first.hasOlder, false);
  });

  it('reads the last page, and an empty page past the end', async () => {
    const last = await readLastPage(s, 'BIG', { limit: 4 });
    assert.deepEqual(
      last.messages.map((m) => m.seq),
      [99_997, 99_998, 99_999, 100_000],
    );
    assert.equal(last.hasNewer, false);
    const past = await readPageFrom(s, 'BIG', TOTAL + 1);
    assert.deepEqual([past.messages.length, past.hasNewer], [0, false]);
  });

  it('filters by subject on the server, forward and back', async () => {
    const eu = await readPageFrom(s, 'BIG', 1, { limit: 4, subject: 'big.eu.>' });
    assert.deepEqual(
      eu.messages.map((m) => m.seq),
      [1, 5, 9, 13],
    );
    assert.ok(eu.messages.every((m) => m.subject.startsWith('big.eu.')));
    const rare = await readPageBefore(s, 'BIG', TOTAL + 1, { limit: 3, subject: 'big.us.1' });
    // i % 4 === 1 and i % 10 === 1: i = 20k + 1, seq = i + 1.
    assert.deepEqual(
      rare.messages.map((m) => m.seq),
      [99_942, 99_962, 99_982],
    );
    const backFromMiddle = await readPageBefore(s, 'BIG', 50_400, { limit: 2, subject: 'big.us.1' });
    assert.deepEqual(
      backFromMiddle.messages.map((m) => m.seq),
      [50_362, 50_382],
    );
  });

  it('pages through the whole stream forward with 1,000 per page', async function () {
    this.timeout(120_000);
    let seq = 1;
    let count = 0;
    let pages = 0;
    const started = Date.now();
    for (;;) {
      const p = await readPageFrom(s, 'BIG', seq, { limit: 1000, payloadCap: 64 });
      count += p.messages.length;
      pages++;
      if (!p.hasNewer) break;
      seq = p.messages.at(-1)!.seq + 1;
    }
    assert.equal(count, TOTAL - 301);
    assert.equal(pages, 100);
    console.log(`      (${pages} pages of up to 1,000 in ${Date.now() - started} ms)`);
  });

  it('jumps to a time, caps payloads, keeps headers and shows binary as bytes without text', async () => {
    const js = jetstream(s.connection());
    const mark = new Date();
    const h = headers();
    h.append('Content-Type', 'application/octet-stream');
    h.append('X-Multi', 'a');
    h.append('X-Multi', 'b');
    const ack = await js.publish('big.bin', new Uint8Array([0xff, 0x00, 0xfe, 0x41]), { headers: h });
    await js.publish('big.text', 'x'.repeat(100));
    assert.equal(await seqAtTime(s, 'BIG', mark), ack.seq);
    assert.equal(await seqAtTime(s, 'BIG', mark, 'big.text'), ack.seq + 1);
    assert.equal(await seqAtTime(s, 'BIG', new Date(0)), 1);
    assert.equal(await seqAtTime(s, 'BIG', new Date(Date.now() + 60_000)), undefined);
    const bin = await getStreamMessage(s, 'BIG', ack.seq);
    assert.deepEqual(bin?.headers, [
      ['Content-Type', 'application/octet-stream'],
      ['X-Multi', 'a'],
      ['X-Multi', 'b'],
    ]);
    assert.equal(bin?.payload.text, undefined);
    assert.deepEqual([...bin!.payload.bytes], [0xff, 0x00, 0xfe, 0x41]);
    const capped = await getStreamMessage(s, 'BIG', ack.seq + 1, 10);
    assert.deepEqual(
      [capped?.payload.size, capped?.payload.truncated, capped?.payload.text],
      [100, true, 'x'.repeat(10)],
    );
    assert.equal(await getStreamMessage(s, 'BIG', 3), undefined, 'a deleted sequence');
  });
});
