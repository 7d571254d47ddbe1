import * as assert from 'node:assert/strict';
import { analyzeValues } from '../../../../src/core/values/analyzeValues';
import { completeValues } from '../../../../src/core/values/valuesCompletion';
import { hoverValues } from '../../../../src/core/values/valuesHover';
import { migrateValues } from '../../../../src/core/values/migrateValues';
import type { ValuesDiagnostic } from '../../../../src/core/values/valuesTypes';

/** Runs `fn` and returns its result with the milliseconds it took. */
function timed<T>(fn: () => T): [T, number] {
  const started = performance.now();
  const result = fn();
  return [result, performance.now() - started];
}

const messages = (d: readonly ValuesDiagnostic[]): string => JSON.stringify(d.map((x) => `${x.code}: ${x.message}`));

// Bounded inputs only: each case must finish because its input is bounded, not because a timer says so.
describe('hostile YAML', () => {
  it('an alias bomb gives one clear diagnostic instead of expanding', () => {
    let text = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 12; i++)
      text += `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]\n`;
    text += 'config:\n  merge:\n    bomb: *a11\n';
    const d = analyzeValues(text).diagnostics;
    assert.ok(
      d.some((x) => /alias bomb/.test(x.message)),
      messages(d),
    );
    assert.doesNotThrow(() => hoverValues(text, text.indexOf('bomb')));
    assert.doesNotThrow(() => completeValues(text, text.length));
    assert.deepEqual(
      migrateValues(text).errors.map((e) => e.code),
      ['limit-exceeded'],
    );
  });

  it('duplicate keys are an error on the second key', () => {
    const text = 'config:\n  jetstream:\n    enabled: true\n    enabled: false\n';
    const dup = analyzeValues(text).diagnostics.find((d) => d.code === 'duplicate-key');
    assert.ok(dup);
    assert.equal(dup.range.start.line, 3);
    // helm 3 and 4 read such a file and keep the last value; they do not refuse it.
    assert.match(dup.message, /`enabled` appears twice in this map; Helm silently keeps only the last one\./);
  });

  it('tab indentation is named as such', () => {
    const d = analyzeValues('config:\n\tjetstream:\n\t\tenabled: true\n').diagnostics;
    assert.ok(
      d.some((x) => x.code === 'tab-indentation'),
      JSON.stringify(d),
    );
  });

  it('a 5 MB file gets file-too-large without being parsed', () => {
    const text = `config:\n  merge:\n${'    k: value-value-value-value\n'.repeat(180_000)}`;
    assert.ok(text.length > 5_000_000);
    const d = analyzeValues(text).diagnostics;
    assert.deepEqual(
      d.map((x) => x.code),
      ['file-too-large'],
    );
    assert.match(
      d[0]?.message ?? '',
      /^The file is 5,450 KiB; values files for the chart are far smaller, and files over 512 KiB are not read\.$/,
    );
  });

  it('binary bytes give binary-content at the first bad byte', () => {
    const d = analyzeValues('config:\n  a: \u0000\u0001\u0002\u00ff\n').diagnostics;
    assert.deepEqual(
      d.map((x) => [x.code, x.range.start.line, x.range.start.character]),
      [['binary-content', 1, 5]],
    );
  });

  it('syntax errors are yaml-syntax with a position, and the rest is still checked', () => {
    const d = analyzeValues('config:\n  jetstream: [unclosed\nbogus: 1\n').diagnostics;
    assert.ok(d.some((x) => x.code === 'yaml-syntax'));
  });

  it('non-map documents, empty files and deep nesting do not crash', () => {
    assert.deepEqual(analyzeValues('').diagnostics, []);
    assert.equal(analyzeValues('- a\n- b\n').diagnostics[0]?.code, 'wrong-type');
    const deep = `config:\n  merge:\n    x: ${'['.repeat(2000)}${']'.repeat(2000)}\n`;
    assert.deepEqual(
      analyzeValues(deep).diagnostics.map((d) => d.code),
      ['limit-exceeded'],
    );
    assert.doesNotThrow(() => migrateValues('nats: [1, 2]\ncluster: 3\n'));
  });

  describe('limits: time linear in the size, one sentence when a limit is hit', () => {
    it('a few hundred nested explicit keys (800 bytes) are refused in milliseconds, by lint and migrate', () => {
      // Before the limits: lint 16 s and 215 MB, migrate 1.3 GB and a RangeError (toJS stringified each key).
      const text = `${'? '.repeat(400)}x\n`;
      const [lint, lintMs] = timed(() => analyzeValues(text));
      assert.deepEqual(
        lint.diagnostics.map((d) => [d.code, d.message]),
        [['limit-exceeded', 'The file nests deeper than 64 levels here; values files for the chart need far less.']],
      );
      const [migrated, migrateMs] = timed(() => migrateValues(text));
      assert.deepEqual(
        migrated.errors.map((d) => d.code),
        ['limit-exceeded'],
      );
      assert.equal(migrated.text, text);
      assert.ok(lintMs < 500 && migrateMs < 500, `lint ${lintMs.toFixed(0)} ms, migrate ${migrateMs.toFixed(0)} ms`);
    });

    it('nested keys under the depth limit are one collection-key error, with no stringified keys', () => {
      const text = `config:\n  merge:\n    ${'? '.repeat(60)}x\n`;
      // The yaml library's toJS warned "Keys with collection values will be stringified … Set mapAsMap: true".
      const warnings: unknown[] = [];
      const emitWarning = process.emitWarning;
      process.emitWarning = (warning: string | Error) => void warnings.push(warning);
      try {
        const [lint, ms] = timed(() => analyzeValues(text));
        assert.deepEqual(
          lint.diagnostics.map((d) => [d.code, d.message]),
          [['collection-key', 'A map or list is used as a key here; Helm accepts only plain keys such as `name:`.']],
        );
        assert.ok(ms < 500, `${ms.toFixed(0)} ms`);
        assert.deepEqual(
          migrateValues(text).errors.map((d) => d.code),
          ['collection-key'],
        );
      } finally {
        process.emitWarning = emitWarning;
      }
      assert.deepEqual(warnings, []);
    });

    it('5,000 nested sequences on one line are refused, not a stack overflow', () => {
      // Before: the parser's "Maximum call stack size exceeded" reached users, and V8 sometimes died compiling a regexp.
      for (const text of [
        `${'- '.repeat(5000)}x\n`,
        `config:\n  merge:\n    a: ${'{a: '.repeat(5000)}1${'}'.repeat(5000)}\n`,
      ]) {
        const d = analyzeValues(text).diagnostics;
        assert.deepEqual(
          d.map((x) => x.code),
          ['limit-exceeded'],
          messages(d),
        );
        assert.equal(d[0]?.range.start.line, text.startsWith('config') ? 2 : 0);
      }
    });

    it('a map of 15,000 keys (230 KB) is checked in linear time', () => {
      // Before: the yaml library's uniqueKeys compared each key with all earlier ones (20,000 keys: 3.5 s; 0.5 MB: 28 s).
      const keys = (n: number): string =>
        `config:\n  merge:\n${Array.from({ length: n }, (_, i) => `    key${i}: ${i}\n`).join('')}`;
      analyzeValues(keys(100));
      const [small, smallMs] = timed(() => analyzeValues(keys(1_500)));
      const [large, largeMs] = timed(() => analyzeValues(keys(15_000)));
      assert.deepEqual([small.diagnostics, large.diagnostics], [[], []]);
      // Ten times the keys: about ten times the time (a quadratic check took a hundred times); 40 allows for noise.
      assert.ok(
        largeMs < Math.max(40 * smallMs, 200) && largeMs < 3000,
        `1,500 keys ${smallMs.toFixed(0)} ms, 15,000 keys ${largeMs.toFixed(0)} ms`,
      );
    });

    it('more than 50,000 tokens are refused where the limit is crossed', () => {
      const text = `config:\n  merge:\n${'    a: ]]]]]]]]]]\n'.repeat(6000)}`;
      const [lint, ms] = timed(() => analyzeValues(text));
      assert.deepEqual(
        lint.diagnostics.map((d) => [d.code, d.message]),
        [
          [
            'limit-exceeded',
            'The file holds more than 50,000 YAML tokens (keys, values, `:`, `-`, brackets); values files for the chart hold about a thousand, so it is not read further.',
          ],
        ],
      );
      assert.ok(lint.diagnostics[0]!.range.start.line > 4000, `line ${lint.diagnostics[0]!.range.start.line}`);
      assert.ok(ms < 2000, `${ms.toFixed(0)} ms`);
    });
  });

  it('lists at most 1,000 diagnostics, and says how many more there are', () => {
    const text = `config:\n  merge:\n${'    same: 1\n'.repeat(1_500)}`;
    const d = analyzeValues(text).diagnostics;
    assert.equal(d.length, 1_001);
    assert.deepEqual(
      [d[999]?.code, d[1000]?.severity, d[1000]?.message],
      ['duplicate-key', 'information', '499 more problems are not listed; fix the ones above first.'],
    );
    assert.equal(migrateValues(text).errors.length, 1_001);
  });

  describe("messages say what is wrong in the user's terms", () => {
    it('an undefined alias is named as such, not as an alias bomb', () => {
      const d = analyzeValues('config:\n  merge:\n    x: *nope\n').diagnostics;
      assert.deepEqual(
        d.map((x) => [x.code, x.message, x.range.start.line, x.range.start.character]),
        [
          [
            'undefined-alias',
            'No anchor `&nope` is defined above this alias; Helm refuses the file ("unknown anchor").',
            2,
            7,
          ],
        ],
      );
    });

    it('an alias inside the node its anchor names is refused in one sentence', () => {
      const d = analyzeValues('config:\n  merge:\n    x: &loop [1, *loop]\n').diagnostics;
      assert.deepEqual(
        d.map((x) => x.code),
        ['undefined-alias'],
        messages(d),
      );
      assert.match(d[0]!.message, /sits inside the value its anchor names/);
    });

    it('brackets inside a quoted string are text, not nesting', () => {
      const text = `config:\n  merge:\n    a: "${'['.repeat(100)}"\n    b: '${'{'.repeat(100)}'\n    c: [ "]]]", '[[[' ]\n`;
      assert.deepEqual(analyzeValues(text).diagnostics, []);
    });

    it("several documents are named, without the yaml library's advice to its own callers", () => {
      const d = analyzeValues(
        'config:\n  cluster:\n    enabled: true\n---\nconfig:\n  jetstream:\n    enabled: true\n',
      ).diagnostics;
      assert.deepEqual(
        d.map((x) => [x.code, x.message, x.range.start.line]),
        [
          [
            'multiple-documents',
            'This file holds 2 YAML documents (separated by `---`): helm 3 reads only the first and helm 4 merges them, so keep all values in one document.',
            3,
          ],
        ],
      );
      // An empty document after the values (a trailing `---`) is no second set of values.
      assert.deepEqual(analyzeValues('config: {}\n---\n').diagnostics, []);
    });

    it('keys and values quoted in a message stay on its one line', () => {
      // A quoted key can hold a line break, a value U+2028 (a line separator to editors); both came out raw.
      const text = 'config:\n  "odd\\nkey": 1\n  cluster:\n    enabled: "tru\u2028e"\n';
      const d = analyzeValues(text).diagnostics;
      assert.deepEqual(
        d.map((x) => x.message),
        [
          'Unknown key `odd\\nkey` in `config`: the chart ignores it.',
          '`config.cluster.enabled` must be boolean, not string "tru\\u2028e".',
        ],
      );
    });

    it("a merge key is `<<`, not the yaml library's symbol", () => {
      const d = analyzeValues(
        'defaults: &d\n  enabled: true\nconfig:\n  jetstream:\n    <<: *d\n    nope: 1\n',
      ).diagnostics;
      assert.deepEqual(
        d.filter((x) => x.code === 'unknown-key').map((x) => x.path),
        ['defaults', 'config.jetstream.nope'],
      );
    });

    it("no message names the yaml library's API or a JavaScript engine error", () => {
      const inputs = [
        '- '.repeat(3000),
        '['.repeat(3000),
        'a: *x\n',
        'a: 1\n---\nb: 2\n',
        '? [a]\n: 1\n',
        '<<: 5\n',
        '&a [*a]\n',
        'a: !!binary xyz\n',
        'a: !!map [1]\n',
        '%YAML 1.1\n%YAML 1.1\n---\na: 1\n',
        'a: "\\q"\n',
        '? |\n  x\n: 1\n',
        'a: b: c\n',
        '}{][,,\n',
        `a: ${'x'.repeat(2000)}: 1\n`,
      ];
      for (const text of inputs) {
        const found = [...analyzeValues(text).diagnostics, ...migrateValues(text).errors].map((d) => d.message);
        for (const m of found)
          assert.doesNotMatch(
            m,
            /YAML\.\w+\(|parseAllDocuments|mapAsMap|call stack|Symbol\(|undefined|\[object /,
            `${JSON.stringify(text.slice(0, 40))}: ${m}`,
          );
      }
    });
  });

  it('lone CR line breaks, which Helm reads as line breaks, are read as such', () => {
    const lf = 'config:\n  cluster:\n    enabled: true\n    replicas: 2\n  jetstream:\n    enabled: true\n';
    const cr = lf.replace(/\n/g, '\r');
    const where = (text: string): unknown =>
      analyzeValues(text).diagnostics.map((d) => [d.code, d.check, d.range.start.line, d.range.start.character]);
    assert.deepEqual(where(cr), where(lf));
    assert.ok((where(lf) as unknown[]).length > 0, 'the file has a warning to compare');
  });
});
