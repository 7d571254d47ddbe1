import type { NatsConnection } from '@nats-io/transport-node';
import type { JetStreamManager } from '@nats-io/jetstream';
import { CancelledError } from './natsErrors';

/** What a paged subject listing saw. */
export interface SubjectListingResult {
  /** False when the server ignored `subjects_filter` (no subject details came back): use a scan instead. */
  readonly supported: boolean;
  /** Subjects handed to `onPage`. */
  readonly listed: number;
  /** The server's count of matching subjects (its last page's word). */
  readonly total: number;
  /** Server round trips. */
  readonly pages: number;
  /** Set when `onePageOnly` was asked and the subjects did not fit one page. */
  readonly tooMany?: boolean;
}

/**
 * Subject details the server puts in one stream info reply (nats-server's JSMaxSubjectDetails, the same in 2.9 and
 * 2.14). A listing that needs more than one page is slower than a headers-only scan of every key: for each page the
 * server builds and sorts the whole filtered subject map again, so a million subjects took 39 s in ten pages where
 * `kv.keys()` took 12 s (bench/kine/firstLevelAtScale.ts). Callers take the listing only when it fits one page.
 */
export const SUBJECTS_PER_PAGE = 100_000;

export interface SubjectListingOptions {
  /** Checked between pages; an aborted listing rejects with `SubjectListingCancelled`. */
  readonly signal?: AbortSignal;
  /** Called after each page with the subjects seen so far and the server's total. */
  readonly onProgress?: (listed: number, total: number) => void;
  /** Stop after the page that reaches this many subjects (`listed` < `total` then says so). Default: no limit. */
  readonly maxSubjects?: number;
  /**
   * When the first page says more pages would follow, return at once with `tooMany` set and nothing handed to
   * `onPage`, so the caller can take a scan instead (see SUBJECTS_PER_PAGE).
   */
  readonly onePageOnly?: boolean;
}

/** A cancelled listing: one kind of `CancelledError`, so callers handle every cancel alike. */
export class SubjectListingCancelled extends CancelledError {
  override readonly name = 'SubjectListingCancelled';
  constructor(stream: string) {
    super(`the subject listing of ${stream}`);
  }
}

/** A JetStream API error reply, shaped like nats.js's so callers can match `code` 10059 (stream not found). */
export class SubjectListingApiError extends Error {
  constructor(
    readonly code: number,
    description: string,
  ) {
    super(description);
    this.name = code === 10059 ? 'StreamNotFoundError' : 'JetStreamApiError';
  }
}

interface InfoReply {
  readonly error?: { readonly code?: number; readonly err_code?: number; readonly description?: string };
  readonly total?: number;
  readonly offset?: number;
  readonly limit?: number;
  readonly state?: { readonly messages?: number; readonly subjects?: Record<string, number> };
}

/**
 * Lists the subjects of `stream` matching `filter` with their stored message counts, one server page at a time
 * (stream info with `subjects_filter` and `offset`). The server caps a page (100,000 subject details in
 * nats-server 2.9 and 2.14, its `limit` field), and nats.js's `streams.info` would follow every page and merge them
 * into one object; paging here keeps memory to one page, lets the caller fold counts as they come, and lets it
 * cancel between pages. Counts include keys whose newest entry is a delete marker: the listing cannot tell them apart.
 */
export async function listSubjectPages(
  nc: NatsConnection,
  jsm: JetStreamManager,
  stream: string,
  filter: string,
  onPage: (subjects: Record<string, number>) => void,
  options: SubjectListingOptions = {},
): Promise<SubjectListingResult> {
  const { apiPrefix, timeout } = jsm.getOptions();
  const subject = `${apiPrefix ?? '$JS.API'}.STREAM.INFO.${stream}`;
  const max = options.maxSubjects ?? Number.POSITIVE_INFINITY;
  let listed = 0;
  let total = 0;
  let pages = 0;
  for (;;) {
    if (options.signal?.aborted) throw new SubjectListingCancelled(stream);
    const m = await nc.request(subject, JSON.stringify({ subjects_filter: filter, offset: listed }), {
      timeout: timeout ?? 60_000,
    });
    const r = m.json<InfoReply>();
    if (r.error) throw new SubjectListingApiError(r.error.err_code ?? r.error.code ?? 0, r.error.description ?? '');
    pages++;
    const subjects = r.state?.subjects;
    // A server without subject details answers plain stream info: no page fields and no subjects despite messages.
    if (pages === 1 && r.total === undefined && subjects === undefined && (r.state?.messages ?? 0) > 0)
      return { supported: false, listed: 0, total: 0, pages };
    total = r.total ?? 0;
    const n = subjects ? Object.keys(subjects).length : 0;
    if (pages === 1 && options.onePageOnly && total > n)
      return { supported: true, listed: 0, total, pages, tooMany: true };
    if (subjects && n > 0) onPage(subjects);
    listed += n;
    options.onProgress?.(listed, total);
    // Less than the server's page limit, or nothing: that was the last page (the total may move while paging).
    if (n === 0 || listed >= total || (r.limit !== undefined && n < r.limit) || listed >= max)
      return { supported: true, listed, total: Math.max(total, listed), pages };
  }
}
