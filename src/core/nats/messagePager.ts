import type { JetStreamManager, MsgRequest, StoredMsg } from '@nats-io/jetstream';
import { DEFAULT_PAYLOAD_CAP, headerList, payloadView, type HeaderList, type PayloadView } from './payload';
import type { NatsAccess } from './session';

/** One stored message as plain data. */
export interface StreamMessage {
  readonly seq: number;
  readonly subject: string;
  /** ISO time with the server's nanoseconds. */
  readonly time: string;
  readonly headers: HeaderList;
  readonly payload: PayloadView;
}

/** A page of messages in ascending sequence order, with the stream's bounds when it was read. */
export interface MessagePage {
  readonly stream: string;
  readonly subject?: string;
  readonly messages: readonly StreamMessage[];
  readonly streamFirstSeq: number;
  readonly streamLastSeq: number;
  /** True when older messages may exist (an older page can come back empty if they were deleted or filtered out). */
  readonly hasOlder: boolean;
  /** True when at least one newer message exists. */
  readonly hasNewer: boolean;
}

export interface PageQuery {
  /** Messages per page; 1 to 1000, default 25. */
  readonly limit?: number;
  /** Only this subject (wildcards allowed), filtered by the server. */
  readonly subject?: string;
  /** Payload bytes kept per message; default 64 KiB. */
  readonly payloadCap?: number;
}

interface Ctx {
  readonly jsm: JetStreamManager;
  readonly stream: string;
  readonly subject?: string;
}

/**
 * The first `limit` messages with a sequence at or after `fromSeq` (clamped to the stream's first). Deleted
 * sequences are skipped; past the end gives an empty page with `hasNewer` false.
 */
export async function readPageFrom(
  access: NatsAccess,
  stream: string,
  fromSeq: number,
  query: PageQuery = {},
): Promise<MessagePage> {
  const { ctx, first, last, limit } = await prepare(access, stream, query);
  const start = Math.max(fromSeq, first, 1);
  const found = await scan(ctx, start, last + 1, limit + 1);
  const messages = found.slice(0, limit);
  return page(ctx, query, messages, first, last, start > first, found.length > limit);
}

/** The last `limit` messages with a sequence before `beforeSeq`, in ascending order. */
export async function readPageBefore(
  access: NatsAccess,
  stream: string,
  beforeSeq: number,
  query: PageQuery = {},
): Promise<MessagePage> {
  const { ctx, first, last, limit } = await prepare(access, stream, query);
  const until = Math.min(beforeSeq, last + 1);
  let found: StoredMsg[] = [];
  let end = until;
  let window = limit + 1;
  // Walk back in growing windows, scanning each forward, until limit+1 messages are known or the start is reached.
  while (found.length <= limit && end > first) {
    const start = Math.max(first, end - window);
    found = (await scan(ctx, start, end, Number.MAX_SAFE_INTEGER)).concat(found);
    end = start;
    window *= 4;
  }
  const messages = found.slice(-limit);
  const hasNewer = until <= last && (await scan(ctx, until, last + 1, 1)).length > 0;
  return page(ctx, query, messages, first, last, found.length > limit, hasNewer);
}

/** The newest `limit` messages. */
export function readLastPage(access: NatsAccess, stream: string, query: PageQuery = {}): Promise<MessagePage> {
  return readPageBefore(access, stream, Number.MAX_SAFE_INTEGER, query);
}

/**
 * The sequence of the first message stored at or after `time` (binary search over stored times, about
 * log2(messages) requests), or undefined when every message is older. With `subject`, the first such message on it.
 */
export async function seqAtTime(
  access: NatsAccess,
  stream: string,
  time: Date,
  subject?: string,
): Promise<number | undefined> {
  const jsm = await access.jetstreamManager();
  const { state } = await jsm.streams.info(stream);
  if (state.messages === 0) return undefined;
  const at = (seq: number) => nextOnSubject(jsm, stream, seq, '>');
  let lo = state.first_seq;
  let hi = state.last_seq;
  const lastMsg = await at(hi);
  if (!lastMsg || lastMsg.time < time) return undefined;
  let answer = lastMsg.seq;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    const m = await at(mid);
    if (!m) break;
    if (m.time >= time) {
      answer = Math.min(answer, m.seq);
      hi = mid - 1;
    } else {
      lo = m.seq + 1;
    }
  }
  if (!subject) return answer;
  const m = await nextOnSubject(jsm, stream, answer, subject);
  return m?.seq;
}

/** One message by sequence, or undefined when it was deleted or never existed. */
export async function getStreamMessage(
  access: NatsAccess,
  stream: string,
  seq: number,
  payloadCap = DEFAULT_PAYLOAD_CAP,
): Promise<StreamMessage | undefined> {
  const m = await (await access.jetstreamManager()).streams.getMessage(stream, { seq });
  return m ? toMessage(m, payloadCap) : undefined;
}

async function prepare(access: NatsAccess, stream: string, query: PageQuery) {
  const jsm = await access.jetstreamManager();
  const { state } = await jsm.streams.info(stream);
  const limit = Math.max(1, Math.min(1000, Math.floor(query.limit ?? 25)));
  const ctx: Ctx = { jsm, stream, subject: query.subject && query.subject !== '>' ? query.subject : undefined };
  // An empty stream reports first = last + 1; keep that so every range below is empty.
  return { ctx, first: state.first_seq, last: state.last_seq, limit };
}

function page(
  ctx: Ctx,
  query: PageQuery,
  found: StoredMsg[],
  first: number,
  last: number,
  hasOlder: boolean,
  hasNewer: boolean,
): MessagePage {
  const cap = query.payloadCap ?? DEFAULT_PAYLOAD_CAP;
  return {
    stream: ctx.stream,
    subject: ctx.subject,
    messages: found.map((m) => toMessage(m, cap)),
    streamFirstSeq: first,
    streamLastSeq: last,
    hasOlder,
    hasNewer,
  };
}

/**
 * Messages with from <= seq < until, ascending, at most `max`. Unfiltered reads ask for a run of sequences at once
 * (deleted ones come back null); filtered reads let the server jump to the next match (`next_by_subj`).
 */
async function scan(ctx: Ctx, from: number, until: number, max: number): Promise<StoredMsg[]> {
  const out: StoredMsg[] = [];
  let seq = from;
  while (seq < until && out.length < max) {
    if (ctx.subject) {
      const m = await nextOnSubject(ctx.jsm, ctx.stream, seq, ctx.subject);
      if (!m || m.seq >= until) break;
      out.push(m);
      seq = m.seq + 1;
      continue;
    }
    const n = Math.min(until - seq, Math.max(max - out.length, 1), 256);
    const batch = await Promise.all(
      Array.from({ length: n }, (_, i) => ctx.jsm.streams.getMessage(ctx.stream, { seq: seq + i })),
    );
    for (const m of batch) if (m && out.length < max) out.push(m);
    seq += n;
    if (batch.every((m) => m === null) && seq < until) {
      // A long run of deleted sequences: let the server find the next stored one.
      const next = await nextOnSubject(ctx.jsm, ctx.stream, seq, '>');
      if (!next || next.seq >= until) break;
      seq = next.seq;
    }
  }
  return out;
}

function toMessage(m: StoredMsg, cap: number): StreamMessage {
  return {
    seq: m.seq,
    subject: m.subject,
    time: m.timestamp,
    headers: headerList(m.header),
    payload: payloadView(m.data, cap),
  };
}

/**
 * The first stored message at or after `seq` on `subject`, or null. The server (2.9 included) accepts
 * `next_by_subj` on STREAM.MSG.GET and nats.js passes it through, but its `MsgRequest` type does not list it.
 */
function nextOnSubject(jsm: JetStreamManager, stream: string, seq: number, subject: string): Promise<StoredMsg | null> {
  return jsm.streams.getMessage(stream, { seq, next_by_subj: subject } as unknown as MsgRequest);
}
