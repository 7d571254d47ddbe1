import { isAlias, isCollection, isMap, isScalar, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { findValuesRoot } from './analyzeValues';
import { aliasTargets } from './anchorIndex';
import { fromLineFeeds, lineBreakOf, toLineFeeds } from './lineBreaks';
import { hasLegacyRulesBelow, LEGACY_TOP_KEYS, legacyRuleFor, targetPath, type LegacyKeyRule } from './legacyKeys';
import { bannerEnd, blockLines, commentAbove, commentLines, keyLineComment, lastLineWithin } from './migrationComments';
import { insertions } from './migrationInsert';
import { addAt, entryAt, isEmpty, prependComment, type Tree } from './migrationTree';
import { schemaAtPath, schemaFor } from './schemaIndex';
import type { LineIndex } from './textPositions';
import { isMergeKey, plainValue } from './valuesData';
import { readValuesDocument } from './valuesDocument';
import { listedDiagnostics } from './valuesLimits';
import type { ValuesDiagnostic } from './valuesTypes';

export interface NotCarried {
  /** The 0.x path that was removed without an equivalent. */
  path: string;
  reason: string;
}

/** One key the migration wrote, and why: what a preview lists before anything changes. */
export interface MigrationChange {
  /** The chart 2.x path written. */
  path: string;
  /** `moved` from a 0.x key, or `added`: a kept 0.x default, or a key the moved one needs. */
  kind: 'moved' | 'added';
  /** The 0.x path it came from; absent for a kept 0.x default, which the file did not set. */
  from?: string;
  reason: string;
}

export interface MigrationResult {
  text: string;
  notCarried: NotCarried[];
  /** Every key written, in file order of the 0.x keys, then the kept defaults. */
  changes: MigrationChange[];
  /** 1.x/2.x keys written to keep a 0.x default that flipped (memory store, exporter, …). */
  keptDefaults: string[];
  /**
   * What keeps Helm from reading the file as written (YAML errors, size, binary bytes, several documents), as
   * `nats-k3s lint` reports them. When there is any, nothing is migrated and `text` is the input.
   */
  errors: ValuesDiagnostic[];
}

interface Plan {
  doc: Document;
  lines: LineIndex;
  /** First line after the file's banner: comments above it stay at the top of the file. */
  floor: number;
  root: string[];
  additions: Tree;
  notCarried: NotCarried[];
  keptDefaults: string[];
  changes: MigrationChange[];
  removals: [number, number][];
  legacy: Record<string, unknown>;
}

function treeHas(tree: Tree, path: readonly string[]): boolean {
  return entryAt(tree, path) !== undefined;
}

function get(values: unknown, path: string): unknown {
  let v = values;
  for (const k of path.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a reshaping rule needs the 0.x value to be (chart 0.x's own shape); undefined when any value will do. */
function shapeNeeded(rule: LegacyKeyRule, value: unknown): string | undefined {
  switch (rule.transform) {
    case 'envList':
    case 'pullSecretNames':
    case 'spreadMap':
    case 'patchAppend':
      return Array.isArray(value) ? undefined : 'a list';
    case 'encryptionSecret':
      return isRecord(value) ? undefined : 'a map with `name` and `key`';
    default:
      return undefined;
  }
}

function transformed(rule: LegacyKeyRule, path: string[], value: unknown, plan: Plan): [string[], unknown][] {
  const target = targetPath(rule, path) as string[];
  const tlsDir = (prefix: string): string => `/etc/nats-certs/${prefix.split('.')[1] ?? 'nats'}`;
  switch (rule.transform) {
    case 'envList':
      return (value as { name?: string; value?: unknown }[])
        .filter((e) => e?.name)
        .map((e) => {
          const { name, value: v, ...rest } = e as Record<string, unknown>;
          return [[...target, String(name)], v !== undefined ? String(v) : rest];
        });
    case 'pullSecretNames':
      return [
        [
          target,
          (value as unknown[])
            .map((s) => (typeof s === 'string' ? s : isRecord(s) ? s['name'] : undefined))
            .filter(Boolean),
        ],
      ];
    case 'spreadMap':
      return [
        [
          target,
          Object.fromEntries(
            (value as unknown[])
              .filter(isRecord)
              .map(({ topologyKey, labelSelector: _l, ...rest }) => [String(topologyKey), rest]),
          ),
        ],
      ];
    case 'patchAppend':
      return [[target, (value as unknown[]).map((item) => ({ op: 'add', path: rule.patchPath, value: item }))]];
    case 'tlsSecret':
      return [
        [target, value],
        [[...target.slice(0, -1), 'enabled'], true],
      ];
    case 'tlsCaFile':
      return [[target, `${tlsDir(target.slice(0, -3).join('.'))}/${String(value)}`]];
    case 'sizeUnits':
      return [[target, typeof value === 'string' && /[a-zA-Z]/.test(value) ? `<< ${value} >>` : value]];
    case 'encryptionSecret': {
      const secret = value as { name?: string; key?: string };
      return [
        [target, { valueFrom: { secretKeyRef: { name: secret.name, key: secret.key } } }],
        [['config', 'jetstream', 'merge', 'key'], '<< $JS_KEY >>'],
      ];
    }
    case 'fileStorageEnabled':
      return [
        [target, value],
        [['config', 'jetstream', 'fileStore', 'pvc', 'enabled'], value],
      ];
    case 'resolverType': {
      const type = String(value);
      if (type === 'full')
        return [
          [['config', 'resolver', 'enabled'], true],
          [['config', 'resolver', 'merge', 'type'], 'full'],
        ];
      if (type === 'memory') return [[['config', 'merge', 'resolver'], 'MEMORY']];
      if (type === 'URL')
        return [[['config', 'merge', 'resolver'], `<< URL(${String(get(plan.legacy, 'auth.resolver.url') ?? '')}) >>`]];
      return [];
    }
    default:
      return [[target, value]];
  }
}

/** Anchors, aliases and `<<` merges only make sense in their original file; such a value is written from its parsed form. */
function selfContained(node: Node): boolean {
  if (isAlias(node) || node.anchor) return false;
  if (isMap(node))
    return node.items.every(
      (p) =>
        !isMergeKey(p.key) &&
        (p.key === null || selfContained(p.key as Node)) &&
        (p.value === null || selfContained(p.value as Node)),
    );
  if (isCollection(node)) return node.items.every((item) => item === null || selfContained(item as Node));
  return true;
}

/** The comment lines directly above a pair's key and its key line's trailing comment. */
function ownComments(plan: Plan, pair: Pair): { above: string[]; inline?: string } {
  const keyLine = plan.lines.position((pair.key as Node).range?.[0] ?? 0).line;
  return { above: commentAbove(plan.lines, keyLine, plan.floor).text, inline: keyLineComment(plan.lines, pair) };
}

/** True when some top-level key after the first has a blank line above it (and above its comments). */
function separatesTopLevelBlocks(rootMap: YAMLMap, plan: Plan): boolean {
  return rootMap.items.slice(1).some((pair) => hasBlankAbove(plan, pair as Pair));
}

/** True when a blank line sets the pair (with the comments above it) apart from what comes before. */
function hasBlankAbove(plan: Plan, pair: Pair): boolean {
  const keyLine = plan.lines.position((pair.key as Node).range?.[0] ?? 0).line;
  const first = commentAbove(plan.lines, keyLine, plan.floor).firstLine;
  return first > plan.floor && plan.lines.lineText(first - 1).trim() === '';
}

const TRANSFORM_REASONS: Partial<Record<NonNullable<LegacyKeyRule['transform']>, string>> = {
  envList: 'the 0.x list of `name`/`value` entries became a map keyed by name',
  pullSecretNames: 'chart 2.x takes the secret names as a plain list',
  spreadMap: 'chart 2.x keys topology spread constraints by their topologyKey',
  patchAppend: 'chart 2.x has no key for it, so it is appended through a JSON patch',
  tlsSecret: 'chart 2.x names the secret in the TLS block',
  tlsCaFile: 'chart 2.x wants the path where the secret is mounted',
  sizeUnits: 'a size with units is written as `<< … >>` so the server reads the unit',
  encryptionSecret: 'chart 2.x reads the key from the environment',
  fileStorageEnabled: 'chart 2.x turns the volume claim on and off separately',
  resolverType: 'chart 2.x sets the resolver type through the config merge',
};

/** Why a key was written: moved from its 0.x place, reshaped, or added because the first target needs it. */
function changeReason(rule: LegacyKeyRule, from: string, index: number, first: string[] | undefined): string {
  if (index > 0 && first) return `written with \`${first.join('.')}\` (from \`${from}\`), which needs it`;
  const how = rule.transform ? TRANSFORM_REASONS[rule.transform] : undefined;
  return `from \`${from}\`${how ? `: ${how}` : ''}${rule.advice ? ` (${rule.advice})` : ''}`;
}

/** True when a 0.x key holds the chart 0.x default: leaving it behind changes nothing. */
function isLegacyDefault(path: readonly string[], value: unknown): boolean {
  const def = schemaAtPath(schemaFor('0.x'), path);
  return def !== undefined && def !== 'free' && JSON.stringify(def.default) === JSON.stringify(value);
}

/** Carries one 0.x key to where chart 2.x reads it, with its comments; returns the first path written, if any. */
function carry(plan: Plan, pair: Pair, path: string[]): string[] | undefined {
  const rule = legacyRuleFor(path);
  // The whole document was expanded within the limits before planning, so a part of it cannot exceed them.
  const value = plainValue(plan.doc, pair.value);
  const dotted = path.join('.');
  const authOff = path[0] === 'auth' && get(plan.legacy, 'auth.enabled') !== true;
  const resolverOff =
    path[0] === 'auth' &&
    path[1] === 'resolver' &&
    !['full', 'memory', 'URL'].includes(String(get(plan.legacy, 'auth.resolver.type')));
  if (isEmpty(value) || rule?.automatic || authOff || resolverOff) {
    // What chart 0.x ignored is not carried either; it is reported unless it is the 0.x default (the chart's own
    // values.yaml has a resolver block with auth off).
    if (!isEmpty(value) && !rule?.automatic && dotted !== 'auth.enabled' && !isLegacyDefault(path, value)) {
      if (authOff) plan.notCarried.push({ path: dotted, reason: '`auth.enabled` was false, so chart 0.x ignored it' });
      else if (resolverOff)
        plan.notCarried.push({
          path: dotted,
          reason: '`auth.resolver.type` was not `full`, `memory` or `URL`, so chart 0.x ignored the resolver',
        });
    }
    return undefined;
  }
  if (!rule || rule.target === undefined) {
    if (!isLegacyDefault(path, value))
      plan.notCarried.push({
        path: dotted,
        reason: rule?.advice ? `no equivalent in chart 1.x/2.x: ${rule.advice}` : 'no equivalent in chart 1.x/2.x',
      });
    return undefined;
  }
  const shape = shapeNeeded(rule, value);
  if (shape) {
    plan.notCarried.push({
      path: dotted,
      reason: `chart 0.x reads ${shape} here, so it is not reshaped for chart 1.x/2.x; move it by hand`,
    });
    return undefined;
  }
  const { above, inline } = ownComments(plan, pair);
  const blankAbove = hasBlankAbove(plan, pair);
  const node = pair.value as Node | null;
  const keyLine = plan.lines.position((pair.key as Node).range?.[0] ?? 0).line;
  // A block value moved unchanged is copied as text, so the comments inside it move too.
  const verbatim =
    rule.transform === undefined &&
    isCollection(node) &&
    !node.flow &&
    plan.lines.position(node.range?.[0] ?? 0).line > keyLine &&
    selfContained(node);
  const source = verbatim ? blockLines(plan.lines, keyLine, spanLastLine(plan, pair)) : undefined;
  let first: string[] | undefined;
  transformed(rule, path, value, plan).forEach(([target, v], i) => {
    const existing = plan.doc.getIn([...plan.root, ...target]);
    if (existing !== undefined && existing !== null && !isEmpty(existing)) {
      plan.notCarried.push({
        path: dotted,
        reason: `\`${target.join('.')}\` is already set in this file; kept that value`,
      });
      return;
    }
    addAt(plan.additions, target, v, i === 0 ? { comment: above, inline, source, blankAbove } : {});
    plan.changes.push({
      path: target.join('.'),
      kind: i === 0 ? 'moved' : 'added',
      from: dotted,
      reason: changeReason(rule, dotted, i, first),
    });
    first ??= target;
  });
  return first;
}

/**
 * Where the comments above a 0.x block go once its keys have moved: above the deepest block all of them moved into
 * (`natsbox` → `natsBox`, `nats.jetstream` → `config.jetstream`), else above the top-level block of the first one.
 */
function blockTarget(targets: readonly string[][]): string[] {
  const [head, ...rest] = targets as [string[], ...string[][]];
  let n = head.length;
  for (const t of rest) {
    let i = 0;
    while (i < n && i < t.length && t[i] === head[i]) i++;
    n = i;
  }
  if (targets.some((t) => t.length === n)) n--;
  return n > 0 ? head.slice(0, n) : head.slice(0, 1);
}

function attachBlockComments(
  plan: Plan,
  pairs: readonly Pair[],
  targets: readonly string[][],
  trailing: string[] = [],
): void {
  if (targets.length === 0) return;
  const lines = pairs.flatMap((p) => {
    const { above, inline } = ownComments(plan, p);
    return inline ? [...above, inline.trim()] : above;
  });
  const target = blockTarget(targets);
  const entry = entryAt(plan.additions, target);
  if (!entry) return;
  prependComment(entry, lines);
  // A blank line that set a top-level 0.x block apart separates top-level blocks; it is kept only between those.
  const topLevel = plan.lines.position((pairs[0]?.key as Node | undefined)?.range?.[0] ?? 0).character === 0;
  if (pairs[0] && hasBlankAbove(plan, pairs[0]) && (!topLevel || target.length === 1)) entry.blankAbove = true;
  if (trailing.length > 0) entry.trailing = [...(entry.trailing ?? []), ...trailing];
}

/** Walks a 0.x block down to the keys that have rules; returns the paths its keys were written to. */
function walkLegacy(plan: Plan, pair: Pair, path: string[]): string[][] {
  if (isMap(pair.value) && pair.value.items.length > 0 && !legacyRuleFor(path) && hasLegacyRulesBelow(path)) {
    const targets: string[][] = [];
    for (const child of pair.value.items)
      if (isScalar(child.key)) targets.push(...walkLegacy(plan, child, [...path, String(child.key.value)]));
    // Comment lines after the last child's text but inside this block (commented-out examples) stay with the block.
    const last = pair.value.items[pair.value.items.length - 1] as Pair;
    const trailing = commentLines(plan.lines, spanLastLine(plan, last) + 1, spanLastLine(plan, pair));
    attachBlockComments(plan, [pair], targets, trailing);
    return targets;
  }
  const target = carry(plan, pair, path);
  return target ? [target] : [];
}

/** The last line of a pair's text, including deeper-indented comment lines after it (commented-out examples). */
function spanLastLine(plan: Plan, pair: Pair): number {
  const keyStart = (pair.key as Node).range?.[0] ?? 0;
  const keyLine = plan.lines.position(keyStart).line;
  const end = (pair.value as Node | null)?.range?.[1] ?? (pair.key as Node).range?.[2] ?? keyStart;
  const keyIndent = keyStart - plan.lines.lineStart(keyLine);
  let lastLine = lastLineWithin(plan.lines, keyLine, end, keyIndent);
  while (lastLine + 1 < plan.lines.lineCount) {
    const next = plan.lines.lineText(lastLine + 1);
    if (next.trim() === '' || (/^\s*#/.test(next) && next.length - next.trimStart().length > keyIndent)) lastLine++;
    else break;
  }
  while (lastLine > keyLine && plan.lines.lineText(lastLine).trim() === '') lastLine--;
  return lastLine;
}

function pairSpan(plan: Plan, pair: Pair): [number, number] {
  const keyLine = plan.lines.position((pair.key as Node).range?.[0] ?? 0).line;
  const first = commentAbove(plan.lines, keyLine, plan.floor).firstLine;
  return [
    plan.lines.lineStart(first),
    Math.min(plan.lines.text.length, plan.lines.lineEnd(spanLastLine(plan, pair)) + 1),
  ];
}

/** What a kept default keeps, with both charts' defaults named, so the preview says why the key appears at all. */
const KEPT_WHAT: Record<string, string> = {
  'config.jetstream.memoryStore.enabled': 'JetStream memory storage',
  'promExporter.enabled': 'the Prometheus exporter sidecar',
  'serviceAccount.enabled': "the release's own ServiceAccount",
  'config.cluster.routeURLs.useFQDN': 'cluster routes by fully qualified DNS name',
  'config.cluster.noAdvertise': 'cluster routes advertised to clients',
  'config.gateway.port': 'the gateway port',
  'config.websocket.port': 'the websocket port',
  'config.profiling.port': 'the profiling port',
  'config.resolver.dir': "the resolver's JWT directory",
  'podTemplate.configChecksumAnnotation': 'a pod restart when the config changes',
  'config.mqtt.merge.ack_wait': "MQTT's ack wait",
  'config.mqtt.merge.max_ack_pending': "MQTT's max pending acks",
};

function keptReason(path: string, value: unknown): string {
  const schema = schemaAtPath(schemaFor('2.x'), path.split('.'));
  const newDefault = schema && schema !== 'free' ? schema.default : undefined;
  const what = KEPT_WHAT[path] ?? 'this setting';
  const now =
    newDefault === undefined || newDefault === null
      ? 'chart 2.x sets none'
      : `chart 2.x defaults to ${JSON.stringify(newDefault)}`;
  return `keeps ${what} as chart 0.x had it: chart 0.x defaulted to ${JSON.stringify(value)}, ${now}`;
}

function keepFlippedDefaults(plan: Plan): void {
  const l = plan.legacy;
  const keep = (path: string, value: unknown, when: boolean): void => {
    const target = path.split('.');
    if (!when || treeHas(plan.additions, target) || plan.doc.getIn([...plan.root, ...target]) !== undefined) return;
    addAt(plan.additions, target, value);
    plan.keptDefaults.push(`${path}: ${JSON.stringify(value)}`);
    plan.changes.push({ path, kind: 'added', reason: keptReason(path, value) });
  };
  const js = get(l, 'nats.jetstream.enabled') === true;
  keep('config.jetstream.memoryStore.enabled', true, js && get(l, 'nats.jetstream.memStorage.enabled') !== false);
  keep('promExporter.enabled', true, 'exporter' in l || 'nats' in l ? get(l, 'exporter.enabled') !== false : false);
  keep('serviceAccount.enabled', true, 'nats' in l && get(l, 'nats.serviceAccount.create') !== false);
  const clustered = get(l, 'cluster.enabled') === true;
  keep('config.cluster.routeURLs.useFQDN', true, clustered && get(l, 'useFQDN') !== false);
  keep('config.cluster.noAdvertise', false, clustered && get(l, 'cluster.noAdvertise') !== true);
  keep('config.gateway.port', 7522, get(l, 'gateway.enabled') === true && get(l, 'gateway.port') === undefined);
  keep('config.websocket.port', 443, get(l, 'websocket.enabled') === true && get(l, 'websocket.port') === undefined);
  keep(
    'config.profiling.port',
    6000,
    get(l, 'nats.profiling.enabled') === true && get(l, 'nats.profiling.port') === undefined,
  );
  keep(
    'config.resolver.dir',
    '/accounts/jwt',
    get(l, 'auth.resolver.type') === 'full' && get(l, 'auth.resolver.store.dir') === undefined,
  );
  keep('podTemplate.configChecksumAnnotation', true, 'nats' in l && get(l, 'nats.configChecksumAnnotation') !== false);
  keep('config.mqtt.merge.ack_wait', '1m', get(l, 'mqtt.enabled') === true);
  keep('config.mqtt.merge.max_ack_pending', 100, get(l, 'mqtt.enabled') === true);
}

/**
 * Rewrites a 0.x values file for chart 1.x/2.x, keeping untouched keys' text, order and comments and the file's line
 * breaks; lists what had no equivalent. A file Helm could not read as written is refused (`errors`), not guessed at.
 */
export function migrateValues(input: string, onlyPath?: readonly string[]): MigrationResult {
  // Work on LF line breaks and give the file its own back (CRLF, or a lone CR, which Helm reads as a line break too).
  const lineBreak = lineBreakOf(input);
  const text = toLineFeeds(input);
  const { doc, lines, problems, values } = readValuesDocument(text);
  // As many as lint lists (it lists the parse errors first).
  const errors = listedDiagnostics(problems.filter((p) => p.severity === 'error'));
  const unchanged = { text: input, notCarried: [], keptDefaults: [], changes: [], errors };
  if (errors.length > 0) return unchanged;
  const root = findValuesRoot(doc);
  const rootMap = root.reduce<unknown>((node, key) => (isMap(node) ? node.get(key, true) : undefined), doc.contents);
  if (!isMap(rootMap)) return unchanged;
  const legacy = (root.reduce<unknown>(
    (v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined),
    values,
  ) ?? {}) as Record<string, unknown>;
  const plan: Plan = {
    doc,
    lines,
    floor: bannerEnd(lines),
    root,
    additions: new Map(),
    notCarried: [],
    keptDefaults: [],
    changes: [],
    removals: [],
    legacy,
  };
  const topStarts: number[] = [];
  for (const pair of rootMap.items) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    if (LEGACY_TOP_KEYS.has(key)) {
      if (onlyPath && onlyPath[0] !== key) continue;
      if (onlyPath && onlyPath.length > 1) {
        const chain: Pair[] = [pair];
        for (const k of onlyPath.slice(1)) {
          const last = chain[chain.length - 1] as Pair;
          const next = isMap(last.value)
            ? (last.value.items.find((c) => isScalar(c.key) && String(c.key.value) === k) as Pair | undefined)
            : undefined;
          if (!next) break;
          chain.push(next);
        }
        if (chain.length !== onlyPath.length) continue;
        const targets = walkLegacy(plan, chain[chain.length - 1] as Pair, [...onlyPath]);
        // Remove the highest ancestor that holds nothing else, so no empty `nats: jetstream:` shell is left behind.
        let removeAt = chain.length - 1;
        while (
          removeAt > 0 &&
          isMap((chain[removeAt - 1] as Pair).value) &&
          ((chain[removeAt - 1] as Pair).value as YAMLMap).items.length === 1
        )
          removeAt--;
        // The removed ancestors' comments go with the key (innermost nearest to it).
        attachBlockComments(plan, chain.slice(removeAt, -1).reverse(), targets);
        plan.removals.push(pairSpan(plan, chain[removeAt] as Pair));
        continue;
      }
      walkLegacy(plan, pair, [key]);
      plan.removals.push(pairSpan(plan, pair));
      topStarts.push(pairSpan(plan, pair)[0]);
    } else if (isMap(pair.value)) {
      // Shared roots (reloader, podDisruptionBudget): only their 0.x children move.
      for (const child of pair.value.items) {
        if (!isScalar(child.key)) continue;
        const path = [key, String(child.key.value)];
        if (!legacyRuleFor(path) || schemaAtPath(schemaFor('2.x'), path) !== undefined) continue;
        if (onlyPath && onlyPath.join('.') !== path.join('.')) continue;
        carry(plan, child, path);
        plan.removals.push(pairSpan(plan, child));
      }
    }
  }
  if (!onlyPath) keepFlippedDefaults(plan);
  // A file that sets its top-level blocks apart with blank lines gets the new top-level blocks set apart the same way.
  if (root.length === 0 && separatesTopLevelBlocks(rootMap, plan))
    for (const entry of plan.additions.values()) entry.blankAbove = true;
  const firstRemoved = root.length === 0 ? topStarts.sort((a, b) => a - b)[0] : undefined;
  const edits = [
    ...mergedSpans(plan.removals).map(([start, end]) => ({ start, end, text: '', order: 2 })),
    ...orphanedAliases(plan),
  ];
  for (const ins of insertions(doc, lines, root, plan.additions, firstRemoved)) {
    // An insertion point inside a removed span moves to the span's start, where the text survives.
    const inside =
      ins.start === ins.end ? edits.find((e) => e.text === '' && ins.start > e.start && ins.start < e.end) : undefined;
    edits.push(inside ? { ...ins, start: inside.start, end: inside.start } : ins);
  }
  // Applied back to front; at one offset, removals go first and nested insertions end up before new top-level blocks.
  edits.sort((a, b) => b.start - a.start || b.end - a.end || b.order - a.order);
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  // Removed blocks leave blank-line runs behind; the file keeps its own ending (a final newline or none).
  out = out.replace(/\n{3,}/g, '\n\n').replace(/\n*$/, /\n*$/.exec(text)?.[0].slice(0, 2) ?? '');
  // A whole-file migration also moves the file's own markers to the new layout, or it would still be read as 0.x.
  if (!onlyPath) out = retargetModelines(out);
  return {
    text: fromLineFeeds(out, lineBreak),
    notCarried: plan.notCarried,
    keptDefaults: plan.keptDefaults,
    changes: plan.changes,
    errors: [],
  };
}

/** Overlapping removals as one: applied one after the other, the second would cut text the first had moved up. */
function mergedSpans(spans: readonly [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const [start, end] of [...spans].sort((a, b) => a[0] - b[0])) {
    const last = out[out.length - 1];
    if (last && start < last[1]) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}

/** A value written where an alias stood: flow YAML on one line (JSON, with YAML's spelling of infinities). */
function inlineValue(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value))
    return Number.isNaN(value) ? '.nan' : value > 0 ? '.inf' : '-.inf';
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? 'null';
}

/**
 * Aliases left in the file whose anchor sits in a removed 0.x block would name nothing (Helm refuses an unknown
 * anchor), so each becomes the value it stood for. Moved values are written from their plain data, with aliases
 * already expanded.
 */
function orphanedAliases(plan: Plan): { start: number; end: number; text: string; order: number }[] {
  const removed = (at: number): boolean => plan.removals.some(([s, e]) => at >= s && at < e);
  const out: { start: number; end: number; text: string; order: number }[] = [];
  for (const [alias, target] of aliasTargets(plan.doc)) {
    const [start, end] = alias.range ?? [0, 0];
    if (removed(start) || !removed(target.range?.[0] ?? -1)) continue;
    out.push({ start, end, text: inlineValue(plainValue(plan.doc, alias)), order: 2 });
  }
  return out;
}

/** `# nats-chart-version: 0.x…` becomes `2.x`, and a schema modeline naming the 0.x schema names the 2.x one. */
function retargetModelines(text: string): string {
  return text
    .replace(/^(#\s*nats-chart-version:\s*)0(?:\.[\w.-]*)?[ \t]*$/m, '$12.x')
    .replace(
      /^(#\s*yaml-language-server:\s*\$schema=\S*?)nats-values-0\.x\.schema\.json/m,
      '$1nats-values.schema.json',
    );
}
