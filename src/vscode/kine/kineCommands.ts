import * as vscode from 'vscode';
import { bucketHealth } from '../../core/kine/bucketHealth';
import { buildDatastoreEndpoint } from '../../core/kine/datastoreEndpoint';
import { inspectDatastoreTarget } from '../../core/kine/datastoreTarget';
import { healthReportLines } from '../../core/kine/healthReport';
import { renderKineDocument, renderKineRevision } from '../../core/kine/kineDocument';
import { getHistory, getObject } from '../../core/kine/kineObject';
import { formatBytes } from '../../core/format/units';
import { registerSafeCommand, UserInputError } from '../commandRunner';
import type { ConnectionManager, ManagedConnection } from '../explorer/connectionManager';
import { pickConnection } from '../explorer/pickConnection';
import type { ExplorerNode } from '../explorer/explorerNodes';
import type { ExplorerTree } from '../explorer/explorerTree';
import { Commands, Settings } from '../ids';
import type { ReadOnlyDocuments } from '../readOnlyDocuments';
import type { KineBuckets } from './kineBuckets';

type ObjectNode = Extract<ExplorerNode, { kind: 'kineObject' }>;
type BucketNode = Extract<ExplorerNode, { kind: 'bucket' }>;

export interface KineDeps {
  readonly connections: ConnectionManager;
  readonly tree: ExplorerTree;
  readonly docs: ReadOnlyDocuments;
  readonly kine: KineBuckets;
  readonly log: vscode.LogOutputChannel;
}

/** Opening objects, the reveal prompt, history diffs, bucket health and the datastore helper. */
export function registerKineCommands(deps: KineDeps): vscode.Disposable[] {
  const { connections, docs, kine, log } = deps;
  const bucketOf = async (conn: ManagedConnection, bucket: string) => {
    const session = await connections.session(conn);
    return kine.get(conn.id, session, bucket);
  };
  const docPath = (node: ObjectNode, suffix = '') =>
    `/${node.conn.spec.name}/kine/${node.bucket}${node.key.key.startsWith('/') ? '' : '/'}${node.key.key}${suffix}.yaml`;

  const open = async (node: ObjectNode, reveal: boolean) => {
    const entry = await bucketOf(node.conn, node.bucket);
    const view = await getObject(entry.bucket, node.key.key);
    // A revealed value is the one text left unscrubbed, under a URI of its own that is forgotten when its tab closes.
    await docs.show(
      docPath(node),
      renderKineDocument(view, { bucket: node.bucket, reveal, bucketEra: entry.detection.era }),
      'yaml',
      { revealed: reveal },
    );
  };

  return [
    registerSafeCommand(log, Commands.kineOpen, (node: ObjectNode) => open(node, false)),
    registerSafeCommand(log, Commands.kineReveal, async (node: ObjectNode) => {
      const kind = node.key.key.startsWith('/bootstrap/')
        ? "K3s's bootstrap data (the cluster's encrypted CA and keys)"
        : 'a Secret';
      const answer = await vscode.window.showWarningMessage(
        `Reveal the value of ${node.key.key}?`,
        { modal: true, detail: `It holds ${kind}. The value is shown in an editor tab of this window only.` },
        'Reveal',
      );
      if (answer === 'Reveal') await open(node, true);
    }),
    registerSafeCommand(log, Commands.kineHistory, async (node: ObjectNode) => {
      const entry = await bucketOf(node.conn, node.bucket);
      const history = await getHistory(entry.bucket, node.key.key);
      const newestFirst = [...history].reverse();
      const picked = await vscode.window.showQuickPick(
        newestFirst.map((r, i) => ({
          label: `revision ${r.revision}`,
          description: `${r.operation} · ${r.state} · ${r.time.toISOString()}`,
          detail: i + 1 < newestFirst.length ? 'compare with previous' : 'oldest stored revision',
          r,
          previous: newestFirst[i + 1],
        })),
        { title: `History of ${node.key.key}`, placeHolder: 'Pick a revision to compare with the one before it' },
      );
      if (!picked) return;
      const right = docs.set(docPath(node, `@${picked.r.revision}`), renderKineRevision(picked.r, false));
      const left = docs.set(
        docPath(node, `@${picked.previous?.revision ?? 0}`),
        picked.previous ? renderKineRevision(picked.previous, false) : '',
      );
      await vscode.commands.executeCommand(
        'vscode.diff',
        left,
        right,
        `${node.key.name}: revision ${picked.previous?.revision ?? '–'} ↔ ${picked.r.revision}`,
      );
    }),
    registerSafeCommand(log, Commands.kineHealth, async (node: BucketNode) => {
      const entry = await bucketOf(node.conn, node.bucket.bucket);
      if (!entry.detection.isKine)
        throw new UserInputError(`Bucket ${node.bucket.bucket} does not hold kine data: ${entry.detection.reason}`);
      const h = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Reading the health of ${node.bucket.bucket}…` },
        () => bucketHealth(entry.bucket),
      );
      const r = h.report;
      const text = [
        `# Health of kine bucket '${h.bucket}' on '${node.conn.spec.name}'`,
        ...healthReportLines(h),
        '',
        `# As 'nats stream report -a' shows the stream:`,
        `stream ${r.stream} · storage ${r.storage} · placement ${r.placement || '(single server)'} · consumers ${r.consumers} · messages ${r.messages} · bytes ${formatBytes(r.bytes)} · lost ${r.lostMessages} · deleted ${r.deleted} · replicas ${r.replicas}`,
      ].join('\n');
      await docs.show(`/${node.conn.spec.name}/kine/${h.bucket}/health.txt`, text);
    }),
    registerSafeCommand(log, Commands.kineToggleDeleted, async () => {
      const config = vscode.workspace.getConfiguration(Settings.section);
      await config.update(
        Settings.kineShowDeleted,
        !config.get<boolean>(Settings.kineShowDeleted, false),
        vscode.ConfigurationTarget.Global,
      );
    }),
    registerSafeCommand(log, Commands.prepareDatastore, async (node?: ExplorerNode) => {
      const conn = node && 'conn' in node && node.conn ? node.conn : await pickConnection(connections);
      const session = await connections.session(conn);
      const bucket = await vscode.window.showInputBox({
        title: 'Prepare K3s Datastore',
        prompt: 'KV bucket kine should use',
        value: 'kine',
        validateInput: (v) => (/^[-\w]+$/.test(v) ? undefined : 'Letters, digits, - and _ only'),
      });
      if (!bucket) return;
      const target = await inspectDatastoreTarget(session.connection(), bucket);
      const built = buildDatastoreEndpoint({ servers: conn.spec.servers, bucket, replicas: target.maxReplicas });
      const lines = [
        `# K3s on NATS: datastore for '${conn.spec.name}'`,
        `server:      nats-server ${target.serverVersion}${target.cluster ? `, cluster ${target.cluster}` : ''}`,
        `JetStream:   ${target.jetstream ? 'on' : 'OFF: kine needs JetStream'}`,
        `replicas:    up to ${target.maxReplicas}`,
        `storage:     ${target.maxFileStorage === undefined ? 'unknown' : target.maxFileStorage < 0 ? 'unlimited' : formatBytes(target.maxFileStorage)}`,
        `bucket:      ${bucket} ${target.bucketExists ? `exists${target.detection?.isKine ? ` (kine data, format ${target.detection.era ? `kine ${target.detection.era.label}` : 'unknown'})` : target.detection ? ` (${target.detection.reason})` : ''}` : 'does not exist yet (kine creates it)'}`,
        '',
        '# The endpoint',
        built.endpoint,
        '',
        '# Run K3s with it',
        built.k3sCommand,
        '',
        '# Or install K3s as a systemd service with it',
        built.systemdInstall,
        '',
        ...(built.warnings.length
          ? ['# Check these', ...built.warnings.map((w) => `${w.level.toUpperCase()}: ${w.message}`)]
          : []),
      ];
      await docs.show(`/${conn.spec.name}/k3s-datastore.sh`, `${lines.join('\n')}\n`, 'shellscript');
    }),
  ];
}
