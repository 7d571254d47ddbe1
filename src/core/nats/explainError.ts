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

  if (code('ECONNREFUSED') || has((e) => /connection refused/i.test(e.message ?? ''))) {
    return `Connection refused: nothing is listening on ${target}. Start the server or check the URL.`;
  }
  if (code('ENOTFOUND') || code('EAI_AGAIN')) {
    return `Unknown host: ${target} does not resolve. Check the URL's host name.`;
  }
  if (named('AuthorizationError') || has((e) => /authorization violation/i.test(e.message ?? ''))) {
    return `Authorization failed on ${target}: the server rejected the credentials. Check the user, password, token or creds file.`;
  }
  for (const tlsCode of ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID']) {
    if (code(tlsCode)) {
      return `TLS failed on ${target}: the server's certificate is not trusted (${tlsCode}). Set the CA file for this connection.`;
    }
  }
  if (has((e) => /server does not support 'tls'/i.test(e.message ?? ''))) {
    return `TLS failed on ${target}: the server does not offer TLS. Remove the TLS options or use the TLS port.`;
  }
  if (named('JetStreamNotEnabled') || has((e) => /jetstream is not enabled/i.test(e.message ?? ''))) {
    return `JetStream is not enabled on ${target}. Start the server with JetStream (-js, or config.jetstream.enabled in the chart).`;
  }
  if (named('TimeoutError') || code('ETIMEDOUT')) {
    return `Timed out talking to ${target}: the host is unreachable, the port is not a NATS port, or the server wants a client certificate.`;
  }
  if (named('ClosedConnectionError')) {
    return `The connection to ${target} is closed. Reconnect and try again.`;
  }
  const first = chain[0];
  const message = first?.message?.trim() || String(err);
  return `NATS error on ${target}: ${message.replace(/\s+/g, ' ')}`;
}

interface ErrorLike {
  name?: string;
  message?: string;
  code?: unknown;
  cause?: unknown;
}

function causeChain(err: unknown): ErrorLike[] {
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
