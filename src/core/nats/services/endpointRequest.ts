import { explainNatsError } from '../explainError';
import { requestMessage, type ReplyView } from '../publish';
import type { NatsAccess } from '../session';

/** A service endpoint answered with an error, or could not be reached; the message is one sentence naming the subject. */
export class ServiceRequestError extends Error {
  override readonly name = 'ServiceRequestError';
  constructor(
    readonly subject: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export interface EndpointReply extends ReplyView {
  /** Code and text of the `Nats-Service-Error` headers, when the endpoint reported one. */
  readonly serviceError?: { readonly code: string; readonly text: string };
}

/**
 * Sends one request to a service endpoint. A request may change state in the service, so it counts as a write and a
 * read-only connection refuses it. An error reply (the services API puts it in headers) is returned, not thrown, so
 * its body can still be shown; no responders and time-outs throw one sentence naming the subject.
 */
export async function requestEndpoint(
  access: NatsAccess,
  subject: string,
  payload: Uint8Array | string,
  timeoutMs = 5_000,
): Promise<EndpointReply> {
  let reply: ReplyView;
  try {
    reply = await requestMessage(access, { subject, payload }, timeoutMs);
  } catch (err) {
    if (err instanceof Error && err.name === 'ReadOnlyError') throw err;
    const name = err instanceof Error ? err.name : '';
    if (name === 'NoRespondersError' || /no responders/i.test(String((err as Error)?.message)))
      throw new ServiceRequestError(
        subject,
        `No instance of the service answers on ${subject} any more: refresh Services to see which are running.`,
        { cause: err },
      );
    if (name === 'TimeoutError')
      throw new ServiceRequestError(
        subject,
        `The endpoint ${subject} did not answer within ${timeoutMs} ms: try again with a longer timeout.`,
        { cause: err },
      );
    throw new ServiceRequestError(subject, `Request to ${subject} failed: ${explainNatsError(err, subject)}`, {
      cause: err,
    });
  }
  const header = (n: string) => reply.headers.find(([k]) => k.toLowerCase() === n.toLowerCase())?.[1];
  const text = header('Nats-Service-Error');
  const code = header('Nats-Service-Error-Code');
  return text !== undefined || code !== undefined
    ? { ...reply, serviceError: { code: code ?? '', text: text ?? '' } }
    : reply;
}
