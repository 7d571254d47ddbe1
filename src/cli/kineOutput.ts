import type { TopLevel } from '../core/kine/kineTree';

/** One key of `kine ls PREFIX`. */
export interface ListedKey {
  readonly key: string;
  readonly kvKey: string;
  readonly revision: number;
  readonly deleted: boolean;
}

/** `kine ls` without a prefix: the bucket revision, then one line per resource type and one for the other keys. */
export function topLevelText(top: TopLevel): string {
  const rows = top.resources.map((r) => `${String(r.liveKeys).padStart(8)} live ${String(r.deletedKeys).padStart(7)} deleted  ${r.resource}${r.namespaced ? '' : '  (cluster-scoped)'}`);
  rows.push(`${String(top.other.liveKeys).padStart(8)} live ${String(top.other.deletedKeys).padStart(7)} deleted  (other keys: ${top.otherKeys.map((k) => k.key).join(', ')})`);
  return `revision ${top.revision}\n${rows.join('\n')}\n`;
}

/** `kine ls PREFIX`: one key a line, deleted ones flagged, with its revision. */
export function keysText(entries: readonly ListedKey[]): string {
  return entries.map((e) => `${e.key}${e.deleted ? '  (deleted)' : ''}  [rev ${e.revision}]`).join('\n') + (entries.length ? '\n' : '');
}

/** A revision or decoded record as aligned `name: value` lines, the value's own fields after a summary line. */
export function describeRevision(r: Record<string, unknown>): string {
  const lines = Object.entries(r)
    .filter(([k, v]) => v !== undefined && k !== 'value')
    .map(([k, v]) => `${(k + ':').padEnd(16)}${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  const value = r.value as Record<string, unknown> | null | undefined;
  if (value) {
    lines.push(`${'value:'.padEnd(16)}${value.encoding}, ${value.size} bytes, sha256 ${value.sha256}${value.hidden ? ' (hidden: pass --reveal)' : ''}`);
    for (const [k, v] of Object.entries(value)) {
      if (['encoding', 'size', 'sha256', 'hidden'].includes(k) || v === undefined) continue;
      lines.push(`${(k + ':').padEnd(16)}${typeof v === 'object' ? JSON.stringify(v, null, 2).replace(/\n/g, '\n' + ' '.repeat(16)) : String(v)}`);
    }
  }
  return lines.join('\n') + '\n';
}
