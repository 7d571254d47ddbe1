// Palette paths to the tree's nodes: a command run without a node asks for the connection, then the stream, consumer,
// bucket or key, and gets the same node the tree would have handed it. Cancelling any step cancels the command.
import * as vscode from 'vscode';
import { formatBytes, formatCount, plural } from '../../core/format/units';
import { listBuckets } from '../../core/nats/kvBrowser';
import { listKeys } from '../../core/nats/kvKeys';
import { listConsumers, listStreams } from '../../core/nats/streams';
import { escapeControl } from '../../core/text/escapeControl';
import { UserInputError } from '../commandRunner';
import { Settings } from '../ids';
import type { CommandContext, Node } from './commandContext';
import type { ManagedConnection } from './connectionManager';

/** What a picker needs: the connection (picked when not given) and its session. */
export type PickContext = Pick<CommandContext, 'connectionOf' | 'session'>;

/** Most keys a key pick lists; the placeholder says when there were more. */
const MAX_PICKED_KEYS = 1_000;

async function pick<T>(
  items: readonly (vscode.QuickPickItem & { value: T })[],
  title: string,
  empty: string,
  placeHolder?: string,
): Promise<T> {
  if (items.length === 0) throw new UserInputError(empty);
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder, matchOnDescription: true });
  if (!picked) throw new vscode.CancellationError();
  return picked.value;
}

export async function pickStream(ctx: PickContext): Promise<Node<'stream'>> {
  const conn = await ctx.connectionOf(undefined);
  const includeSystem = vscode.workspace
    .getConfiguration(Settings.section)
    .get<boolean>(Settings.showSystemStreams, false);
  const streams = await listStreams(await ctx.session(conn), { includeSystem });
  const stream = await pick(
    streams.map((s) => ({
      label: escapeControl(s.name),
      description: `${plural(s.messages, 'msg')} · ${formatBytes(s.bytes)}`,
      detail: s.subjects.map(escapeControl).join(', '),
      value: s,
    })),
    `Stream on '${conn.spec.name}'`,
    `'${conn.spec.name}' has no streams.`,
  );
  return { kind: 'stream', conn, stream };
}

export async function pickConsumer(ctx: PickContext): Promise<Node<'consumer'>> {
  const { conn, stream } = await pickStream(ctx);
  const consumers = await listConsumers(await ctx.session(conn), stream.name);
  const consumer = await pick(
    consumers.map((c) => ({
      label: escapeControl(c.name),
      description: `pending ${formatCount(c.pending)} · ack pending ${formatCount(c.ackPending)}`,
      value: c,
    })),
    `Consumer of ${stream.name}`,
    `Stream ${stream.name} has no consumers.`,
  );
  return { kind: 'consumer', conn, consumer };
}

export async function pickBucket(
  ctx: PickContext,
  only?: { readonly kine: boolean; readonly isKine: (conn: ManagedConnection, bucket: string) => Promise<boolean> },
): Promise<Node<'bucket'>> {
  const conn = await ctx.connectionOf(undefined);
  let buckets = await listBuckets(await ctx.session(conn));
  if (only) {
    const kinds = await Promise.all(buckets.map((b) => only.isKine(conn, b.bucket).catch(() => false)));
    buckets = buckets.filter((_, i) => kinds[i] === only.kine);
  }
  const bucket = await pick(
    buckets.map((b) => ({
      label: escapeControl(b.bucket),
      description: `${plural(b.keys, 'key')} · ${formatBytes(b.bytes)}`,
      value: b,
    })),
    `${only?.kine ? 'Kine bucket' : 'KV bucket'} on '${conn.spec.name}'`,
    only?.kine ? `'${conn.spec.name}' has no bucket holding kine data.` : `'${conn.spec.name}' has no KV buckets.`,
  );
  return { kind: 'bucket', conn, bucket };
}

export async function pickKey(ctx: PickContext): Promise<Node<'kvKey'>> {
  const { conn, bucket } = await pickBucket(ctx);
  const list = await listKeys(await ctx.session(conn), bucket.bucket, MAX_PICKED_KEYS);
  const key = await pick(
    list.keys.map((k) => ({ label: escapeControl(k), value: k })),
    `Key in ${bucket.bucket}`,
    `Bucket ${bucket.bucket} has no keys.`,
    list.more ? `The first ${formatCount(MAX_PICKED_KEYS)} keys; type to filter them` : undefined,
  );
  return { kind: 'kvKey', conn, bucket: bucket.bucket, child: { token: key, path: key, isKey: true, descendants: 0 } };
}
