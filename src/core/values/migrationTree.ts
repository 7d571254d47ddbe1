// The keys a migration adds, as a tree, and how that tree is written back as block YAML.
import { stringify } from 'yaml';
import { propertyNames, schemaAtPath, schemaFor } from './schemaIndex';

export interface TreeEntry {
  value?: unknown;
  /** Whole comment lines to write above the key (raw, `#` included). */
  comment?: string[];
  /** A `# …` comment for the end of the key's line, with the spaces that went before it. */
  inline?: string;
  /** Whole comment lines to write after the key's value, one level deeper (a removed block's trailing comments). */
  trailing?: string[];
  /** The value's original block lines (dedented): written as they were, with their comments, when nothing merged into them. */
  source?: string[];
  children?: Tree;
  /** A blank line set this key apart in the 0.x file; kept above it unless it is first in its block. */
  blankAbove?: boolean;
}

export type Tree = Map<string, TreeEntry>;

export function isEmpty(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    (Array.isArray(value) && value.length === 0) ||
    (typeof value === 'object' && !Array.isArray(value) && Object.keys(value as object).length === 0)
  );
}

export function addAt(
  tree: Tree,
  path: readonly string[],
  value: unknown,
  extra: Pick<TreeEntry, 'comment' | 'inline' | 'source' | 'blankAbove'> = {},
): void {
  let t = tree;
  path.forEach((key, i) => {
    const entry = t.get(key) ?? {};
    t.set(key, entry);
    if (i === path.length - 1) {
      const merging = entry.children !== undefined || entry.value !== undefined;
      if (entry.children && value && typeof value === 'object' && !Array.isArray(value))
        for (const [k, v] of Object.entries(value)) addAt(entry.children, [k], v);
      else if (Array.isArray(entry.value) && Array.isArray(value)) entry.value = [...entry.value, ...value];
      else entry.value = value;
      // Two values met at this key: the written text is the merge, so neither original text applies.
      entry.source = merging ? undefined : extra.source;
      if (extra.comment?.length) entry.comment = [...(entry.comment ?? []), ...extra.comment];
      if (extra.inline) entry.inline = entry.inline ?? extra.inline;
      if (extra.blankAbove) entry.blankAbove = true;
    } else {
      t = entry.children ??= new Map();
      entry.source = undefined;
    }
  });
}

export function entryAt(tree: Tree, path: readonly string[]): TreeEntry | undefined {
  let t: Tree | undefined = tree;
  let entry: TreeEntry | undefined;
  for (const key of path) {
    entry = t?.get(key);
    if (!entry) return undefined;
    t = entry.children;
  }
  return entry;
}

/** Puts comment lines above an entry's own; they were written above an enclosing block. */
export function prependComment(entry: TreeEntry, lines: readonly string[]): void {
  if (lines.length > 0) entry.comment = [...lines, ...(entry.comment ?? [])];
}

/** The keys of a tree level in the order the chart's own values file lists them; unknown keys last, as added. */
export function orderedKeys(tree: Tree, schemaPath: readonly string[]): string[] {
  const s = schemaAtPath(schemaFor('2.x'), schemaPath);
  const order = s && s !== 'free' ? propertyNames(s, schemaFor('2.x')) : [];
  return [...tree.keys()].sort((a, b) => (order.indexOf(a) + 1 || 1e6) - (order.indexOf(b) + 1 || 1e6));
}

// Written as YAML 1.1, the version Helm reads: a string such as `yes`, `on` or `1:20` is quoted, or Helm would read a
// boolean or a number where the 0.x file had a string.
function scalarText(value: unknown): string {
  return stringify(value, { lineWidth: 0, version: '1.1' }).trimEnd();
}

/** A key as written: plain when YAML 1.1 reads it back as the same string, else JSON-quoted. */
function keyText(key: string): string {
  return /^[\w$.\-/]+$/.test(key) && scalarText(key) === key ? key : JSON.stringify(key);
}

function indented(text: string, pad: string): string {
  return text
    .split('\n')
    .map((l) => (l === '' ? '' : `${pad}${l}`))
    .join('\n');
}

/** Emits an additions tree as block YAML at `indent`, ordering keys as the chart's schema does. */
export function emit(tree: Tree, indent: number, schemaPath: readonly string[], afterSibling = false): string {
  const pad = ' '.repeat(indent);
  let out = '';
  for (const [n, key] of orderedKeys(tree, schemaPath).entries()) {
    const entry = tree.get(key) as TreeEntry;
    const k = keyText(key);
    const inline = entry.inline ?? '';
    let comment = entry.comment ?? [];
    let body: string;
    if (entry.children) body = `${k}:${inline}\n${emit(entry.children, indent + 2, [...schemaPath, key])}`;
    else if (entry.source) body = `${k}:${inline}\n${indented(entry.source.join('\n'), `${pad}  `)}\n`;
    else if (entry.value !== null && typeof entry.value === 'object' && !isEmpty(entry.value)) {
      body = `${k}:${inline}\n${indented(scalarText(entry.value), `${pad}  `)}\n`;
    } else {
      const [first, ...rest] = scalarText(entry.value).split('\n');
      // A block scalar's text runs to the end of its last line, so a trailing comment has to go above instead.
      if (rest.length > 0 && inline) comment = [...comment, inline.trim()];
      body = `${k}: ${first}${rest.length > 0 ? '' : inline}\n${rest.length > 0 ? `${indented(rest.join('\n'), `${pad}  `)}\n` : ''}`;
    }
    out +=
      (entry.blankAbove && (n > 0 || afterSibling) ? '\n' : '') +
      comment.map((c) => `${pad}${c}\n`).join('') +
      pad +
      body +
      (entry.trailing ?? []).map((c) => `${pad}  ${c}\n`).join('');
  }
  return out;
}
