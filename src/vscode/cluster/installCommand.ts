import { basename } from 'node:path';
import * as vscode from 'vscode';
import { checkChartVersion, checkNamespace, checkReleaseName } from '../../core/helm/helmArgs';
import { HelmCommandError, localChartVersion, type ChartInstall, type HelmClient } from '../../core/helm/helmClient';
import { lintSummary, newestStableVersion } from '../../core/helm/helmOutput';
import {
  blockingProblems,
  describeChanges,
  describeProblems,
  refusedByKubernetes,
  upgradeChangesDocument,
} from '../../core/helm/installChecks';
import { diffValues, parseValuesText } from '../../core/helm/valuesDiff';
import type { ValuesThread } from '../../core/values/valuesThread';
import { firstNotReady, rolloutReport } from '../../core/kube/rolloutReport';
import { UserInputError } from '../commandRunner';
import { confirmDestructive } from '../explorer/explorerCommands';
import type { ReadOnlyDocuments } from '../readOnlyDocuments';
import type { ClusterAccess } from './clusterAccess';
import type { InstalledReleases } from './installedReleases';
import { ClusterSettings } from './clusterIds';
import { refuseWhenReadOnly, withCancellableProgress } from './clusterCommandRunner';
import { setState, StateKeys } from '../walkthrough/stateKeys';
import { requirePrerequisites } from './prerequisites';
import { askNamespace, askReleaseName, releaseFromArgs } from './releaseArgs';
import type { ReleasesNode } from './releasesTree';

/**
 * Arguments that skip the prompts (palette callers get prompts; a missing version means the newest stable one). With
 * natsK3s.helm.chart set, the local chart's own version is used and `version` is ignored.
 */
export interface InstallArgs {
  readonly valuesFile?: string;
  readonly release?: string;
  readonly namespace?: string;
  readonly version?: string;
}

export type InstallOutcome =
  | { readonly outcome: 'blocked-by-lint'; readonly problems: number }
  | { readonly outcome: 'not-confirmed'; readonly changes: number }
  | { readonly outcome: 'installed'; readonly upgraded: boolean; readonly ready: boolean; readonly report: string };

export interface InstallDeps {
  readonly access: ClusterAccess;
  readonly docs: ReadOnlyDocuments;
  readonly log: vscode.LogOutputChannel;
  readonly refresh: () => void;
  /** Runs the values lint off the extension host's thread. */
  readonly values: ValuesThread;
  /** Remembers which release the values file went into, as a source of its chart version. */
  readonly installed?: InstalledReleases;
  /** The modal; tests of the confirmed paths pass their own. */
  readonly confirm?: (message: string, detail: string, action: string) => Promise<boolean>;
}

interface Prepared {
  readonly helm: HelmClient;
  readonly install: ChartInstall;
  readonly text: string;
  /** The chart's version as far as it is known: the picked one, or a local chart's own (picks the values schema). */
  readonly chartVersion?: string;
  /** natsK3s.helm.chart, when set: a local chart, which `helm lint` can check too. */
  readonly localChart?: string;
}

/** Fills in the values file, release, namespace and version (asking only when the command ran without arguments). */
async function prepare(
  access: ClusterAccess,
  log: vscode.LogOutputChannel,
  arg: ReleasesNode | InstallArgs | undefined,
): Promise<Prepared> {
  const interactive = arg === undefined || 'kind' in arg;
  const given: InstallArgs = arg && !('kind' in arg) ? arg : {};
  const fromNode = releaseFromArgs(arg);
  const localChart = access.localChart();
  const valuesFile = given.valuesFile ?? (await activeValuesFile(interactive));
  const release = checkReleaseName(fromNode.release ?? (interactive ? await askReleaseName() : 'nats'));
  const namespace = checkNamespace(fromNode.namespace ?? (interactive ? await askNamespace() : 'nats'));
  const helm = access.helm();
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(valuesFile)));
  if (localChart) {
    // A vendored chart is used as is: no repo, no version to pick (its Chart.yaml has it).
    const chartVersion = localChartVersion(localChart);
    return {
      helm,
      text,
      localChart,
      install: { release, namespace, valuesFile, chart: localChart },
      ...(chartVersion ? { chartVersion } : {}),
    };
  }
  const { chart, versions } = await withCancellableProgress(
    'NATS: reading the chart repository',
    async (signal, report) => {
      report('helm repo list');
      const repo = await helm.ensureNatsRepo(signal);
      if (repo.added)
        log.info(`Added the NATS chart repository ${helm.repository} to helm as ${repo.chart.split('/')[0]}.`);
      return {
        chart: repo.chart,
        versions: given.version === undefined ? await helm.chartVersions(repo.chart, signal) : [],
      };
    },
  );
  let version = given.version === undefined ? undefined : checkChartVersion(given.version);
  if (version === undefined && versions.length > 0) {
    const newest = newestStableVersion(versions) ?? versions[0]!.version;
    version = interactive ? await pickVersion(versions, newest) : newest;
  }
  return {
    helm,
    text,
    install: { release, namespace, valuesFile, chart, ...(version ? { version } : {}) },
    ...(version ? { chartVersion: version } : {}),
  };
}

/** The active editor's YAML file (saved first, since helm reads the disk), else a file dialog when interactive. */
async function activeValuesFile(interactive: boolean): Promise<string> {
  const doc = vscode.window.activeTextEditor?.document;
  if (doc && doc.uri.scheme === 'file' && /\.ya?ml$/i.test(doc.fileName)) {
    if (doc.isDirty) await doc.save();
    return doc.uri.fsPath;
  }
  if (!interactive) throw new UserInputError('No values file: open one in the editor or pass valuesFile.');
  const [file] =
    (await vscode.window.showOpenDialog({
      title: 'Values file for the NATS chart',
      canSelectMany: false,
      filters: { YAML: ['yaml', 'yml'] },
    })) ?? [];
  if (!file) throw new vscode.CancellationError();
  return file.fsPath;
}

async function pickVersion(
  versions: readonly { version: string; appVersion: string }[],
  newest: string,
): Promise<string> {
  const items = versions.map((v) => ({
    label: v.version,
    description: `NATS ${v.appVersion}${v.version === newest ? ' · newest' : ''}`,
  }));
  items.sort((a, b) => (a.label === newest ? -1 : b.label === newest ? 1 : 0));
  const picked = await vscode.window.showQuickPick(items, { title: 'Chart version', placeHolder: `newest: ${newest}` });
  if (!picked) throw new vscode.CancellationError();
  return picked.label;
}

/**
 * Install or upgrade: lint (errors block unless "Install anyway"), show what an upgrade changes and confirm it,
 * create the namespace, `helm upgrade --install --wait`, then report the pods' readiness.
 */
export async function installChart(
  deps: InstallDeps,
  arg: ReleasesNode | InstallArgs | undefined,
): Promise<InstallOutcome> {
  const { access, docs, log } = deps;
  refuseWhenReadOnly(access, 'installing or upgrading a release');
  // Everything missing is said at once, before the first question.
  await requirePrerequisites(access, log, 'installing the NATS chart', { helm: true, cluster: true });
  const confirm = deps.confirm ?? confirmDestructive;
  const { helm, install, text, chartVersion: preparedVersion, localChart } = await prepare(access, log, arg);
  const { release, namespace, valuesFile } = install;
  const chartVersion = access.setting<string>(ClusterSettings.valuesChartVersion, '') || preparedVersion;

  const problems = blockingProblems(
    await deps.values.call('analyzeValues', text, chartVersion ? { chartVersion } : {}),
  );
  // helm lints only local charts; its [ERROR]s are what the chart's templates choke on, so they join the same modal.
  const helmErrors = localChart
    ? (await helm.lint(localChart, valuesFile)).problems
        .filter((p) => p.severity === 'error')
        .map((p) => `helm lint: ${lintSummary(p)}`)
    : [];
  const errorCount = problems.length + helmErrors.length;
  if (errorCount > 0) {
    const ok = await confirm(
      `${basename(valuesFile)} has ${errorCount} error${errorCount === 1 ? '' : 's'}: install release ${release} anyway?`,
      `${[describeProblems(problems), ...helmErrors].filter(Boolean).join('\n')}\n\nhelm does not check values: unknown or misplaced keys are silently ignored.`,
      'Install anyway',
    );
    if (!ok) return { outcome: 'blocked-by-lint', problems: errorCount };
  }

  const existing = (await helm.listReleases()).find((r) => r.name === release && r.namespace === namespace);
  if (existing && existing.chartName !== 'nats') {
    throw new UserInputError(
      `Release ${release} in namespace ${namespace} is chart ${existing.chart}, not nats: choose another release name.`,
    );
  }
  if (existing) {
    const changes = diffValues(await helm.releaseValues({ release, namespace }), parseValuesText(text));
    await docs.show(
      `/helm/${namespace}/${release}/upgrade-changes.txt`,
      upgradeChangesDocument(release, namespace, valuesFile, changes),
    );
    const summary =
      changes.length === 0
        ? 'No values change'
        : `${changes.length} value${changes.length === 1 ? '' : 's'} change (listed in the editor)`;
    const refused = refusedByKubernetes(changes);
    const warning = refused.length
      ? `\n\nKubernetes will refuse this upgrade: a StatefulSet's volume claim templates cannot change (${refused.map((c) => c.path).join(', ')}). Keep the installed values there; grow volumes by expanding each PersistentVolumeClaim.`
      : '';
    const ok = await confirm(
      `Upgrade release ${release} in namespace ${namespace} (chart ${existing.chartVersion} → ${preparedVersion ?? 'newest'})? ${summary}.`,
      (changes.length ? describeChanges(changes, 12) : 'The pods restart if the rendered manifests change.') + warning,
      'Upgrade',
    );
    if (!ok) return { outcome: 'not-confirmed', changes: changes.length };
  }

  const cluster = await access.openCluster();
  if ((await cluster.ensureNamespace(namespace)) === 'created')
    log.info(`Created namespace ${namespace} in context ${cluster.context}.`);
  const timeout = access.setting<number>(ClusterSettings.helmTimeoutSeconds, 300);
  const verb = existing ? 'Upgrading' : 'Installing';
  try {
    await withCancellableProgress(
      `NATS: ${verb.toLowerCase()} release ${release} in ${namespace}`,
      (signal, report) => {
        report(`helm upgrade --install --wait (up to ${timeout} s)`);
        return helm.upgradeInstall({ ...install, waitTimeoutSeconds: timeout }, signal);
      },
    );
  } catch (err) {
    if (err instanceof HelmCommandError && err.result.kind === 'exited' && /timed out|deadline/i.test(err.message)) {
      const stuck = firstNotReady(
        await cluster.listChartPods(release, namespace, 'nats'),
        await cluster.listChartPods(release, namespace, 'nats-box'),
      );
      throw new UserInputError(`${err.message}${stuck ? ` First pod not ready: ${stuck}` : ''}`);
    }
    throw err;
  } finally {
    // Even a failed or cancelled run may have made the release; the file's version comes from it only once it is listed.
    await deps.installed?.remember(vscode.Uri.file(valuesFile), { release, namespace, context: cluster.context });
    deps.refresh();
  }
  const report = rolloutReport(
    release,
    namespace,
    await cluster.listChartPods(release, namespace, 'nats'),
    await cluster.listChartPods(release, namespace, 'nats-box'),
  );
  log.info(report.sentence);
  setState(StateKeys.releaseInstalled);
  void (report.ready
    ? vscode.window.showInformationMessage(report.sentence)
    : vscode.window.showWarningMessage(report.sentence));
  return { outcome: 'installed', upgraded: existing !== undefined, ready: report.ready, report: report.sentence };
}

/** `helm template` with the install's arguments into a read-only YAML editor; resolves with the document's URI. */
export async function previewChart(deps: InstallDeps, arg: ReleasesNode | InstallArgs | undefined): Promise<string> {
  // helm template renders without a cluster: only helm is needed.
  await requirePrerequisites(deps.access, deps.log, 'previewing the chart', { helm: true, cluster: false });
  const { helm, install, chartVersion } = await prepare(deps.access, deps.log, arg);
  const yaml = await withCancellableProgress(`NATS: rendering release ${install.release}`, (signal) =>
    helm.template(install, signal),
  );
  const editor = await deps.docs.show(
    `/helm/${install.namespace}/${install.release}/manifests-${chartVersion ?? 'newest'}.yaml`,
    yaml,
    'yaml',
  );
  return editor.document.uri.toString();
}
