import * as assert from 'node:assert/strict';
import type { JetStreamManager } from '@nats-io/jetstream';
import type { Msg, NatsConnection } from '@nats-io/transport-node';
import { scanLastPerSubject } from '../../../../src/core/kine/lastPerSubjectScan';
import { withTimeout } from '../../../harness/processes';

/**
 * Just enough of a connection for the scan: the test plays the server, delivering idle heartbeats (status 100, no
 * reply subject) to the scan's inbox. The real server's behaviour is covered in the integration layer; here the
 * point is what the scan does when a consumer that still has keys pending sends nothing but heartbeats.
 */
function fakeServer() {
  let deliver: ((err: Error | null, m: Msg) => void) | undefined;
  const published: string[] = [];
  const nc = {
    subscribe: (_subject: string, opts: { callback: (err: Error | null, m: Msg) => void }) => {
      deliver = opts.callback;
      return { unsubscribe: () => undefined };
    },
    publish: (subject: string) => void published.push(subject),
    status: () => ({ stop: () => undefined, async *[Symbol.asyncIterator]() {} }),
    isClosed: () => false,
  } as unknown as NatsConnection;
  const jsm = {
    consumers: {
      // Ten keys pending, none delivered yet.
      add: async () => ({ name: 'c1', num_pending: 10, delivered: { consumer_seq: 0, stream_seq: 40 } }),
      delete: async () => true,
    },
  } as unknown as JetStreamManager;
  const heartbeat = (stalled?: string) =>
    deliver?.(null, {
      data: new Uint8Array(),
      reply: undefined,
      headers: {
        hasError: false,
        code: 100,
        get: (h: string) => (h === 'Nats-Consumer-Stalled' ? (stalled ?? '') : ''),
      },
    } as unknown as Msg);
  return { nc, jsm, heartbeat, published };
}

describe('the last-per-subject scan', () => {
  it('rejects as stalled when only idle heartbeats arrive (they kept resetting the watchdog), and answers a stalled flow control', async () => {
    const s = fakeServer();
    const scan = scanLastPerSubject(s.nc, s.jsm, 'KV_kine', '$KV.kine.>', '$KV.kine.', () => undefined, {
      idleMs: 300,
    });
    const beats = setInterval(() => s.heartbeat('$JS.FC.KV_kine.c1.1'), 50);
    try {
      await assert.rejects(
        withTimeout(scan, 1_500, 'the scan never gave up'),
        /the key scan of KV_kine stalled for 300 ms/,
      );
    } finally {
      clearInterval(beats);
    }
    assert.ok(s.published.includes('$JS.FC.KV_kine.c1.1'), 'the stalled flow control was answered');
  });
});
