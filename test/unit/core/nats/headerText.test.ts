import * as assert from 'node:assert/strict';
import { parseHeaderLines } from '../../../../src/core/nats/headerText';

describe('parseHeaderLines', () => {
  it('splits on ; and new lines, trims, keeps colons in values', () => {
    assert.deepEqual(parseHeaderLines('Nats-Msg-Id: 1; Content-Type: application/json\nX-Url: http://a:1'), [
      ['Nats-Msg-Id', '1'],
      ['Content-Type', 'application/json'],
      ['X-Url', 'http://a:1'],
    ]);
    assert.deepEqual(parseHeaderLines('  '), []);
  });

  it('refuses a part without a name in one sentence', () => {
    assert.throws(() => parseHeaderLines('A: 1; oops'), {
      name: 'UserInputError',
      message: "'oops' is not a header: write it as Name: value.",
    });
    assert.throws(() => parseHeaderLines(': x'), /not a header/);
  });
});
