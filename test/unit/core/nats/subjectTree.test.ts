import * as assert from 'node:assert/strict';
import { buildSubjectTree, findSubjectNode } from '../../../../src/core/nats/subjectTree';
import { hexDump, payloadView } from '../../../../src/core/nats/payload';

describe('buildSubjectTree', () => {
  it('splits on dots, rolls counts up and sorts children', () => {
    const roots = buildSubjectTree([
      { subject: 'orders.eu.created', messages: 3, ratePerSec: 1 },
      { subject: 'orders.eu', messages: 1, ratePerSec: 0 },
      { subject: 'orders.us.created', messages: 2, ratePerSec: 2 },
      { subject: 'audit', messages: 5, ratePerSec: 0.25 },
    ]);
    assert.deepEqual(roots.map((r) => [r.token, r.messages]), [['audit', 5], ['orders', 6]]);
    const eu = findSubjectNode(roots, 'orders.eu')!;
    assert.deepEqual([eu.subject, eu.messages, eu.seen, eu.ratePerSec], ['orders.eu', 4, true, 1]);
    assert.equal(findSubjectNode(roots, 'orders')!.seen, false);
    assert.equal(findSubjectNode(roots, 'orders')!.ratePerSec, 3);
    assert.equal(findSubjectNode(roots, 'orders.eu.created')!.children.length, 0);
    assert.equal(findSubjectNode(roots, 'nope.x'), undefined);
  });

  it('merges stream subject patterns as nodes that name their streams', () => {
    const roots = buildSubjectTree([{ subject: 'orders.eu.created', messages: 1, ratePerSec: 0 }], [
      { name: 'ORDERS', subjects: ['orders.>'] },
      { name: 'EVENTS', subjects: ['events.*.created', 'orders.>'] },
    ]);
    assert.deepEqual(findSubjectNode(roots, 'orders.>')!.streams, ['ORDERS', 'EVENTS']);
    assert.equal(findSubjectNode(roots, 'events.*.created')!.messages, 0);
    assert.deepEqual(roots.map((r) => r.token), ['events', 'orders']);
  });

  it('keeps empty tokens of odd subjects instead of dropping them', () => {
    const roots = buildSubjectTree([{ subject: 'a..b', messages: 1, ratePerSec: 0 }]);
    assert.equal(findSubjectNode(roots, 'a..b')?.messages, 1);
  });
});

describe('payloadView and hexDump', () => {
  it('keeps text, marks binary, and cuts at the cap without breaking a character', () => {
    assert.equal(payloadView(new TextEncoder().encode('héllo')).text, 'héllo');
    assert.equal(payloadView(new Uint8Array([0xff, 0xfe])).text, undefined);
    const cut = payloadView(new TextEncoder().encode('aé'), 2);
    assert.deepEqual([cut.size, cut.truncated, cut.text, cut.bytes.length], [3, true, 'a', 2]);
    const src = new Uint8Array([1, 2, 3]);
    const view = payloadView(src);
    src[0] = 9;
    assert.equal(view.bytes[0], 1, 'a copy, not a view of a reused buffer');
  });

  it('dumps hex with offsets and printable ASCII, treating HTML as bytes', () => {
    assert.equal(hexDump(new TextEncoder().encode('<img>')), '00000000  3c 69 6d 67 3e                                   <img>');
    assert.equal(hexDump(new Uint8Array()), '');
    assert.equal(hexDump(new Uint8Array(17)).split('\n').length, 2);
  });
});
