import { formatCount, plural } from '../../format/units';
import type { CollectedExport } from './kineExport';

/** How many unreadable keys a summary names one by one. */
const NAMED_UNREADABLE = 5;

/**
 * The sentences that say what an export left out and how to include it; `hints` names the switches of the face
 * that shows them (the CLI's flags, the extension's choices).
 */
export function leftOutLines(
  c: CollectedExport,
  reveal: boolean,
  hints: { readonly secrets: string; readonly generated: string },
): string[] {
  const lines: string[] = [];
  const secrets = reveal ? 0 : c.leftOut.secret + c.secrets.length;
  if (secrets > 0)
    lines.push(`${plural(secrets, 'Secret')} left out; ${hints.secrets} to include them, in plain text.`);
  const { owned, generated } = c.leftOut;
  if (owned + generated > 0)
    lines.push(
      `${plural(owned, 'object')} owned by a controller (which makes ${owned === 1 ? 'it' : 'them'} again) and ${formatCount(generated)} the cluster generates itself left out; ${hints.generated} to include them.`,
    );
  if (c.leftOut.internal > 0)
    lines.push(
      `${plural(c.leftOut.internal, 'record')} kube-apiserver keeps for itself (service IP and port allocations, its own leases) left out: no API takes them back.`,
    );
  if (c.unreadable.length > 0) {
    lines.push(`${plural(c.unreadable.length, 'key')} could not be exported:`);
    for (const u of c.unreadable.slice(0, NAMED_UNREADABLE)) lines.push(`  ${u.key}: ${u.why}`);
    if (c.unreadable.length > NAMED_UNREADABLE)
      lines.push(`  … and ${formatCount(c.unreadable.length - NAMED_UNREADABLE)} more.`);
  }
  return lines;
}
