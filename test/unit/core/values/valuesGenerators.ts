// Inputs for the values fuzz and property tests: real values files as seeds, text mutations that break YAML the ways
// people and tools do, and generated 0.x files whose every setting has a known 2.x home. All driven by a seeded
// generator, so a failing case replays from the seed its test prints.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { Document, isMap, isScalar, isSeq, type Node, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { LEGACY_KEY_RULES, type LegacyKeyRule } from '../../../../src/core/values/legacyKeys';
import { repoRoot } from './fixtures';

export type Random = () => number;

export const pick = <T>(rnd: Random, list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
const int = (rnd: Random, below: number): number => Math.floor(rnd() * below);

/** test/fixtures/values/*.yaml and the chart's own values files (../shared/charts/<chart>/values.yaml). */
export function seedFiles(): { name: string; text: string }[] {
  const fixtures = join(repoRoot, 'test', 'fixtures', 'values');
  const charts = join(repoRoot, '..', 'shared', 'charts');
  const files = readdirSync(fixtures)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(fixtures, f));
  if (existsSync(charts))
    for (const chart of readdirSync(charts))
      if (existsSync(join(charts, chart, 'values.yaml'))) files.push(join(charts, chart, 'values.yaml'));
  return files.map((f) => ({ name: relative(dirname(repoRoot), f), text: readFileSync(f, 'utf8') }));
}

// What people and tools put into YAML: indicators, anchors, tags, quotes, odd whitespace and line breaks, unicode.
const SNIPPETS = [
  ':',
  ': ',
  '-',
  '- ',
  '? ',
  '[',
  ']',
  '{',
  '}',
  ',',
  '&a ',
  '*a',
  '&b ',
  '*b',
  '<<: *a',
  '!!str ',
  '!!map ',
  '!!binary ',
  '|',
  '>-',
  '"',
  "'",
  '#',
  ' #c',
  '\t',
  '\r',
  '\r\n',
  '\n',
  '---\n',
  '...\n',
  '%YAML 1.1\n',
  '~',
  'null',
  'yes',
  'no',
  'on',
  '0x1F',
  '010',
  '1e3',
  '.inf',
  '-.nan',
  '2001-12-14',
  'ünï',
  '😀',
  '\u00a0',
  '\ufeff',
  '\u2028',
  '\\',
  '\\x',
  '"\\q"',
  'a: b: c',
  '{a: 1}',
  '[1, [2, [3]]]',
  'nats:\n  jetstream:\n    enabled: true\n',
  'cluster:\n  enabled: true\n',
  '\n  ',
  '    ',
];

/** 1–4 edits of `text`: deletions, insertions, duplicated or re-indented lines, other line breaks, splices, truncation, repetition. */
export function mutate(rnd: Random, text: string, others: readonly string[]): string {
  let out = text;
  for (let edits = 1 + int(rnd, 4); edits > 0; edits--) {
    const at = int(rnd, out.length + 1);
    const lineStart = out.lastIndexOf('\n', at - 1) + 1;
    const lineEnd = out.indexOf('\n', at) === -1 ? out.length : out.indexOf('\n', at);
    switch (int(rnd, 9)) {
      case 0:
        out = out.slice(0, at) + out.slice(at + 1 + int(rnd, 20));
        break;
      case 1:
        out = out.slice(0, at) + pick(rnd, SNIPPETS) + out.slice(at);
        break;
      case 2:
        out = out.slice(0, lineEnd) + out.slice(Math.max(lineStart - 1, 0), lineEnd) + out.slice(lineEnd);
        break;
      case 3:
        out =
          out.slice(0, lineStart) +
          pick(rnd, [' ', '  ', '\t', '']) +
          out.slice(lineStart + (rnd() < 0.5 ? int(rnd, 3) : 0));
        break;
      case 4:
        out = out.replace(/\n/g, pick(rnd, ['\r', '\r\n', '\n']));
        break;
      case 5: {
        const other = pick(rnd, others);
        const from = int(rnd, other.length);
        out = out.slice(0, at) + other.slice(from, from + 1 + int(rnd, 400)) + out.slice(at);
        break;
      }
      case 6:
        out = out.slice(0, at);
        break;
      case 7:
        out =
          out.slice(0, at) +
          pick(rnd, ['- ', '? ', '[', '{a: ', 'a: ', '  ', '*a, ', '&x ']).repeat(1 + int(rnd, 200)) +
          out.slice(at);
        break;
      default:
        out = out.slice(0, lineStart) + out.slice(lineEnd + 1);
        break;
    }
  }
  return out;
}

// The plain rules: a 0.x key moved as it is to one 2.x key. Wildcards get a real image field.
const PLAIN_RULES = LEGACY_KEY_RULES.filter((r) => r.target !== undefined && !r.transform && !r.automatic);
const IMAGE_FIELDS = ['repository', 'tag', 'pullPolicy', 'registry'];

function legacyPath(rnd: Random, rule: LegacyKeyRule): string[] {
  return rule.legacy.split('.').map((p) => (p === '*' ? pick(rnd, IMAGE_FIELDS) : p));
}

const STRINGS = [
  'nats',
  'a b',
  'with: colon',
  'hash # inside',
  "it's",
  'say "hi"',
  '',
  ' padded ',
  'yes',
  '010',
  '1.0',
  'null',
  '~',
  'multi\nline\n',
  'tab\there',
  'ünï😀',
  '*not-an-alias',
  '&not-an-anchor',
  '- dash',
  '[x]',
  '{y}',
  '8MB',
  '<< 1GB >>',
];

function randomValue(rnd: Random, depth = 0): unknown {
  const kind = int(rnd, depth > 1 ? 4 : 6);
  if (kind === 0) return int(rnd, 3) === 0 ? -int(rnd, 100000) : int(rnd, 100000);
  if (kind === 1) return rnd() < 0.5;
  if (kind === 2 || kind === 3) return pick(rnd, STRINGS);
  if (kind === 4) return Array.from({ length: 1 + int(rnd, 3) }, () => randomValue(rnd, depth + 1));
  return Object.fromEntries(
    Array.from({ length: 1 + int(rnd, 3) }, (_, i) => [
      `${pick(rnd, ['key', 'name', 'x-y', 'with space'])}${i}`,
      randomValue(rnd, depth + 1),
    ]),
  );
}

function isEmptyValue(v: unknown): boolean {
  return (
    v === null ||
    (Array.isArray(v) && v.length === 0) ||
    (typeof v === 'object' && v !== null && Object.keys(v).length === 0)
  );
}

export interface Generated0x {
  text: string;
  /** The 0.x settings written, each with the 2.x path migration must carry it to. */
  settings: { legacy: string[]; target: string[] }[];
  /** Keys of both layouts (kept in place by a migration). */
  kept: string[];
}

/**
 * A 0.x values file with 1–8 settings of plain rules (no two with the same 2.x key), random values, random
 * styles (block or flow, quoting, comments, indentation of 2 or 4), sometimes a value aliasing an earlier one, a
 * key of both layouts aliasing a moved value, and CRLF or lone-CR line breaks.
 */
export function generate0x(rnd: Random): Generated0x {
  // Written as YAML 1.1, as Helm reads it: strings such as `yes` or `010` come out quoted.
  const doc = new Document({}, { version: '1.1' });
  const setIn = (path: readonly string[], value: Node): void => {
    let map = doc.contents as YAMLMap;
    for (const key of path.slice(0, -1)) {
      const next = map.get(key, true);
      if (isMap(next)) map = next;
      else {
        const fresh = doc.createNode({}) as YAMLMap;
        map.set(key, fresh);
        map = fresh;
      }
    }
    map.set(path[path.length - 1], value);
  };
  const settings: Generated0x['settings'] = [];
  const targets = new Set<string>();
  const anchored: (Scalar | YAMLMap | YAMLSeq)[] = [];
  let authOn = false;
  for (let n = 1 + int(rnd, 8); n > 0; n--) {
    const rule = pick(rnd, PLAIN_RULES);
    const legacy = legacyPath(rnd, rule);
    const target = rule
      .target!.split('.')
      .map((p, i, all) => (p === '*' ? (legacy[legacy.length - (all.length - i)] ?? p) : p));
    const dotted = legacy.join('.');
    // One setting per 2.x key, and none inside another's value.
    if (
      targets.has(target.join('.')) ||
      settings.some((s) => {
        const other = s.legacy.join('.');
        return other === dotted || other.startsWith(`${dotted}.`) || dotted.startsWith(`${other}.`);
      })
    )
      continue;
    // Chart 0.x reads auth settings only with auth on, and the resolver's only with a resolver type.
    if (legacy[0] === 'auth' && !authOn) {
      setIn(['auth', 'enabled'], doc.createNode(true));
      authOn = true;
    }
    if (legacy[1] === 'resolver' && !(doc.getIn(['auth', 'resolver', 'type']) as unknown))
      setIn(['auth', 'resolver', 'type'], doc.createNode('full'));
    let value = randomValue(rnd);
    if (isEmptyValue(value)) value = 'x';
    // An alias must come after its anchor: only a new top-level key (written last) may hold one.
    const earlier =
      anchored.length > 0 && !(doc.contents as YAMLMap).has(legacy[0]) && rnd() < 0.3 ? pick(rnd, anchored) : undefined;
    let node: Node;
    if (earlier) node = doc.createAlias(earlier);
    else {
      const fresh = doc.createNode(value) as Scalar | YAMLMap | YAMLSeq;
      if (rnd() < 0.2) {
        fresh.anchor = `a${anchored.length}`;
        anchored.push(fresh);
      }
      styleNode(rnd, fresh);
      if (rnd() < 0.3) fresh.commentBefore = ` about ${dotted}`;
      node = fresh;
    }
    setIn(legacy, node);
    targets.add(target.join('.'));
    settings.push({ legacy, target });
  }
  const kept: string[] = [];
  if (rnd() < 0.5) {
    setIn(
      ['nameOverride'],
      anchored.length > 0 && rnd() < 0.5 ? doc.createAlias(pick(rnd, anchored)) : doc.createNode('my-nats'),
    );
    kept.push('nameOverride');
  }
  const text = doc.toString({ indent: pick(rnd, [2, 4]), lineWidth: 0 });
  return { text: text.replace(/\n/g, pick(rnd, ['\n', '\n', '\r\n', '\r'])), settings, kept };
}

function styleNode(rnd: Random, node: unknown): void {
  if (isScalar(node)) {
    if (typeof node.value === 'string')
      node.type = pick(rnd, ['PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL'] as const);
  } else if (isMap(node) || isSeq(node)) {
    node.flow = rnd() < 0.3;
    for (const item of node.items) styleNode(rnd, isMap(node) ? (item as { value?: unknown }).value : item);
  }
}
