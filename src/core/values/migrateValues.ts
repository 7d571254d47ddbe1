import { isMap, isPair, isScalar, stringify, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { findValuesRoot, parseValues } from './analyzeValues';
import { hasLegacyRulesBelow, LEGACY_TOP_KEYS, legacyRuleFor, targetPath, type LegacyKeyRule } from './legacyKeys';
import { propertyNames, schemaAtPath, schemaFor } from './schemaIndex';
import { LineIndex } from './textPositions';

export interface NotCarried {
  /** The 0.x path that was removed without an equivalent. */
  path: string;
  reason: string;
}

export interface MigrationResult {
  text: string;
  notCarried: NotCarried[];
  /** 1.x/2.x keys written to keep a 0.x default that flipped (memory store, exporter, …). */
  keptDefaults: string[];
}

type Tree = Map<string, { value?: unknown; comment?: string; children?: Tree }>;

interface Plan {
  doc: Document;
  lines: LineIndex;
  root: string[];
  additions: Tree;
  notCarried: NotCarried[];
  keptDefaults: string[];
  removals: [number, number][];
  legacy: Record<string, unknown>;
}

function addAt(tree: Tree, path: readonly string[], value: unknown, comment?: string): void {
  let t = tree;
  path.forEach((key, i) => {
    const entry = t.get(key) ?? {};
    t.set(key, entry);
    if (i === path.length - 1) {
      if (entry.children && value && typeof value === 'object' && !Array.isArray(value)) for (const [k, v] of Object.entries(value)) addAt(entry.children, [k], v);
      else if (Array.isArray(entry.value) && Array.isArray(value)) entry.value = [...entry.value, ...value];
      else entry.value = value;
      if (comment) entry.comment = comment;
    } else t = entry.children ??= new Map();
  });
}

function treeHas(tree: Tree, path: readonly string[]): boolean {
  let t: Tree | undefined = tree;
  for (const key of path) {
    const e: { value?: unknown; children?: Tree } | undefined = t?.get(key);
    if (!e) return false;
    t = e.children;
  }
  return true;
}

/** Comment lines directly above a line (no blank line between), as text. */
function commentAbove(lines: LineIndex, line: number): { text: string; firstLine: number } {
  let first = line;
  while (first > 0 && /^\s*#/.test(lines.lineText(first - 1))) first--;
  const text = Array.from({ length: line - first }, (_, i) => lines.lineText(first + i).trim().replace(/^#\s?/, '')).join('\n');
  return { text, firstLine: first };
}

function get(values: unknown, path: string): unknown {
  let v = values;
  for (const k of path.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || (Array.isArray(value) && value.length === 0) || (typeof value === 'object' && !Array.isArray(value) && Object.keys(value as object).length === 0);
}

function transformed(rule: LegacyKeyRule, path: string[], value: unknown, plan: Plan): [string[], unknown][] {
  const target = targetPath(rule, path) as string[];
  const tlsDir = (prefix: string): string => `/etc/nats-certs/${prefix.split('.')[1] ?? 'nats'}`;
  switch (rule.transform) {
    case 'envList':
      return (value as { name?: string; value?: unknown }[]).filter((e) => e && e.name).map((e) => {
        const { name, value: v, ...rest } = e as Record<string, unknown>;
        return [[...target, String(name)], v !== undefined ? String(v) : rest];
      });
    case 'pullSecretNames':
      return [[target, (value as { name?: string }[]).map((s) => (typeof s === 'string' ? s : s.name)).filter(Boolean)]];
    case 'spreadMap':
      return [[target, Object.fromEntries((value as Record<string, unknown>[]).map(({ topologyKey, labelSelector: _l, ...rest }) => [String(topologyKey), rest]))]];
    case 'patchAppend':
      return [[target, (value as unknown[]).map((item) => ({ op: 'add', path: rule.patchPath, value: item }))]];
    case 'tlsSecret':
      return [[target, value], [[...target.slice(0, -1), 'enabled'], true]];
    case 'tlsCaFile':
      return [[target, `${tlsDir(target.slice(0, -3).join('.'))}/${String(value)}`]];
    case 'sizeUnits':
      return [[target, typeof value === 'string' && /[a-zA-Z]/.test(value) ? `<< ${value} >>` : value]];
    case 'encryptionSecret': {
      const secret = value as { name?: string; key?: string };
      return [[target, { valueFrom: { secretKeyRef: { name: secret.name, key: secret.key } } }], [['config', 'jetstream', 'merge', 'key'], '<< $JS_KEY >>']];
    }
    case 'fileStorageEnabled':
      return [[target, value], [['config', 'jetstream', 'fileStore', 'pvc', 'enabled'], value]];
    case 'resolverType': {
      const type = String(value);
      if (type === 'full') return [[['config', 'resolver', 'enabled'], true], [['config', 'resolver', 'merge', 'type'], 'full']];
      if (type === 'memory') return [[['config', 'merge', 'resolver'], 'MEMORY']];
      if (type === 'URL') return [[['config', 'merge', 'resolver'], `<< URL(${String(get(plan.legacy, 'auth.resolver.url') ?? '')}) >>`]];
      return [];
    }
    default:
      return [[target, value]];
  }
}

function carry(plan: Plan, pair: Pair, path: string[]): void {
  const rule = legacyRuleFor(path);
  const value = isScalar(pair.value) || pair.value === null ? (pair.value as { value?: unknown } | null)?.value ?? null : (pair.value as Node).toJSON();
  const dotted = path.join('.');
  const authOff = path[0] === 'auth' && get(plan.legacy, 'auth.enabled') !== true;
  const resolverOff = path[0] === 'auth' && path[1] === 'resolver' && !['full', 'memory', 'URL'].includes(String(get(plan.legacy, 'auth.resolver.type')));
  if (isEmpty(value) || rule?.automatic || authOff || resolverOff) {
    if (authOff && !isEmpty(value) && path[1] !== 'resolver' && path[1] !== 'enabled') plan.notCarried.push({ path: dotted, reason: '`auth.enabled` was false, so chart 0.x ignored it' });
    return;
  }
  if (!rule || rule.target === undefined) {
    const def = schemaAtPath(schemaFor('0.x'), path);
    const isDefault = def !== undefined && def !== 'free' && JSON.stringify(def.default) === JSON.stringify(value);
    if (!isDefault) plan.notCarried.push({ path: dotted, reason: rule?.advice ? `no equivalent in chart 1.x/2.x: ${rule.advice}` : 'no equivalent in chart 1.x/2.x' });
    return;
  }
  const keyLine = plan.lines.position((pair.key as Node).range?.[0] ?? 0).line;
  const comment = commentAbove(plan.lines, keyLine).text || undefined;
  transformed(rule, path, value, plan).forEach(([target, v], i) => {
    const existing = plan.doc.getIn([...plan.root, ...target]);
    if (existing !== undefined && existing !== null && !isEmpty(existing)) {
      plan.notCarried.push({ path: dotted, reason: `\`${target.join('.')}\` is already set in this file; kept that value` });
      return;
    }
    addAt(plan.additions, target, v, i === 0 ? comment : undefined);
  });
}

function walkLegacy(plan: Plan, pair: Pair, path: string[]): void {
  if (isMap(pair.value) && pair.value.items.length > 0 && !legacyRuleFor(path) && hasLegacyRulesBelow(path)) {
    for (const child of pair.value.items) if (isScalar(child.key)) walkLegacy(plan, child, [...path, String(child.key.value)]);
    return;
  }
  carry(plan, pair, path);
}

function pairSpan(plan: Plan, pair: Pair): [number, number] {
  const keyStart = (pair.key as Node).range?.[0] ?? 0;
  const keyLine = plan.lines.position(keyStart).line;
  const first = commentAbove(plan.lines, keyLine).firstLine;
  const end = (pair.value as Node | null)?.range?.[1] ?? (pair.key as Node).range?.[2] ?? keyStart;
  let lastLine = plan.lines.position(Math.max(keyStart, end - 1)).line;
  // Trailing comment lines indented deeper than the key belong to this block (commented-out examples).
  const keyIndent = keyStart - plan.lines.lineStart(keyLine);
  while (lastLine + 1 < plan.lines.lineCount) {
    const next = plan.lines.lineText(lastLine + 1);
    if (next.trim() === '' || (/^\s*#/.test(next) && (next.length - next.trimStart().length) > keyIndent)) lastLine++;
    else break;
  }
  while (lastLine > keyLine && plan.lines.lineText(lastLine).trim() === '') lastLine--;
  return [plan.lines.lineStart(first), Math.min(plan.lines.text.length, plan.lines.lineEnd(lastLine) + 1)];
}

function keepFlippedDefaults(plan: Plan): void {
  const l = plan.legacy;
  const keep = (path: string, value: unknown, when: boolean): void => {
    const target = path.split('.');
    if (!when || treeHas(plan.additions, target) || plan.doc.getIn([...plan.root, ...target]) !== undefined) return;
    addAt(plan.additions, target, value);
    plan.keptDefaults.push(`${path}: ${JSON.stringify(value)}`);
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
  keep('config.profiling.port', 6000, get(l, 'nats.profiling.enabled') === true && get(l, 'nats.profiling.port') === undefined);
  keep('config.resolver.dir', '/accounts/jwt', get(l, 'auth.resolver.type') === 'full' && get(l, 'auth.resolver.store.dir') === undefined);
  keep('podTemplate.configChecksumAnnotation', true, 'nats' in l && get(l, 'nats.configChecksumAnnotation') !== false);
  keep('config.mqtt.merge.ack_wait', '1m', get(l, 'mqtt.enabled') === true);
  keep('config.mqtt.merge.max_ack_pending', 100, get(l, 'mqtt.enabled') === true);
}

function scalarText(value: unknown): string {
  return stringify(value, { lineWidth: 0 }).trimEnd();
}

/** Emits an additions tree as block YAML at `indent`, ordering keys as the chart's schema does. */
function emit(tree: Tree, indent: number, schemaPath: string[]): string {
  const pad = ' '.repeat(indent);
  const order = (() => {
    const s = schemaAtPath(schemaFor('2.x'), schemaPath);
    return s && s !== 'free' ? propertyNames(s, schemaFor('2.x')) : [];
  })();
  const keys = [...tree.keys()].sort((a, b) => (order.indexOf(a) + 1 || 1e6) - (order.indexOf(b) + 1 || 1e6));
  let out = '';
  for (const key of keys) {
    const entry = tree.get(key) as { value?: unknown; comment?: string; children?: Tree };
    if (entry.comment) out += entry.comment.split('\n').map((c) => `${pad}# ${c}`.trimEnd()).join('\n') + '\n';
    const k = /^[\w$.\-/]+$/.test(key) ? key : JSON.stringify(key);
    if (entry.children) out += `${pad}${k}:\n${emit(entry.children, indent + 2, [...schemaPath, key])}`;
    else if (entry.value !== null && typeof entry.value === 'object' && !isEmpty(entry.value)) {
      out += `${pad}${k}:\n${scalarText(entry.value).split('\n').map((l) => `${pad}  ${l}`).join('\n')}\n`;
    } else out += `${pad}${k}: ${scalarText(entry.value)}\n`;
  }
  return out;
}

/** Finds where each addition goes: under the deepest existing block map, or at the top level. */
function insertions(plan: Plan, firstRemoved: number | undefined): [number, string][] {
  const out: [number, string][] = [];
  const visit = (tree: Tree, path: string[], map: YAMLMap | undefined, mapIndent: number): void => {
    const fresh: Tree = new Map();
    for (const [key, entry] of tree) {
      const pair = map?.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
      const child = pair?.value;
      if (pair && entry.children && isMap(child) && child.items.length > 0 && !child.flow) {
        const first = child.items[0]?.key as Node;
        const indent = (first.range?.[0] ?? 0) - plan.lines.lineStart(plan.lines.position(first.range?.[0] ?? 0).line);
        visit(entry.children, [...path, key], child, indent);
      } else if (pair && entry.children && (child === null || (isScalar(child) && child.value === null) || (isMap(child) && child.items.length === 0))) {
        const valueNode = child as Node | null;
        const keyEnd = (pair.key as Node).range?.[1] ?? 0;
        const start = valueNode?.range?.[0] ?? keyEnd;
        const end = valueNode?.range?.[1] ?? keyEnd;
        out.push([-(start + 1), `\u0000${end}\u0000\n${emit(entry.children, mapIndent + 2, [...path, key]).trimEnd()}`]);
      } else fresh.set(key, entry);
    }
    if (fresh.size === 0) return;
    if (!map || path.length === plan.root.length) {
      const at = firstRemoved ?? plan.lines.text.length;
      const prefix = at === plan.lines.text.length && !plan.lines.text.endsWith('\n') && plan.lines.text.length > 0 ? '\n' : '';
      out.push([at, prefix + emit(fresh, mapIndent, path.slice(plan.root.length))]);
      return;
    }
    const last = map.items[map.items.length - 1] as Pair;
    const end = (last.value as Node | null)?.range?.[1] ?? (last.key as Node).range?.[1] ?? 0;
    const line = plan.lines.position(Math.max(0, end - 1)).line;
    out.push([plan.lines.lineEnd(line) + 1, emit(fresh, mapIndent, path.slice(plan.root.length))]);
  };
  const rootMap = plan.root.reduce<unknown>((node, key) => (isMap(node) ? node.get(key, true) : undefined), plan.doc.contents);
  const rootIndent = plan.root.length > 0 && isMap(rootMap) && rootMap.items[0] ? ((rootMap.items[0].key as Node).range?.[0] ?? 0) - plan.lines.lineStart(plan.lines.position((rootMap.items[0].key as Node).range?.[0] ?? 0).line) : 0;
  visit(plan.additions, [...plan.root], isMap(rootMap) ? rootMap : undefined, rootIndent);
  return out;
}

/** Rewrites a 0.x values file for chart 1.x/2.x, keeping untouched keys' text, order and comments; lists what had no equivalent. */
export function migrateValues(text: string, onlyPath?: readonly string[]): MigrationResult {
  const doc = parseValues(text);
  const lines = new LineIndex(text);
  const root = findValuesRoot(doc);
  const rootMap = root.reduce<unknown>((node, key) => (isMap(node) ? node.get(key, true) : undefined), doc.contents);
  if (!isMap(rootMap)) return { text, notCarried: [], keptDefaults: [] };
  const legacy = (rootMap.toJSON() ?? {}) as Record<string, unknown>;
  const plan: Plan = { doc, lines, root, additions: new Map(), notCarried: [], keptDefaults: [], removals: [], legacy };
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
          const next = isMap(last.value) ? (last.value.items.find((c) => isScalar(c.key) && String(c.key.value) === k) as Pair | undefined) : undefined;
          if (!next) break;
          chain.push(next);
        }
        if (chain.length !== onlyPath.length) continue;
        walkLegacy(plan, chain[chain.length - 1] as Pair, [...onlyPath]);
        // Remove the highest ancestor that holds nothing else, so no empty `nats: jetstream:` shell is left behind.
        let removeAt = chain.length - 1;
        while (removeAt > 0 && isMap((chain[removeAt - 1] as Pair).value) && ((chain[removeAt - 1] as Pair).value as YAMLMap).items.length === 1) removeAt--;
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
  const firstRemoved = root.length === 0 ? topStarts.sort((a, b) => a - b)[0] : undefined;
  const edits: { start: number; end: number; text: string; order: number }[] = plan.removals.map(([s, e]) => ({ start: s, end: e, text: '', order: 2 }));
  for (const [at, insert] of insertions(plan, firstRemoved)) {
    if (at < 0) {
      const [, end, body] = /^\u0000(\d+)\u0000([\s\S]*)$/.exec(insert) ?? [];
      edits.push({ start: -at - 1, end: Number(end), text: body ?? '', order: 0 });
    } else {
      const inside = edits.find((e) => e.text === '' && at > e.start && at < e.end);
      edits.push({ start: inside ? inside.start : at, end: inside ? inside.start : at, text: insert, order: insert.startsWith(' ') ? 0 : 1 });
    }
  }
  // Applied back to front; at one offset, removals go first and nested insertions end up before new top-level blocks.
  edits.sort((a, b) => b.start - a.start || b.end - a.end || b.order - a.order);
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return { text: out.replace(/\n{3,}/g, '\n\n'), notCarried: plan.notCarried, keptDefaults: plan.keptDefaults };
}
