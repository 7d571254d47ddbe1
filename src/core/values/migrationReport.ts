// The lines a migration preview shows, the same in the editor and on the CLI.
import { escapeControl } from '../text/escapeControl';
import type { MigrationResult } from './migrateValues';

/** One line per key written, then one per 0.x key left behind; escaped, since paths come from the file. */
export function migrationReportLines(result: Pick<MigrationResult, 'changes' | 'notCarried'>): string[] {
  return [
    ...result.changes.map((c) => `${c.kind}: ${escapeControl(c.path)}: ${escapeControl(c.reason)}`),
    ...result.notCarried.map((n) => `not carried: ${escapeControl(n.path)}: ${escapeControl(n.reason)}`),
  ];
}
