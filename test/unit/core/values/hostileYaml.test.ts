import * as assert from 'node:assert/strict';
import { analyzeValues } from '../../../../src/core/values/analyzeValues';
import { completeValues } from '../../../../src/core/values/valuesCompletion';
import { hoverValues } from '../../../../src/core/values/valuesHover';
import { migrateValues } from '../../../../src/core/values/migrateValues';

// Bounded inputs only: each case must finish because its input is bounded, not because a timer says so.
describe('hostile YAML', () => {
  it('an alias bomb gives one clear diagnostic instead of expanding', () => {
    let text = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 12; i++) text += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`;
    text += 'config:\n  merge:\n    bomb: *a11\n';
    const d = analyzeValues(text).diagnostics;
    assert.ok(d.some((x) => /alias bomb/.test(x.message)), JSON.stringify(d.map((x) => x.message)));
    assert.doesNotThrow(() => hoverValues(text, text.indexOf('bomb')));
    assert.doesNotThrow(() => completeValues(text, text.length));
  });

  it('duplicate keys are an error on the second key', () => {
    const text = 'config:\n  jetstream:\n    enabled: true\n    enabled: false\n';
    const dup = analyzeValues(text).diagnostics.find((d) => d.code === 'duplicate-key');
    assert.ok(dup);
    assert.equal(dup.range.start.line, 3);
  });

  it('tab indentation is named as such', () => {
    const d = analyzeValues('config:\n\tjetstream:\n\t\tenabled: true\n').diagnostics;
    assert.ok(d.some((x) => x.code === 'tab-indentation'), JSON.stringify(d));
  });

  it('a 5 MB file gets file-too-large without being parsed', () => {
    const text = `config:\n  merge:\n${'    k: value-value-value-value\n'.repeat(180_000)}`;
    assert.ok(text.length > 5_000_000);
    const d = analyzeValues(text).diagnostics;
    assert.deepEqual(d.map((x) => x.code), ['file-too-large']);
  });

  it('binary bytes give binary-content at the first bad byte', () => {
    const d = analyzeValues('config:\n  a: \u0000\u0001\u0002\u00ff\n').diagnostics;
    assert.deepEqual(d.map((x) => [x.code, x.range.start.line, x.range.start.character]), [['binary-content', 1, 5]]);
  });

  it('syntax errors are yaml-syntax with a position, and the rest is still checked', () => {
    const d = analyzeValues('config:\n  jetstream: [unclosed\nbogus: 1\n').diagnostics;
    assert.ok(d.some((x) => x.code === 'yaml-syntax'));
  });

  it('non-map documents, empty files and deep nesting do not crash', () => {
    assert.deepEqual(analyzeValues('').diagnostics, []);
    assert.equal(analyzeValues('- a\n- b\n').diagnostics[0]?.code, 'wrong-type');
    const deep = `config:\n  merge:\n    x: ${'['.repeat(2000)}${']'.repeat(2000)}\n`;
    assert.deepEqual(analyzeValues(deep).diagnostics.map((d) => d.code), ['yaml-syntax']);
    assert.doesNotThrow(() => migrateValues('nats: [1, 2]\ncluster: 3\n'));
  });
});
