import * as assert from 'node:assert/strict';
import { classifyValue } from '../../../../src/core/kine/classify';
import { DEFAULT_DECODE_LIMITS } from '../../../../src/core/kine/decodeBudget';
import { parseEnvelope } from '../../../../src/core/kine/envelope';
import type { FieldTreeNode } from '../../../../src/core/kine/protobuf';
import { encodeFields } from '../../../generators/kine/protobufWriter';
import { decodeKineBody } from '../../../../src/core/kine/record';
import { valueJson } from '../../../../src/core/kine/recordView';
import { deepPodValue, fanOutPodValue, kineMessage } from './hostileValues';

const te = new TextEncoder();

function countNodes(nodes: readonly FieldTreeNode[]): number {
  return nodes.reduce((n, x) => n + 1 + (x.type === 'message' ? countNodes(x.fields) : 0), 0);
}

function maxDepth(nodes: readonly FieldTreeNode[]): number {
  return nodes.reduce((d, x) => Math.max(d, x.type === 'message' ? 1 + maxDepth(x.fields) : 1), 0);
}

describe('decoding stays within its limits on hostile values', () => {
  it('a 1 KB kine message whose protobuf fans out into six million fields shows 20,000 nodes and says where it cut', () => {
    const message = kineMessage('/registry/pods/default/bomb', fanOutPodValue(1000, 6000));
    assert.ok(message.length < 2_000, `the message is ${message.length} bytes`);
    const started = Date.now();
    const d = decodeKineBody(message);
    const v = d.value!;
    assert.equal(v.kind, 'Pod');
    const nodes = countNodes(v.protobuf!.fields);
    assert.ok(nodes <= DEFAULT_DECODE_LIMITS.maxNodes + 10, `${nodes} nodes`);
    assert.equal(
      v.cut,
      'Cut at field 2.1 after 1,995 fields: 4,005 more fields not shown (at most 20,000 nodes per value).',
    );
    const printed = JSON.stringify(valueJson(v, false, false), null, 2);
    assert.ok(printed.length < 8_000_000, `${printed.length} characters printed`);
    assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
  });

  it('names a message nested deeper than the depth limit instead of decoding it', () => {
    const v = classifyValue('/registry/widgets/default/deep', deepPodValue(200, 'Widget'));
    assert.match(v.protobuf!.fieldsNote!, /have no v1 Widget, so its fields are shown by number/);
    assert.ok(maxDepth(v.protobuf!.fields) <= DEFAULT_DECODE_LIMITS.maxDepth + 1);
    assert.equal(v.cut, `Cut at field 2${'.1'.repeat(24)}: nested deeper than 24 levels, not decoded.`);
  });

  it('prints JSON nested a million levels deep without overflowing the stack, and a huge array in part', () => {
    const deep = classifyValue('/registry/x/y', te.encode('['.repeat(1_000_000) + ']'.repeat(1_000_000)));
    assert.equal(deep.encoding, 'json');
    assert.match(JSON.stringify(valueJson(deep, false, false)), /Cut at \$(\[0\]){24}: nested deeper than 24 levels/);
    const wide = classifyValue('/registry/x/y', te.encode(`[${'1,'.repeat(999_999)}1]`));
    const items = wide.json as unknown[];
    assert.equal(items.length, DEFAULT_DECODE_LIMITS.maxNodes + 1);
    assert.equal(
      items.at(-1),
      '… Cut at $ after 20,000 items: 980,000 more items not shown (at most 20,000 nodes per value).',
    );
    assert.equal(wide.cut, items.at(-1)!.toString().slice(2));
  });

  it('cuts long text to the text limit and says how much it showed', () => {
    const long = 'x'.repeat(3 * 1024 * 1024);
    const text = classifyValue('/registry/x/y', te.encode(long));
    assert.equal(text.encoding, 'text');
    assert.ok(text.text!.length < DEFAULT_DECODE_LIMITS.maxTextBytes + 300);
    assert.equal(
      text.cut,
      'Cut at the value: 2,097,152 of 3,145,728 bytes shown (at most 2,097,152 bytes of text per value).',
    );
    const field = classifyValue(
      '/registry/x/y',
      Buffer.concat([
        Buffer.from('k8s\0', 'latin1'),
        encodeFields([{ field: 2, message: [{ field: 2, message: [{ field: 3, text: long }] }] }]),
      ]),
    );
    assert.match(field.cut ?? '', /^Cut at field 2\.3: 2,097,1\d\d of 3,145,728 bytes shown/);
  });

  it('decodes a 12 MiB base64 value (the grouped base64 pattern overflowed the stack)', () => {
    const value = new Uint8Array(12 * 1024 * 1024).fill(0x41);
    const env = parseEnvelope(`{"KV":{"Key":"/a","Value":"${Buffer.from(value).toString('base64')}"}}`);
    assert.equal(env.value?.length, value.length);
  });
});
