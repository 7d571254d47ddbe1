import * as assert from 'node:assert/strict';
import { parseJsonc } from '../../../../src/core/text/jsonc';
import { settingsInText } from '../../../../src/core/text/settingsText';

describe('settings files', () => {
  it('parses JSON with comments and trailing commas, keeping // and /* inside strings', () => {
    const text = `{
      // the helm of this repo
      "natsK3s.helmPath": "./tools/helm", /* inline */
      "url": "nats://h//x /* not a comment */",
      "list": [1, 2,],
    }`;
    assert.deepEqual(parseJsonc(text), {
      'natsK3s.helmPath': './tools/helm',
      url: 'nats://h//x /* not a comment */',
      list: [1, 2],
    });
    assert.equal(parseJsonc('{ "a": '), undefined);
    assert.equal(parseJsonc('"unterminated'), undefined);
  });

  it("picks the settings among the keys, flat or nested, and from a workspace file's settings", () => {
    const keys = ['natsK3s.helmPath', 'natsK3s.kubeconfig', 'natsK3s.connections'];
    assert.deepEqual(
      settingsInText('{ "natsK3s.kubeconfig": "/k", "natsK3s": { "helmPath": "/h" }, "editor.tabSize": 2 }', keys),
      [
        { key: 'natsK3s.helmPath', value: '/h' },
        { key: 'natsK3s.kubeconfig', value: '/k' },
      ],
    );
    assert.deepEqual(settingsInText('{ "folders": [], "settings": { "natsK3s.connections": [] } }', keys, 'settings'), [
      { key: 'natsK3s.connections', value: [] },
    ]);
    assert.deepEqual(settingsInText('not json', keys), []);
    assert.deepEqual(settingsInText('[1]', keys), []);
  });
});
