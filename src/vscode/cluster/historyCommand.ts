import * as vscode from 'vscode';
import { stringify } from 'yaml';
import type { ReleaseRevision } from '../../core/helm/helmOutput';
import { diffValues } from '../../core/helm/valuesDiff';
import { describeChanges } from '../../core/helm/installChecks';
import { UserInputError } from '../commandRunner';
import { confirmDestructive } from '../explorer/explorerCommands';
import type { ReadOnlyDocuments } from '../readOnlyDocuments';
import type { ClusterAccess } from './clusterAccess';
import { ClusterCommands, ClusterSettings } from './clusterIds';
import { isReadOnly, refuseWhenReadOnly, withCancellableProgress } from './clusterCommandRunner';
import { requirePrerequisites } from './prerequisites';
import { resolveRelease, type ReleaseArgs } from './releaseArgs';
import type { ReleasesNode } from './releasesTree';

/** A release and, to skip the pick, one of its revisions. */
export interface RevisionArgs extends ReleaseArgs {
  readonly revision?: number;
}

export interface HistoryDeps {
  readonly access: ClusterAccess;
  readonly docs: ReadOnlyDocuments;
  readonly log: vscode.LogOutputChannel;
  readonly refresh: () => void;
  /** The modal; tests of the confirmed path pass their own. */
  readonly confirm?: (message: string, detail: string, action: string) => Promise<boolean>;
}

export type HistoryOutcome =
  | { readonly outcome: 'compared'; readonly revision: number; readonly current: number; readonly changes: number }
  | { readonly outcome: 'not-confirmed'; readonly revision: number }
  | { readonly outcome: 'rolled-back'; readonly revision: number; readonly newRevision: number };

interface Compared {
  readonly ref: { readonly release: string; readonly namespace: string };
  readonly chosen: ReleaseRevision;
  readonly current: ReleaseRevision;
  readonly changes: ReturnType<typeof diffValues>;
}

/**
 * Revision history: pick a revision (newest first, with status, chart and helm's description) and see its values
 * beside the deployed revision's in the diff editor. A notification then offers to roll back to it; the command does
 * not wait for that answer, and the button runs the Roll Back command (its own modal names release and revision).
 */
export async function showReleaseHistory(
  deps: HistoryDeps,
  arg: ReleasesNode | RevisionArgs | undefined,
): Promise<HistoryOutcome> {
  const { ref, chosen, current, changes } = await compareRevision(deps, arg, 'Revision history of which release?');
  const outcome: HistoryOutcome = {
    outcome: 'compared',
    revision: chosen.revision,
    current: current.revision,
    changes: changes.length,
  };
  if (chosen.revision === current.revision || isReadOnly(deps.access)) return outcome;
  const differ =
    changes.length === 0 ? 'No values differ' : `${changes.length} value${changes.length === 1 ? '' : 's'} differ`;
  const action = `Roll Back to Revision ${chosen.revision}…`;
  void vscode.window
    .showInformationMessage(
      `${differ} between revision ${chosen.revision} and the deployed revision ${current.revision} of ${ref.release}.`,
      action,
    )
    .then((picked) => {
      if (picked === action)
        void vscode.commands.executeCommand(ClusterCommands.rollback, { ...ref, revision: chosen.revision });
    });
  return outcome;
}

/** Rollback straight from the palette or a caller: the same diff first, then the modal. */
export async function rollbackRelease(
  deps: HistoryDeps,
  arg: ReleasesNode | RevisionArgs | undefined,
): Promise<HistoryOutcome> {
  refuseWhenReadOnly(deps.access, 'rolling back a release');
  const compared = await compareRevision(deps, arg, 'Roll back which release?');
  if (compared.chosen.revision === compared.current.revision) {
    throw new UserInputError(
      `Revision ${compared.chosen.revision} of release ${compared.ref.release} is the one deployed: pick an earlier revision.`,
    );
  }
  return rollback(deps, compared);
}

async function compareRevision(
  deps: HistoryDeps,
  arg: ReleasesNode | RevisionArgs | undefined,
  title: string,
): Promise<Compared> {
  const { access, docs, log } = deps;
  await requirePrerequisites(access, log, 'reading a release’s history', { helm: true, cluster: true });
  const ref = await resolveRelease(access, arg, title);
  const helm = access.helm();
  const revisions = await withCancellableProgress(`NATS: reading the history of ${ref.release}`, (signal) =>
    helm.history(ref, signal),
  );
  if (revisions.length === 0)
    throw new UserInputError(`helm keeps no history for release ${ref.release} in namespace ${ref.namespace}.`);
  const current = revisions.find((r) => r.status === 'deployed') ?? revisions[0]!;
  const wanted = arg && !('kind' in arg) ? arg.revision : undefined;
  const chosen =
    wanted === undefined ? await pickRevision(revisions, current) : revisions.find((r) => r.revision === wanted);
  if (!chosen)
    throw new UserInputError(
      `Release ${ref.release} has no revision ${wanted}: helm keeps revisions ${revisions.map((r) => r.revision).join(', ')}.`,
    );
  const [chosenValues, currentValues] = await withCancellableProgress(
    `NATS: reading the values of ${ref.release}`,
    (signal) =>
      Promise.all([
        helm.releaseValues(ref, signal, chosen.revision),
        helm.releaseValues(ref, signal, current.revision),
      ]),
  );
  const base = `/helm/${ref.namespace}/${ref.release}`;
  const left = docs.set(
    `${base}/values-revision-${chosen.revision}.yaml`,
    valuesText(ref.release, chosen, chosenValues),
  );
  const right = docs.set(
    `${base}/values-revision-${current.revision}.yaml`,
    valuesText(ref.release, current, currentValues),
  );
  await vscode.commands.executeCommand(
    'vscode.diff',
    left,
    right,
    `${ref.release}: values of revision ${chosen.revision} ↔ ${current.revision} (deployed)`,
    { preview: true },
  );
  return { ref, chosen, current, changes: diffValues(currentValues, chosenValues) };
}

async function rollback(deps: HistoryDeps, { ref, chosen, current, changes }: Compared): Promise<HistoryOutcome> {
  const { access, log } = deps;
  refuseWhenReadOnly(access, 'rolling back a release');
  const confirm = deps.confirm ?? confirmDestructive;
  const context = access.selection().context ?? '(current context)';
  const ok = await confirm(
    `Roll back release ${ref.release} in namespace ${ref.namespace} (context ${context}) from revision ${current.revision} to revision ${chosen.revision}?`,
    [
      `Revision ${chosen.revision}: chart ${chosen.chart}, app ${chosen.appVersion}, ${chosen.description || chosen.status}.`,
      changes.length
        ? `Values that change back:\n${describeChanges(changes, 12)}`
        : 'The values are the same; the chart or manifests may differ.',
      'helm records the rollback as a new revision; the pods restart where the manifests change.',
    ].join('\n\n'),
    'Roll Back',
  );
  if (!ok) return { outcome: 'not-confirmed', revision: chosen.revision };
  const helm = access.helm();
  const timeout = access.setting<number>(ClusterSettings.helmTimeoutSeconds, 300);
  try {
    await withCancellableProgress(
      `NATS: rolling back ${ref.release} to revision ${chosen.revision}`,
      (signal, report) => {
        report(`helm rollback --wait (up to ${timeout} s)`);
        return helm.rollback(ref, chosen.revision, timeout, signal);
      },
    );
  } finally {
    deps.refresh();
  }
  const newest = (await helm.history(ref))[0];
  const sentence = `Rolled back release ${ref.release} in ${ref.namespace} to revision ${chosen.revision}: it is now revision ${newest?.revision ?? '?'}.`;
  log.info(sentence);
  void vscode.window.showInformationMessage(sentence);
  return { outcome: 'rolled-back', revision: chosen.revision, newRevision: newest?.revision ?? 0 };
}

async function pickRevision(revisions: readonly ReleaseRevision[], current: ReleaseRevision): Promise<ReleaseRevision> {
  const items = revisions.map((r) => ({
    label: `Revision ${r.revision}${r === current ? ' (deployed)' : ''}`,
    description: `${r.status} · ${r.chart} · app ${r.appVersion}`,
    detail: `${r.updated ? new Date(r.updated).toLocaleString() : ''}${r.description ? ` · ${r.description}` : ''}`,
    r,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Compare a revision with the deployed one',
    placeHolder: 'Revision',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!picked) throw new vscode.CancellationError();
  return picked.r;
}

function valuesText(release: string, r: ReleaseRevision, values: Record<string, unknown>): string {
  const header = `# ${release}, revision ${r.revision} (${r.status}): chart ${r.chart}, app ${r.appVersion}${r.description ? `, ${r.description}` : ''}\n`;
  return header + (Object.keys(values).length ? stringify(values) : '# no values given: the chart defaults\n');
}
