/**
 * The two questions asked before an install: does the values file lint clean, and what does an upgrade change.
 * Both answers are plain text for a modal and a read-only document.
 */
import type { ValuesAnalysis } from '../values/valuesTypes';
import type { ValueChange } from './valuesDiff';

/** One lint error, as a line for a modal: `line 4: config.cluster.replicas: Expected an integer.` */
export interface BlockingProblem {
  readonly line: number;
  readonly path: string;
  readonly message: string;
}

/** The errors of a values file's analysis (warnings do not block an install), in file order. */
export function blockingProblems(analysis: ValuesAnalysis): BlockingProblem[] {
  return analysis.diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => ({ line: d.range.start.line + 1, path: d.path, message: d.message }))
    .sort((a, b) => a.line - b.line);
}

/** Up to `max` problems as lines, plus "and N more" when there are more. */
export function describeProblems(problems: readonly BlockingProblem[], max = 8): string {
  const lines = problems.slice(0, max).map((p) => `line ${p.line}: ${p.path ? `${p.path}: ` : ''}${p.message}`);
  if (problems.length > max) lines.push(`… and ${problems.length - max} more`);
  return lines.join('\n');
}

const show = (v: unknown): string => {
  const text = JSON.stringify(v);
  return text === undefined ? 'undefined' : text.length > 80 ? `${text.slice(0, 77)}…` : text;
};

/** One line per change: `+ path: value`, `- path (back to the chart default, was value)`, `~ path: before → after`. */
export function describeChanges(changes: readonly ValueChange[], max = Infinity): string {
  const lines = changes
    .slice(0, max)
    .map((c) =>
      c.kind === 'added'
        ? `+ ${c.path}: ${show(c.after)}`
        : c.kind === 'removed'
          ? `- ${c.path} (back to the chart default; was ${show(c.before)})`
          : `~ ${c.path}: ${show(c.before)} → ${show(c.after)}`,
    );
  if (changes.length > max) lines.push(`… and ${changes.length - max} more`);
  return lines.join('\n');
}

/** The document shown before an upgrade: which release, which file, and every changed key. */
export function upgradeChangesDocument(
  release: string,
  namespace: string,
  valuesFile: string,
  changes: readonly ValueChange[],
): string {
  const head = [
    `# Upgrade of release ${release} in namespace ${namespace}`,
    `# user-supplied values now (helm get values) → ${valuesFile}`,
    '#   + added   - removed (back to the chart default)   ~ changed',
    '',
  ];
  return [
    ...head,
    changes.length === 0 ? '(no value changes; the chart version may still change)' : describeChanges(changes),
    '',
  ].join('\n');
}

// Parts of the chart's StatefulSet that Kubernetes never lets an upgrade change (its volume claim templates).
const IMMUTABLE_PREFIXES = [
  'config.jetstream.fileStore.pvc.size',
  'config.jetstream.fileStore.pvc.storageClassName',
  'config.jetstream.fileStore.pvc.enabled',
  'config.resolver.pvc.size',
  'config.resolver.pvc.storageClassName',
  'config.resolver.pvc.enabled',
  'config.jetstream.fileStore.pvc.name',
  'statefulSet.merge.spec.volumeClaimTemplates',
];

/**
 * The changes an existing release cannot take: the API server refuses any change to a StatefulSet's volume claim
 * templates ("updates to statefulset spec for fields other than … are forbidden"), so the upgrade would fail.
 */
export function refusedByKubernetes(changes: readonly ValueChange[]): ValueChange[] {
  return changes.filter((c) => IMMUTABLE_PREFIXES.some((p) => c.path === p || c.path.startsWith(`${p}.`)));
}
