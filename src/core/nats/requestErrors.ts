import { causeChain, explainNatsError } from './explainError';

/** What the caller knows about a request that failed, to tell the user what actually happened. */
export interface FailedRequest {
  readonly subject: string;
  readonly timeoutMs: number;
  /** The connection's server(s), as the user knows them. */
  readonly target: string;
  /** True when the connection is still up after the failure: then a timeout is about the subject, not the network. */
  readonly connected: boolean;
  /**
   * True when this window samples `>` on the same server. Its subscription is an interest in every subject, so the
   * server never answers "no responders" and a request to a subject nobody serves waits for its whole timeout.
   */
  readonly sampleListening: boolean;
}

/** One sentence for a failed request that names its subject and blames the network only when the connection failed. */
export function explainRequestError(err: unknown, r: FailedRequest): string {
  const chain = causeChain(err);
  const noResponders = chain.some((e) => e.name === 'NoRespondersError' || /no responders/i.test(e.message ?? ''));
  if (noResponders)
    return `No responders for ${r.subject}: nothing on the server subscribes to it. Start the service that answers it, or check the subject.`;
  const timedOut = chain.some((e) => e.name === 'TimeoutError' || /^timeout$/i.test(e.message ?? ''));
  if (timedOut && r.connected) {
    const waited = `No reply on ${r.subject} within ${formatMs(r.timeoutMs)}`;
    if (r.sampleListening)
      return `${waited}. This window's Subjects sample subscribes to every subject ('>'), so the server cannot say "no responders" and the request waited for its timeout: stop the sample and send it again to learn whether anything answers ${r.subject}.`;
    return `${waited}: something subscribes to it but did not answer in time. Check the service, or allow a longer timeout.`;
  }
  return `Request on ${r.subject} failed. ${explainNatsError(err, r.target)}`;
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
