import { formatBytes } from '../format/units';
import { shellQuote, type DatastoreEndpoint } from './datastoreEndpoint';
import type { DatastoreTarget } from './datastoreTarget';

/** What the K3s datastore script is written from. */
export interface DatastoreScriptInput {
  readonly connection: string;
  readonly bucket: string;
  readonly target: DatastoreTarget;
  readonly built: DatastoreEndpoint;
}

/**
 * A shell script that `sh` and `bash -n` accept: every note is a `#` comment, the endpoint is the one assignment, and
 * the two ways to start K3s with it are commented out, so running the file by mistake starts nothing.
 */
export function datastoreScript({ connection, bucket, target, built }: DatastoreScriptInput): string {
  const storage =
    target.maxFileStorage === undefined
      ? 'unknown'
      : target.maxFileStorage < 0
        ? 'unlimited'
        : formatBytes(target.maxFileStorage);
  const bucketState = target.bucketExists
    ? `exists${target.detection?.isKine ? ` (kine data, format ${target.detection.era ? `kine ${target.detection.era.label}` : 'unknown'})` : target.detection ? ` (${target.detection.reason})` : ''}`
    : 'does not exist yet (kine creates it)';
  const lines = [
    '#!/bin/sh',
    ...comment(`K3s on NATS: the datastore for connection '${connection}'`),
    ...comment(`server:    nats-server ${target.serverVersion}${target.cluster ? `, cluster ${target.cluster}` : ''}`),
    ...comment(`JetStream: ${target.jetstream ? 'on' : 'OFF: kine needs JetStream'}`),
    ...comment(`replicas:  up to ${target.maxReplicas}`),
    ...comment(`storage:   ${storage}`),
    ...comment(`bucket:    ${bucket} ${bucketState}`),
  ];
  if (built.warnings.length) {
    lines.push('#', '# Check these first:');
    for (const w of built.warnings) lines.push(...comment(`${w.level.toUpperCase()}: ${w.message}`));
  }
  lines.push(
    '',
    '# The value K3s takes as --datastore-endpoint:',
    `NATS_DATASTORE_ENDPOINT=${shellQuote(built.endpoint)}`,
    '',
    '# Then run K3s with it (uncomment one):',
    ...comment(built.k3sCommand),
    '# or install K3s as a systemd service with it:',
    ...comment(built.systemdInstall),
  );
  return `${lines.join('\n')}\n`;
}

/** `# text`, one comment line per line of `text`: a newline in server data must not start a command. */
function comment(text: string): string[] {
  return text.split(/\r\n|\r|\n/).map((line) => (line ? `# ${line}` : '#'));
}
