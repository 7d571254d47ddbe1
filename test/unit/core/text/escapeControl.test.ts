import * as assert from 'node:assert/strict';
import { escapeControl, escapeControlKeepLines } from '../../../../src/core/text/escapeControl';

describe('escapeControl', () => {
  it('shows C0, DEL, C1 and bidi controls as \\uXXXX, so a key cannot clear the screen or retitle the terminal', () => {
    assert.equal(escapeControl('a\x1b[2J\x1b]0;pwned\x07b'), 'a\\u001b[2J\\u001b]0;pwned\\u0007b');
    assert.equal(escapeControl('\x7f\x9b\u202etxt.exe\u2066'), '\\u007f\\u009b\\u202etxt.exe\\u2066');
    assert.equal(escapeControl('line\nnext\ttab\r'), 'line\\u000anext\\u0009tab\\u000d');
    assert.equal(escapeControl('/registry/pods/default/nginx é 漢'), '/registry/pods/default/nginx é 漢');
  });

  it('keeps newlines and tabs when asked, and its output is still valid inside a JSON string', () => {
    assert.equal(escapeControlKeepLines('a\n\tb\r\x1bc'), 'a\n\tb\\u000d\\u001bc');
    const json = JSON.stringify({ key: 'x\u009by\u202e' });
    assert.deepEqual(JSON.parse(escapeControlKeepLines(json)), { key: 'x\u009by\u202e' });
  });
});
