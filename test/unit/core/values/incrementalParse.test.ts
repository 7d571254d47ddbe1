import * as assert from 'node:assert/strict';
import { analyzeValues } from '../../../../src/core/values/analyzeValues';
import { clearParseCache, parseCacheStats, parseValuesIncremental } from '../../../../src/core/values/incrementalParse';
import { parseValues } from '../../../../src/core/values/parseValues';
import { chartValuesText } from './fixtures';
import { seededRandom } from '../../../generators/random/seededRandom';

// Values that keep, change or break a scalar: types the schema checks, YAML 1.1 booleans, quotes, and things that are not scalars.
const TOKENS = [
  '4',
  '0',
  '-1',
  '3.50',
  '0x1F',
  '010',
  'yes',
  'no',
  'on',
  'off',
  'true',
  'false',
  '~',
  'null',
  'Null',
  '10Gi',
  '"quoted"',
  "'single'",
  '"unterminated',
  'a: b',
  '[1, 2]',
  '{}',
  '#c',
  'x #c',
  '&anchor x',
  '*anchor',
  '!!str 5',
  '',
  ' ',
  'nats:2.10',
  'http://x',
  '- item',
  'a\tb',
  '|',
  '>-',
  '"a\\nb"',
  'ünïcode',
];

/** The spans of single-line scalar values (after `key: ` or `- `, before a comment), where typing most often happens. */
function valueSpans(text: string): [number, number][] {
  const out: [number, number][] = [];
  let lineStart = 0;
  for (const line of text.split('\n')) {
    const m = /^(\s*(?:- |[\w$.-]+:\s+))([^#\s](?:[^#]*[^#\s])?)/.exec(line);
    if (m)
      out.push([lineStart + (m[1] as string).length, lineStart + (m[1] as string).length + (m[2] as string).length]);
    lineStart += line.length + 1;
  }
  return out;
}

function randomEdit(text: string, rnd: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const spans = valueSpans(text);
  const kind = rnd();
  if (kind < 0.5 && spans.length > 0) {
    const [s, e] = pick(spans);
    return text.slice(0, s) + pick(TOKENS) + text.slice(e);
  }
  if (kind < 0.8 && spans.length > 0) {
    // One keystroke inside or at the edge of a value: typing or deleting a character.
    const [s, e] = pick(spans);
    const at = s + Math.floor(rnd() * (e - s + 1));
    return rnd() < 0.6
      ? text.slice(0, at) + pick(['1', 'a', ' ', '"', ':', '#', '-', '.', 'é']) + text.slice(at)
      : text.slice(0, Math.max(s, at - 1)) + text.slice(at);
  }
  // Anywhere at all: structure changes must fall back to a full parse and still agree.
  const at = Math.floor(rnd() * text.length);
  return rnd() < 0.5
    ? text.slice(0, at) + pick(['\n', ' ', 'x', ':', '  y: 1\n', '[']) + text.slice(at)
    : text.slice(0, at) + text.slice(at + 1 + Math.floor(rnd() * 3));
}

/** The edit between two texts, with a little context, for a failure message. */
function describeEdit(before: string, after: string): string {
  let s = 0;
  while (s < before.length && before[s] === after[s]) s++;
  let t = 0;
  while (t < before.length - s && t < after.length - s && before[before.length - 1 - t] === after[after.length - 1 - t])
    t++;
  return `${JSON.stringify(before.slice(Math.max(0, s - 30), before.length - t + 10))} -> ${JSON.stringify(after.slice(Math.max(0, s - 30), after.length - t + 10))}`;
}

describe('incremental parse (a patched previous parse instead of a new one)', () => {
  afterEach(() => clearParseCache());

  it("gives the same diagnostics as a from-scratch analysis over 300 seeded random edits of chart 2.14.2's values", function () {
    // 600 full analyses: bounded work, but seconds on a busy 2-core machine.
    this.timeout(60_000);
    // Errors planted at the end of the file make every step check that positions after the edit moved right.
    let good = `${chartValuesText('2.14.2')}bogusKey: 1\nconfig2: {}\n`;
    let text = good;
    const rnd = seededRandom(0x5eed);
    const texts: string[] = [];
    for (let i = 0; i < 300; i++) {
      // A text that does not parse is followed by the last one that did, as when the user fixes a typo; edits chain otherwise.
      text = randomEdit(parseValues(text).errors.length > 0 ? good : (good = text), rnd);
      texts.push(text);
    }
    clearParseCache();
    const before = parseCacheStats();
    const incremental = texts.map((t) => analyzeValues(t));
    const after = parseCacheStats();
    const fresh = texts.map((t) => {
      clearParseCache();
      return analyzeValues(t);
    });
    for (const [i, r] of incremental.entries())
      assert.deepEqual(r, fresh[i], `edit ${i}: ${describeEdit(texts[i - 1] ?? '', texts[i] as string)}`);
    assert.ok(after.patched - before.patched > 60, `the patched path ran ${after.patched - before.patched} times`);
    assert.ok(
      after.parsed - before.parsed > 20,
      `structural edits were parsed afresh ${after.parsed - before.parsed} times`,
    );
  });

  it('a patched document reads as a fresh parse: values, ranges and comments', () => {
    const base = 'a:\n  b: 3   # three\n  c: [x]\nd:\n  - yes\n  - "q"\ne: 1\n';
    parseValuesIncremental(base);
    for (const next of [
      base.replace('b: 3', 'b: 345'),
      base.replace('- yes', '- no'),
      base.replace('"q"', '"quoted text"'),
      base.replace('e: 1', 'e: 10Gi'),
    ]) {
      const patched = parseValuesIncremental(next);
      const fresh = parseValues(next);
      assert.deepEqual(patched.toJSON(), fresh.toJSON());
      assert.equal(patched.toString(), fresh.toString());
      assert.deepEqual(patched.getIn(['e'], true), fresh.getIn(['e'], true));
      parseValuesIncremental(base);
    }
  });

  it('falls back to a full parse for edits that change structure or sit in a flow collection', () => {
    parseValuesIncremental('a:\n  b: 3\n  c: [x]\n');
    const { patched } = parseCacheStats();
    parseValuesIncremental('a:\n  b: 3\n  c: [xy]\n');
    parseValuesIncremental('a:\n  b: 3: 4\n  c: [xy]\n');
    parseValuesIncremental('a:\n  bb: 3\n  c: [xy]\n');
    assert.equal(parseCacheStats().patched, patched);
  });
});
