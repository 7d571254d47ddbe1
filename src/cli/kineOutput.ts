import type { KeyNode, ResourceTypeNode, TopLevel } from '../core/kine/kineLevels';
import { escapeControl, escapeControlKeepLines } from '../core/text/escapeControl';

// Keys, names and values come from the bucket: each is escaped here (newlines too, where one line is one item), and
// runCli escapes whatever else is printed.

/** One key of `kine ls PREFIX`. */
export interface ListedKey {
  readonly key: string;
  readonly kvKey: string;
  readonly revision: number;
  readonly deleted: boolean;
}

/** `kine ls` without a prefix: the bucket revision, then one line per resource type and one for the other keys. */
export function topLevelText(top: TopLevel): string {
  const rows = top.resources.map(typeRow);
  rows.push(otherRow(top.other, top.otherKeys));
  return `revision ${top.revision}\n${rows.join('\n')}\n`;
}

/** One resource type's line of `kine ls`. */
export function typeRow(r: ResourceTypeNode): string {
  return `${String(r.liveKeys).padStart(8)} live ${String(r.deletedKeys).padStart(7)} deleted  ${escapeControl(r.resource)}${r.namespaced ? '' : '  (cluster-scoped)'}`;
}

/** The last line of `kine ls`: the keys outside the Kubernetes tree. */
export function otherRow(counts: TopLevel['other'], keys: readonly KeyNode[]): string {
  return `${String(counts.liveKeys).padStart(8)} live ${String(counts.deletedKeys).padStart(7)} deleted  (other keys: ${keys.map((k) => escapeControl(k.key)).join(', ')})`;
}

/** `kine ls PREFIX`: one key a line, deleted ones flagged, with its revision. */
export function keysText(entries: readonly ListedKey[]): string {
  return (
    entries.map((e) => `${escapeControl(e.key)}${e.deleted ? '  (deleted)' : ''}  [rev ${e.revision}]`).join('\n') +
    (entries.length ? '\n' : '')
  );
}

const INDENT = ' '.repeat(16);

/**
 * A revision or decoded record as aligned `name: value` lines, the value's own fields after a summary line. A text
 * value keeps its lines, indented so none can pass for a field of its own; every other string is one line.
 */
export function describeRevision(r: Record<string, unknown>): string {
  const lines = Object.entries(r)
    .filter(([k, v]) => v !== undefined && k !== 'value')
    .map(([k, v]) => `${(`${k}:`).padEnd(16)}${typeof v === 'object' ? JSON.stringify(v) : escapeControl(String(v))}`);
  const value = r.value as Record<string, unknown> | null | undefined;
  if (value) {
    lines.push(
      `${'value:'.padEnd(16)}${value.encoding}, ${value.size} bytes, sha256 ${value.sha256}${value.hidden ? ' (hidden: pass --reveal)' : ''}`,
    );
    for (const [k, v] of Object.entries(value)) {
      if (['encoding', 'size', 'sha256', 'hidden'].includes(k) || v === undefined) continue;
      const shown =
        typeof v === 'object'
          ? JSON.stringify(v, null, 2)
          : k === 'text'
            ? escapeControlKeepLines(String(v))
            : escapeControl(String(v));
      lines.push(`${(`${k}:`).padEnd(16)}${shown.replace(/\n/g, `\n${INDENT}`)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
