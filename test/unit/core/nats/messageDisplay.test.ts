import * as assert from 'node:assert/strict';
import { toDisplayMessage, toDisplayTail } from '../../../../src/core/nats/messageDisplay';
import { payloadView } from '../../../../src/core/nats/payload';

const enc = (s: string) => new TextEncoder().encode(s);

describe('toDisplayMessage', () => {
  it('pretty-prints JSON and keeps the text', () => {
    const d = toDisplayMessage({
      seq: 7,
      subject: 'a.b',
      time: 't',
      headers: [['K', 'v']],
      payload: payloadView(enc('{"x":1}')),
    });
    assert.equal(d.id, 7);
    assert.equal(d.json, '{\n  "x": 1\n}');
    assert.equal(d.text, '{"x":1}');
    assert.deepEqual(d.headers, [['K', 'v']]);
  });

  it('keeps markup as plain text and offers no JSON for it', () => {
    const d = toDisplayMessage({
      seq: 1,
      subject: 'a',
      time: 't',
      headers: [],
      payload: payloadView(enc('<img src=x onerror=alert(1)>')),
    });
    assert.equal(d.text, '<img src=x onerror=alert(1)>');
    assert.equal(d.json, undefined);
  });

  it('gives binary payloads only as hex, and a truncated JSON payload no pretty form', () => {
    const bin = toDisplayTail({
      index: 3,
      subject: 'b',
      receivedAt: 'r',
      headers: [],
      payload: payloadView(new Uint8Array([0xff, 0x00, 0x41])),
    });
    assert.equal(bin.id, 3);
    assert.equal(bin.text, undefined);
    assert.match(bin.hex, /ff 00 41/);
    const cut = toDisplayMessage({
      seq: 2,
      subject: 'c',
      time: 't',
      headers: [],
      payload: payloadView(enc(`{"long":"${'x'.repeat(100)}"}`), 10),
    });
    assert.equal(cut.truncated, true);
    assert.equal(cut.json, undefined);
    assert.equal(cut.size, 111);
  });
});
