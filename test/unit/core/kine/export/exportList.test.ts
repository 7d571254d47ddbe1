import * as assert from 'node:assert/strict';
import { parse } from 'yaml';
import { exportListChunks, exportListText } from '../../../../../src/core/kine/export/exportList';

const objects = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } },
  {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c', namespace: 'web' },
    data: { 'nats.conf': 'port: 4222\n\njetstream:\n  max_mem: 1G\n', esc: 'a\u001b[2Jb', '- dash': '- x', empty: '' },
  },
  { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { list: [1, 'two', null], deep: {} } },
];

describe('kine export: the List text', () => {
  for (const format of ['yaml', 'json'] as const) {
    it(`${format}: parses back to exactly the objects, as one kind: List`, () => {
      const text = exportListText(objects, format);
      const list = format === 'json' ? JSON.parse(text) : parse(text);
      assert.deepEqual(list, { apiVersion: 'v1', kind: 'List', items: objects });
    });

    it(`${format}: an empty export is still a List`, () => {
      const text = exportListText([], format);
      assert.deepEqual(format === 'json' ? JSON.parse(text) : parse(text), {
        apiVersion: 'v1',
        kind: 'List',
        items: [],
      });
    });
  }

  it('comes in one chunk per object after the header, so it can be written as it is made', () => {
    assert.equal([...exportListChunks(objects, 'yaml')].length, objects.length + 1);
  });
});
