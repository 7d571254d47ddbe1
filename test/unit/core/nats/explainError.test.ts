import * as assert from 'node:assert/strict';
import { MissingSecretError } from '../../../../src/core/connections/connectOptions';
import { explainNatsError } from '../../../../src/core/nats/explainError';
import {
  BucketNotFoundError,
  CancelledError,
  ConnectionLostError,
  NotConnectedError,
  ReadOnlyError,
} from '../../../../src/core/nats/natsErrors';

function err(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  const e = new Error(message) as Error & Record<string, unknown>;
  e.name = name;
  Object.assign(e, extra);
  return e;
}

describe('explainNatsError', () => {
  const url = 'nats://127.0.0.1:4222';

  it('names a refused connection from the cause chain', () => {
    const e = err('ConnectionError', 'connection refused', {
      cause: err('Error', 'connect ECONNREFUSED', { code: 'ECONNREFUSED' }),
    });
    assert.equal(
      explainNatsError(e, url),
      'Connection refused: nothing is listening on 127.0.0.1:4222. Start the server or check the URL.',
    );
  });

  it('tells auth, TLS, timeout and JetStream-off apart', () => {
    assert.match(explainNatsError(err('AuthorizationError', 'Authorization Violation'), url), /^Authorization failed/);
    assert.match(
      explainNatsError(
        err('Error', 'unable to verify the first certificate', { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }),
        url,
      ),
      /^TLS failed .*not trusted/,
    );
    assert.match(explainNatsError(err('TimeoutError', 'timeout'), url), /^Timed out talking to 127\.0\.0\.1:4222/);
    assert.equal(
      explainNatsError(err('JetStreamNotEnabled', 'jetstream is not enabled'), url),
      'JetStream did not answer on 127.0.0.1:4222: it is not enabled there, or the server has just started or its cluster is electing a leader. If it lasts, start the server with JetStream (-js, or config.jetstream.enabled in the chart).',
    );
    // The socket closed before the server's greeting (a port-forward to a pod whose server is not up yet).
    assert.equal(
      explainNatsError(err('ConnectionError', 'error connecting - node provided an undefined error'), url),
      "The connection to 127.0.0.1:4222 closed before a NATS server greeted it: nothing answers behind that port yet (through a port-forward, the pod's server may still be starting). Check that the server is up, then try again.",
    );
    assert.match(
      explainNatsError(err('Error', 'getaddrinfo ENOTFOUND nope', { code: 'ENOTFOUND' }), 'nats://nope:4222'),
      /^Unknown host: nope:4222/,
    );
  });

  it('says a cancelled listing was cancelled, and nothing more', () => {
    assert.equal(
      explainNatsError(new CancelledError('the key scan of KV_kine'), url),
      'The key scan of KV_kine was cancelled.',
    );
  });

  it('says a connection lost mid-call is lost, with what was running', () => {
    assert.equal(
      explainNatsError(new ConnectionLostError('the key scan of KV_kine'), url),
      'Lost the connection to 127.0.0.1:4222 during the key scan of KV_kine: the server stopped or closed it. Check that it is running, then try again.',
    );
    // nats.js rejects a request in flight with this when the connection closes.
    assert.match(
      explainNatsError(err('RequestError', 'connection closed'), url),
      /^Lost the connection to 127\.0\.0\.1:4222: the server stopped/,
    );
  });

  it('falls back to the message on one line, and survives odd input', () => {
    assert.equal(explainNatsError(new Error('weird\n  thing'), url), 'NATS error on 127.0.0.1:4222: weird thing');
    assert.equal(explainNatsError('plain string', 'not a url'), 'NATS error on not a url: plain string');
    const cyclic = err('Error', 'loop') as Error & { cause?: unknown };
    cyclic.cause = cyclic;
    assert.match(explainNatsError(cyclic, url), /loop/);
  });

  it('explains the extension errors and JetStream lookups in one sentence', () => {
    assert.equal(
      explainNatsError(new ReadOnlyError('prod', 'publish to orders.new'), url),
      "Refused: 'prod' is read-only: publish to orders.new was refused. Turn off natsK3s.readOnly to allow writes.",
    );
    assert.equal(
      explainNatsError(new NotConnectedError('prod'), url),
      "Not connected: 'prod' is not connected. Retry the connection first.",
    );
    assert.match(
      explainNatsError(new MissingSecretError('prod', "password stored under 'k'"), url),
      /^Missing secret: connection 'prod' has no password stored under 'k'\./,
    );
    assert.equal(
      explainNatsError(new BucketNotFoundError('cfg'), url),
      "Not found: KV bucket 'cfg' does not exist on 127.0.0.1:4222.",
    );
    assert.match(
      explainNatsError(err('StreamNotFoundError', 'stream not found', { code: 10059 }), url),
      /^Not found: the stream does not exist/,
    );
    assert.match(
      explainNatsError(err('JetStreamApiError', 'consumer not found', { code: 10014 }), url),
      /^Not found: the consumer does not exist/,
    );
    assert.match(
      explainNatsError(
        err('RequestError', 'no responders', { cause: err('NoRespondersError', "no responders: 'x'") }),
        url,
      ),
      /^No responders on 127\.0\.0\.1:4222/,
    );
    assert.match(
      explainNatsError(err('PermissionViolationError', 'Permissions Violation for Publish to "bar"'), url),
      /^Permission denied on 127\.0\.0\.1:4222: Permissions Violation for Publish to "bar"\.$/,
    );
  });
});
