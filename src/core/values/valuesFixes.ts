import { migrateValues } from './migrateValues';
import { LineIndex } from './textPositions';
import type { TextEdit, ValuesFix } from './valuesTypes';

/** One edit turning `before` into `after`: the changed middle, after trimming the common prefix and suffix. */
export function minimalEdit(before: string, after: string): TextEdit | undefined {
  if (before === after) return undefined;
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (
    end < before.length - start &&
    end < after.length - start &&
    before[before.length - 1 - end] === after[after.length - 1 - end]
  )
    end++;
  return {
    range: new LineIndex(before).range(start, before.length - end),
    newText: after.slice(start, after.length - end),
  };
}

/** The edits of a diagnostic's fix: ready ones as given, a legacy-key migration computed now; empty when nothing changes. */
export function resolveFixEdits(text: string, fix: ValuesFix): TextEdit[] {
  if (fix.edits) return fix.edits;
  if (!fix.migratePath) return [];
  const edit = minimalEdit(text, migrateValues(text, fix.migratePath).text);
  return edit ? [edit] : [];
}
