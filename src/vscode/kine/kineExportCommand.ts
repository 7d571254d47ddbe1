import * as vscode from 'vscode';
import { writeFileAtomic } from '../../core/fs/atomicWrite';
import { plural } from '../../core/format/units';
import { exportListText } from '../../core/kine/export/exportList';
import { leftOutLines } from '../../core/kine/export/exportSummary';
import {
  collectExport,
  describeScope,
  ExportCancelledError,
  exportedObjects,
  type CollectedExport,
  type ExportOptions,
} from '../../core/kine/export/kineExport';
import { REGISTRY_PREFIX } from '../../core/kine/resourcePath';
import { registerSafeCommand, UserInputError } from '../commandRunner';
import type { ConnectionManager } from '../explorer/connectionManager';
import type { ExplorerNode } from '../explorer/explorerNodes';
import { Commands } from '../ids';
import type { KineBuckets } from './kineBuckets';

type ExportNode = Extract<ExplorerNode, { kind: 'bucket' | 'kineType' | 'kineNamespace' }>;

export interface KineExportDeps {
  readonly connections: ConnectionManager;
  readonly kine: KineBuckets;
  readonly log: vscode.LogOutputChannel;
}

/** What a tree node exports: the whole bucket, one resource type, or one namespace of a type. */
function scopeOf(node: ExportNode): { bucket: string; prefix: string; label: string } {
  if (node.kind === 'bucket') return { bucket: node.bucket.bucket, prefix: REGISTRY_PREFIX, label: node.bucket.bucket };
  const type = `${REGISTRY_PREFIX}${node.type.resource}/`;
  if (node.kind === 'kineType') return { bucket: node.bucket, prefix: type, label: node.type.resource };
  return {
    bucket: node.bucket,
    prefix: `${type}${node.ns.namespace}/`,
    label: `${node.type.resource}-${node.ns.namespace}`,
  };
}

/**
 * "Export Objects as YAML…" on a kine bucket, resource type or namespace: the live objects as one List for
 * `kubectl apply -f` (the CLI's `kine export` rule), after a save dialog, with progress that can be cancelled; Secrets
 * go in only after a modal that names how many and says they will be in plain text. The file is written whole or not at all.
 */
export function registerKineExportCommand(deps: KineExportDeps): vscode.Disposable {
  return registerSafeCommand(deps.log, Commands.kineExport, async (node?: ExportNode) => {
    if (!node || !['bucket', 'kineType', 'kineNamespace'].includes(node.kind))
      throw new UserInputError(
        'Run "Export Objects as YAML…" on a kine bucket, resource type or namespace in the NATS view.',
      );
    const scope = scopeOf(node);
    const session = await deps.connections.session(node.conn);
    const entry = await deps.kine.get(node.conn.id, session, scope.bucket);
    if (!entry.detection.isKine)
      throw new UserInputError(`Bucket ${scope.bucket} does not hold kine data: ${entry.detection.reason}`);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `${scope.label.replace(/[^\w.-]+/g, '-')}-export.yaml`;
    const target = await vscode.window.showSaveDialog({
      title: `Export the objects under ${scope.prefix} from '${scope.bucket}'`,
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: { YAML: ['yaml', 'yml'] },
      saveLabel: 'Export',
    });
    if (!target) return;
    const run = async (includeGenerated: boolean) => {
      const collected = await collect(entry.bucket, { prefix: scope.prefix, withSecrets: true, includeGenerated });
      const reveal = await askAboutSecrets(collected, target);
      if (reveal === undefined) return;
      const objects = exportedObjects(collected, reveal);
      await writeFileAtomic(target.fsPath, exportListText(objects, 'yaml'));
      const left = leftOutLines(collected, reveal, {
        secrets: 'export again and choose Include Secrets',
        generated: 'choose Include Them',
      });
      const message = [
        `Exported ${plural(objects.length, 'object')} from ${describeScope({ prefix: scope.prefix })} to ${target.fsPath}, in the order kubectl apply needs.`,
        ...left,
      ].join(' ');
      deps.log.info(message);
      const again =
        !includeGenerated && collected.leftOut.owned + collected.leftOut.generated > 0 ? 'Include Them' : undefined;
      const choice = await vscode.window.showInformationMessage(message, 'Open', ...(again ? [again] : []));
      if (choice === 'Open') await vscode.window.showTextDocument(target);
      else if (again && choice === again) await run(true);
    };
    await run(false);
  });
}

function collect(bucket: Parameters<typeof collectExport>[0], options: ExportOptions): Thenable<CollectedExport> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Exporting ${options.prefix}`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const cancelled = token.onCancellationRequested(() => abort.abort());
      let shown = 0;
      try {
        return await collectExport(bucket, {
          ...options,
          signal: abort.signal,
          onProgress: (done, total) => {
            const percent = Math.floor((done / total) * 100);
            if (percent > shown)
              progress.report({ increment: percent - shown, message: `${done} of ${total} objects read` });
            shown = percent;
          },
        });
      } catch (err) {
        if (err instanceof ExportCancelledError) throw new vscode.CancellationError();
        throw err;
      } finally {
        cancelled.dispose();
      }
    },
  );
}

/** True to include the Secrets, false to leave them out, undefined when the user cancelled (nothing is written). */
async function askAboutSecrets(c: CollectedExport, target: vscode.Uri): Promise<boolean | undefined> {
  if (c.secrets.length === 0) return false;
  const include = 'Include Secrets';
  const leave = 'Leave Secrets Out';
  const answer = await vscode.window.showWarningMessage(
    `Include ${plural(c.secrets.length, 'Secret')} in the export?`,
    {
      modal: true,
      detail: `${target.fsPath} will then hold the data of ${plural(c.secrets.length, 'Secret')} in plain text (base64 is no encryption): anyone who can read the file can read them.`,
    },
    include,
    leave,
  );
  return answer === include ? true : answer === leave ? false : undefined;
}
