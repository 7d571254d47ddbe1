import { writeFileAtomic } from '../core/fs/atomicWrite';
import { formatCount, plural } from '../core/format/units';
import { exportListChunks, type ExportFormat } from '../core/kine/export/exportList';
import { leftOutLines } from '../core/kine/export/exportSummary';
import {
  collectExport,
  DEFAULT_MAX_EXPORT_BYTES,
  DEFAULT_MAX_EXPORT_OBJECTS,
  describeScope,
  ExportLimitError,
  exportedObjects,
} from '../core/kine/export/kineExport';
import type { KineBucket } from '../core/kine/kineBucket';
import type { CliIo } from './cliIo';
import { FileError } from './fileError';
import type { KineOptions } from './kineOptions';

export const EXPORT_HELP = `Usage: nats-k3s kine export [PREFIX] [--namespace NS] [--format yaml|json] [--reveal]
                             [--include-generated] [--output FILE]

Writes the live Kubernetes objects under PREFIX (default /registry/, everything) as one List that
'kubectl apply -f' takes: recovery for the day the API server is down. Objects come in the order apply needs
(Namespaces, CRDs, storage and RBAC, then workloads; webhooks last).

The recovery rule:
  - dropped from every object: status, and the metadata the API server sets (resourceVersion, uid,
    creationTimestamp, generation, managedFields, selfLink, deletion fields, ownerReferences), a Service's
    cluster IPs and a Job's generated selector; the server makes them again;
  - left out, counted on stderr: objects a controller owns (Pods of a ReplicaSet, ReplicaSets of a Deployment,
    a StatefulSet's PVCs…: the controller makes them again) and what the cluster makes itself (Events, Leases,
    Endpoints, EndpointSlices, Nodes, bootstrap RBAC, the system namespaces, default ServiceAccounts,
    kube-root-ca.crt, ServiceAccount tokens…); --include-generated keeps them;
  - Secrets only with --reveal (the file then holds them in plain text); a Secret encrypted at rest by
    kube-apiserver cannot be read here and is named on stderr.
A List with CRDs and their custom resources may need a second 'kubectl apply' once the CRDs are established.
Standard output, like all of this CLI's, shows control and bidirectional characters as \\uXXXX so a terminal
cannot be fooled; --output writes the objects exactly.

Options:
  PREFIX                 An etcd key prefix, e.g. /registry/configmaps/ or /registry/pods/web/
  --namespace NS, -n NS  Only objects in namespace NS, and the Namespace itself
  --format yaml|json     yaml (default) or json
  --reveal               Include Secrets, in plain text
  --include-generated    Include controller-owned and cluster-generated objects
  --output FILE, -o FILE Write the List to FILE (replaced whole, never half-written) instead of stdout
  --max-objects N        Refuse to export more than N objects (default ${formatCount(DEFAULT_MAX_EXPORT_OBJECTS)})
  --max-bytes N          Refuse an export larger than N bytes of JSON (default ${formatCount(DEFAULT_MAX_EXPORT_BYTES)})
Connection options as for every 'nats-k3s kine' command (--server, --bucket, credentials; see 'kine --help').
`;

/** Checks the export's own arguments; returns one sentence when they are wrong. */
export function exportUsageProblem(opts: KineOptions, positionals: readonly string[]): string | undefined {
  if (positionals.length > 1) return `'export' takes at most one PREFIX.`;
  const prefix = positionals[0];
  if (prefix !== undefined && !prefix.startsWith('/'))
    return `PREFIX must be a key path starting with '/', like /registry/pods/.`;
  if (opts.format !== undefined && !['yaml', 'json'].includes(opts.format))
    return `--format must be yaml or json with export.`;
  if (opts.namespace !== undefined && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(opts.namespace))
    return `--namespace must be a namespace name (lower-case letters, digits and '-').`;
  for (const name of ['max-objects', 'max-bytes'] as const) {
    const v = opts[name];
    if (v !== undefined && !/^[1-9]\d{0,12}$/.test(v)) return `--${name} must be a whole number from 1 up.`;
  }
  return undefined;
}

/** `kine export`: the List on stdout or in --output, what was left out on stderr; 1 when a limit is hit. */
export async function runKineExport(
  b: KineBucket,
  prefix: string | undefined,
  opts: KineOptions,
  io: CliIo,
): Promise<number> {
  const reveal = opts.reveal ?? false;
  const format: ExportFormat = opts.format === 'json' ? 'json' : 'yaml';
  const scope = { prefix: prefix ?? opts.prefix, namespace: opts.namespace };
  let collected: Awaited<ReturnType<typeof collectExport>>;
  try {
    collected = await collectExport(b, {
      ...scope,
      withSecrets: reveal,
      includeGenerated: opts['include-generated'] ?? false,
      maxObjects: opts['max-objects'] !== undefined ? Number(opts['max-objects']) : undefined,
      maxBytes: opts['max-bytes'] !== undefined ? Number(opts['max-bytes']) : undefined,
    });
  } catch (err) {
    if (!(err instanceof ExportLimitError)) throw err;
    io.err(`nats-k3s kine: ${err.message} Nothing was written.\n`);
    return 1;
  }
  const objects = exportedObjects(collected, reveal);
  const output = opts.output;
  if (output !== undefined) {
    try {
      await writeFileAtomic(output, [...exportListChunks(objects, format)].join(''));
    } catch (err) {
      throw new FileError(output, 'write', err);
    }
  } else for (const chunk of exportListChunks(objects, format)) io.out(chunk);
  const lines = [
    `Exported ${plural(objects.length, 'object')} from ${describeScope(scope)}${output !== undefined ? ` to ${output}` : ''}, in the order kubectl apply needs.`,
    ...leftOutLines(collected, reveal, { secrets: 'pass --reveal', generated: 'pass --include-generated' }),
  ];
  if (objects.length === 0)
    lines.push('Nothing to export: check PREFIX and --namespace (nats-k3s kine ls shows the keys).');
  io.err(`${lines.join('\n')}\n`);
  return 0;
}
