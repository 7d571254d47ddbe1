import { createInbox, type Msg, type NatsConnection } from '@nats-io/transport-node';

/** One reply of a scatter-gather request, with the time it took to arrive. */
export interface GatheredReply {
  readonly data: Uint8Array;
  readonly rttMs: number;
}

export interface GatherOptions {
  /** The longest the whole gathering lasts. */
  readonly maxWaitMs: number;
  /** Ends early once replies stop arriving for this long (after the first one). */
  readonly stallMs: number;
  /** Most replies kept; one more is counted as left out and ends the gathering. */
  readonly maxReplies: number;
  /** Replies larger than this are counted as oversized and dropped, never parsed. */
  readonly maxReplyBytes: number;
}

export interface Gathered {
  readonly replies: GatheredReply[];
  /** True when more replies came than `maxReplies`. */
  readonly truncated: boolean;
  readonly oversized: number;
}

/**
 * Publishes one request and collects every reply on a private inbox until the replies stall, the wait ends or the
 * limit is reached. Written by hand rather than with `requestMany` to time each reply and to bound what is kept.
 * A 503 status (no responders) ends the gathering with no replies.
 */
export function gatherReplies(nc: NatsConnection, subject: string, options: GatherOptions): Promise<Gathered> {
  return new Promise((resolve, reject) => {
    const replies: GatheredReply[] = [];
    let truncated = false;
    let oversized = 0;
    let stallTimer: NodeJS.Timeout | undefined;
    const started = performance.now();
    const finish = (err?: unknown) => {
      clearTimeout(waitTimer);
      clearTimeout(stallTimer);
      if (!sub.isClosed()) sub.unsubscribe();
      if (err) reject(err);
      else resolve({ replies, truncated, oversized });
    };
    const sub = nc.subscribe(createInbox(), {
      callback: (err: Error | null, msg: Msg) => {
        if (err) return finish(err);
        if (msg.data.length === 0 && msg.headers?.code === 503) return finish();
        if (replies.length >= options.maxReplies) {
          truncated = true;
          return finish();
        }
        if (msg.data.length > options.maxReplyBytes) oversized++;
        else replies.push({ data: msg.data.slice(), rttMs: performance.now() - started });
        clearTimeout(stallTimer);
        stallTimer = setTimeout(finish, options.stallMs);
      },
    });
    const waitTimer = setTimeout(finish, options.maxWaitMs);
    try {
      nc.publish(subject, '', { reply: sub.getSubject() });
    } catch (err) {
      finish(err);
    }
  });
}
