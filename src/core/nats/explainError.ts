import { CancelledError } from './natsErrors';

/**
 * Turns whatever a NATS call threw into one sentence a user can act on.
 * nats.js v3 wraps some failures in typed errors (matched by `name`, since not all classes are exported) and
 * lets plain Node socket and TLS errors through (matched by `code`); both may sit anywhere in the `cause` chain.
 */
export function explainNatsError(err: unknown, url: string): string {
  const chain = causeChain(err);
  const has = (pred: (e: ErrorLike) => boolean) => chain.some(pred);
  const code = (c: string) => has((e) => e.code === c);
  const named = (n: string) => has((e) => e.name === n);
  const target = hostOf(url);
  const apiCode = (c: number) => has((e) => e.name === 'JetStreamApiError' && e.code === c);

  // The extension's own typed errors first: their messages are already about the user's action.
  const own = chain.find(
    (e) =>
      e.name === 'ReadOnlyError' ||
      e.name === 'NotConnectedError' ||
      e.name === 'MissingSecretError' ||
      e.name === 'BucketNotFoundError' ||
      e.name === 'KvRefusedError' ||
      e.name === 'StreamUnreachableError',
  );
  // Already one sentence with its next step.
  if (own?.name === 'KvRefusedError' || own?.name === 'StreamUnreachableError') return own.message ?? '';
  // The user's own choice: nothing to fix.
  const cancelled = chain.find((e) => e instanceof CancelledError);
  if (cancelled) return endSentence(cancelled.message ?? 'Cancelled');
  if (own?.name === 'ReadOnlyError') return `Refused: ${own.message}. Turn off natsK3s.readOnly to allow writes.`;
  if (own?.name === 'NotConnectedError') return `Not connected: ${own.message}. Retry the connection first.`;
  if (own?.name === 'MissingSecretError')
    return `Missing secret: ${own.message}. Set it with "Set Secret" or fix the file.`;
  if (own?.name === 'BucketNotFoundError') return `Not found: ${own.message} on ${target}.`;

  const lost = chain.find((e) => e.name === 'ConnectionLostError') as (ErrorLike & { during?: string }) | undefined;
  if (lost || has((e) => e.name === 'RequestError' && /^connection closed$/i.test(e.message ?? ''))) {
    return `Lost the connection to ${target}${lost?.during ? ` during ${lost.during}` : ''}: the server stopped or closed it. Check that it is running, then try again.`;
  }
  if (code('ECONNREFUSED') || has((e) => /connection refused/i.test(e.message ?? ''))) {
    return `Connection refused: nothing is listening on ${target}. Start the server or check the URL.`;
  }
  if (code('ENOTFOUND') || code('EAI_AGAIN')) {
    return `Unknown host: ${target} does not resolve. Check the URL's host name.`;
  }
  if (named('AuthorizationError') || has((e) => /authorization violation/i.test(e.message ?? ''))) {
    return `Authorization failed on ${target}: the server rejected the credentials. Check the user, password, token or creds file.`;
  }
  for (const tlsCode of [
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'CERT_HAS_EXPIRED',
    'ERR_TLS_CERT_ALTNAME_INVALID',
  ]) {
    if (code(tlsCode)) {
      return `TLS failed on ${target}: the server's certificate is not trusted (${tlsCode}). Set the CA file for this connection.`;
    }
  }
  if (has((e) => /server does not support 'tls'/i.test(e.message ?? ''))) {
    return `TLS failed on ${target}: the server does not offer TLS. Remove the TLS options or use the TLS port.`;
  }
  if (named('JetStreamNotEnabled') || has((e) => /jetstream is not enabled/i.test(e.message ?? ''))) {
    // What the client sees is only that nothing answered the JetStream API: a server that has just started, or a
    // cluster without a JetStream leader for a moment, looks the same as one without JetStream.
    return `JetStream did not answer on ${target}: it is not enabled there, or the server has just started or its cluster is electing a leader. If it lasts, start the server with JetStream (-js, or config.jetstream.enabled in the chart).`;
  }
  if (named('StreamNotFoundError') || apiCode(10059)) {
    return `Not found: the stream does not exist on ${target} (it may have been deleted).`;
  }
  if (named('ConsumerNotFoundError') || apiCode(10014)) {
    return `Not found: the consumer does not exist on ${target} (it may have been deleted).`;
  }
  if (named('PermissionViolationError') || has((e) => /permissions violation/i.test(e.message ?? ''))) {
    const first = chain.find((e) => /permissions violation/i.test(e.message ?? ''));
    return `Permission denied on ${target}: ${first?.message ?? 'the user may not do this'}.`;
  }
  if (named('NoRespondersError') || has((e) => /no responders/i.test(e.message ?? ''))) {
    return `No responders on ${target}: nothing is subscribed to that subject.`;
  }
  // nats.js's words when the socket closed before the server's greeting, with no error to say why.
  if (has((e) => /node provided an undefined error/i.test(e.message ?? ''))) {
    return `The connection to ${target} closed before a NATS server greeted it: nothing answers behind that port yet (through a port-forward, the pod's server may still be starting). Check that the server is up, then try again.`;
  }
  if (named('TimeoutError') || code('ETIMEDOUT')) {
    return `Timed out talking to ${target}: the host is unreachable, the port is not a NATS port, or the server wants a client certificate.`;
  }
  if (named('ClosedConnectionError')) {
    return `The connection to ${target} is closed. Reconnect and try again.`;
  }
  // Our own checks and refusals of writes: their message already names the field or the version needed.
  const check = chain.find((e) =>
    ['StreamConfigError', 'ConsumerSpecError', 'FeatureUnsupportedError', 'MessageNotFoundError'].includes(
      e.name ?? '',
    ),
  );
  if (check) return endSentence(check.message ?? '');
  const refusal = chain.find((e) => e.name === 'JetStreamApiError' || e.name === 'JetStreamRefusal');
  if (refusal?.message) {
    return `The server refused it: ${refusal.message.replace(/\s+/g, ' ').replace(/\.$/, '')}. Change what it names and try again.`;
  }
  const first = chain[0];
  const message = first?.message?.trim() || String(err);
  return `NATS error on ${target}: ${message.replace(/\s+/g, ' ')}`;
}

export interface ErrorLike {
  name?: string;
  message?: string;
  code?: unknown;
  cause?: unknown;
}

/** The error and its causes, outermost first. */
export function causeChain(err: unknown): ErrorLike[] {
  const chain: ErrorLike[] = [];
  let current: unknown = err;
  // Bounded: a cause cycle must not hang the caller.
  while (current && typeof current === 'object' && chain.length < 10) {
    chain.push(current as ErrorLike);
    current = (current as ErrorLike).cause;
  }
  return chain;
}

function hostOf(url: string): string {
  const first = url.split(',')[0]?.trim() ?? url;
  try {
    const parsed = new URL(first.includes('://') ? first : `nats://${first}`);
    return parsed.host || first;
  } catch {
    return first;
  }
}

function endSentence(text: string): string {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}
