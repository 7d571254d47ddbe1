import * as assert from 'node:assert/strict';
import { explainRequestError, type FailedRequest } from '../../../../src/core/nats/requestErrors';
import { serverIdentity } from '../../../../src/core/nats/serverIdentity';

function err(name: string, message: string, cause?: unknown): Error {
  const e = new Error(message, { cause });
  e.name = name;
  return e;
}

const request: FailedRequest = {
  subject: 'svc.time',
  timeoutMs: 5000,
  target: 'nats://127.0.0.1:4222',
  connected: true,
  sampleListening: false,
};

describe('explainRequestError', () => {
  it('names the subject when nothing answers', () => {
    const e = err('RequestError', "no responders: 'svc.time'", err('NoRespondersError', 'no responders'));
    assert.equal(
      explainRequestError(e, request),
      'No responders for svc.time: nothing on the server subscribes to it. Start the service that answers it, or check the subject.',
    );
  });

  it('a timeout on a live connection is about the subject, and says when the own sample swallowed "no responders"', () => {
    const timeout = err('TimeoutError', 'timeout');
    const plain = explainRequestError(timeout, request);
    assert.match(plain, /^No reply on svc\.time within 5 s: something subscribes to it but did not answer in time\./);
    assert.doesNotMatch(plain, /unreachable|not a NATS port/);
    const sampled = explainRequestError(timeout, { ...request, timeoutMs: 250, sampleListening: true });
    assert.match(
      sampled,
      /^No reply on svc\.time within 250 ms\. This window's Subjects sample subscribes to every subject/,
    );
    assert.match(sampled, /cannot say "no responders"/);
  });

  it('blames the connection only when it failed, and still names the subject', () => {
    const lost = explainRequestError(err('TimeoutError', 'timeout'), { ...request, connected: false });
    assert.match(lost, /^Request on svc\.time failed\. Timed out talking to 127\.0\.0\.1:4222/);
    const closed = explainRequestError(err('ClosedConnectionError', 'closed connection'), request);
    assert.match(closed, /^Request on svc\.time failed\. The connection to 127\.0\.0\.1:4222 is closed/);
  });
});

describe('serverIdentity', () => {
  const id = 'NDKJ3Y4CZ2QXQ7D3XGQ6ZQ6ZQ6ZQ6ZQ6ZQ6ZQ6ZQ6ZQ6ZQ6ZQ6ZQ6ZQ6Z';
  it('keeps a configured name and drops a name that is only the ID', () => {
    assert.deepEqual(serverIdentity({ serverName: 'n1', serverId: id }), { name: 'n1' });
    assert.deepEqual(serverIdentity({ serverName: id, serverId: id }), {});
    assert.deepEqual(serverIdentity({ serverName: ' ', serverId: id }), {});
  });
});
