// The fuzz and property checks of the values core, each a way to make an input from a seeded generator and a check
// that throws when the input shows a bug. propertyRunner.ts runs them in a worker thread (so a hang is caught and
// named by its seed); valuesFuzz.test.ts is the mocha face.
import * as assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { analyzeValues } from '../../../../src/core/values/analyzeValues';
import { migrateValues } from '../../../../src/core/values/migrateValues';
import { completeValues } from '../../../../src/core/values/valuesCompletion';
import { hoverValues } from '../../../../src/core/values/valuesHover';
import { generate0x, mutate, pick, seedFiles, type Generated0x, type Random } from './valuesGenerators';

export interface Property<T> {
  make(rnd: Random): T;
  /** Throws on a bug; may return a tag the runner counts (e.g. how many inputs were migrated, not refused). */
  check(input: T, rnd: Random): string | undefined;
  show(input: T): string;
}

/** The data Helm reads from a file (YAML 1.1, merges; every line break a line break), by an independent parser. */
function helmReads(text: string): Record<string, unknown> {
  const doc = parseDocument(text.replace(/\r\n?/g, '\n'), { version: '1.1', merge: true, uniqueKeys: false });
  assert.deepEqual(
    doc.errors.map((e) => e.message),
    [],
    'the text has YAML errors',
  );
  return (doc.toJS() ?? {}) as Record<string, unknown>;
}

function at(data: unknown, path: readonly string[]): unknown {
  let v = data;
  for (const k of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

// Names of the yaml library's API or the engine's errors, which a user must never read.
const INTERNALS = /YAML\.\w+\(|parseAllDocuments|mapAsMap|call stack|Symbol\(|\[object |\bundefined\b|\bNaN\b/;
const PARSE_CODES = [
  'yaml-syntax',
  'duplicate-key',
  'tab-indentation',
  'undefined-alias',
  'collection-key',
  'multiple-documents',
  'limit-exceeded',
];

const texts = seedFiles().map((s) => s.text);
const mutated = (rnd: Random): string => mutate(rnd, pick(rnd, texts), texts);

const analysis: Property<string> = {
  make: mutated,
  check(text, rnd) {
    const { diagnostics } = analyzeValues(text);
    assert.ok(diagnostics.length <= 1001);
    for (const d of diagnostics) {
      const { startOffset, endOffset } = d.range;
      assert.ok(
        startOffset >= 0 && startOffset <= endOffset && endOffset <= text.length,
        `range ${startOffset}-${endOffset} of ${text.length}: ${d.message}`,
      );
      assert.match(d.message, /^[^\n\r\u2028\u2029]+[.?]$/, d.message);
      // Keys and values quoted from the file (`…`) are the user's words, whatever they spell (a key named `NaN`).
      assert.doesNotMatch(d.message.replace(/`[^`]*`/g, '``'), INTERNALS);
    }
    const offset = Math.floor(rnd() * (text.length + 1));
    hoverValues(text, offset);
    completeValues(text, offset);
  },
  show: JSON.stringify,
};

const migration: Property<string> = {
  make: mutated,
  check(text) {
    const result = migrateValues(text);
    if (result.errors.length > 0) {
      assert.equal(result.text, text, 'a refused file is given back unchanged');
      return 'refused';
    }
    const problems = analyzeValues(result.text).diagnostics.filter(
      (d) => d.severity === 'error' && PARSE_CODES.includes(d.code),
    );
    assert.deepEqual(
      problems.map((d) => `${d.code} ${d.range.start.line + 1}: ${d.message}`),
      [],
      `migrated text:\n${result.text}`,
    );
    return 'migrated';
  },
  show: JSON.stringify,
};

const roundTrip: Property<Generated0x> = {
  make: generate0x,
  check(g) {
    const result = migrateValues(g.text);
    assert.deepEqual(result.errors, []);
    const before = helmReads(g.text);
    const after = helmReads(result.text);
    const reported = new Set(result.notCarried.map((n) => n.path));
    for (const s of g.settings) {
      if (reported.has(s.legacy.join('.'))) continue;
      assert.deepEqual(
        at(after, s.target),
        at(before, s.legacy),
        `${s.legacy.join('.')} → ${s.target.join('.')}\nmigrated:\n${result.text}`,
      );
      assert.equal(at(after, s.legacy), undefined, `${s.legacy.join('.')} is left in the file`);
    }
    for (const key of g.kept) assert.deepEqual(after[key], before[key], `${key} kept`);
    // The file's own line breaks, and a second migration finds nothing left to do.
    const breaks = (t: string) => [...new Set(t.match(/\r\n|\r|\n/g) ?? [])];
    assert.deepEqual(breaks(result.text), breaks(g.text));
    assert.equal(migrateValues(result.text).text, result.text, 'migrating again changes nothing');
  },
  show: (g) => g.text,
};

export const PROPERTIES: Readonly<Record<string, Property<never>>> = {
  analysis: analysis as Property<never>,
  migration: migration as Property<never>,
  roundTrip: roundTrip as Property<never>,
};

export const SEED_COUNT = texts.length;
