import { readFileSync } from 'node:fs';
import { jetstreamManager, type StreamInfo } from '@nats-io/jetstream';
import { credsAuthenticator, type ConnectionOptions, type NatsConnection } from '@nats-io/transport-node';
import { clusterSizeOf } from '../nats/clusterSize';
import { connectNats } from '../nats/connectNats';
import { explainNatsError } from '../nats/explainError';
import { placementOf } from '../nats/placement';
import { probeServerInfo, type ProbedServerInfo } from '../nats/serverInfoProbe';
import type { ParsedDatastoreEndpoint } from './parseDatastoreEndpoint';

/** K3s's --datastore-cafile, --datastore-certfile and --datastore-keyfile. */
export interface DatastoreTlsFiles {
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
}

export type CheckLevel = 'ok' | 'error' | 'warning' | 'info';

/** One sentence of the check, with a stable code for tests and JSON. */
export interface CheckStep {
  readonly level: CheckLevel;
  readonly code: string;
  readonly message: string;
}

export interface EndpointCheckResult {
  /** Server URLs without credentials. */
  readonly servers: readonly string[];
  readonly bucket: string;
  readonly replicas: number;
  readonly revHistory: number;
  readonly steps: readonly CheckStep[];
}

/** The description kine gives its bucket; the server refuses kine's create when an existing bucket's differs. */
export const KINE_BUCKET_DESCRIPTION = 'Holds kine key/values';

/**
 * Checks a parsed endpoint against the server it names, as kine would meet it at start: reachable, TLS, credentials,
 * JetStream, the bucket and its settings against the endpoint's, and the cluster's size. Never throws for what the
 * server says; every answer is a step. The endpoint's notes come first.
 */
export async function checkDatastoreEndpoint(
  e: ParsedDatastoreEndpoint,
  tls: DatastoreTlsFiles,
  options: { timeoutMs?: number } = {},
): Promise<EndpointCheckResult> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const steps: CheckStep[] = e.notes.map((n) => ({ level: n.level, code: n.code, message: n.message }));
  const step = (level: CheckLevel, code: string, message: string) => steps.push({ level, code, message });
  const result = () => ({
    servers: e.servers,
    bucket: e.bucket,
    replicas: e.replicas,
    revHistory: e.revHistory,
    steps,
  });
  if (e.contextFile) {
    step('info', 'context-not-checked', 'Nothing was checked on a server: the servers are in the context file.');
    return result();
  }

  // 1. Reachable: the INFO line needs neither credentials nor TLS.
  let info: ProbedServerInfo | undefined;
  let reached = '';
  const unreachable: string[] = [];
  for (const s of e.servers) {
    const hostPort = s.slice('nats://'.length);
    try {
      const i = await probeServerInfo(hostPort.includes(':') ? hostPort : `${hostPort}:4222`, timeoutMs);
      info ??= i;
      reached ||= s;
      step(
        'ok',
        'reachable',
        `${s} is reachable: nats-server ${i.version ?? '?'}${i.cluster ? `, cluster ${i.cluster}` : ''}.`,
      );
    } catch (err) {
      unreachable.push(`${s} is not reachable: ${(err as Error).message}`);
    }
  }
  // kine's client moves on to the next server, so one that is down only matters when none answers.
  for (const message of unreachable)
    step(info ? 'warning' : 'error', 'unreachable', `${message}${info ? ' kine will use the others.' : ''}`);
  if (!info) {
    step('error', 'no-server', 'No server of the endpoint answers; kine would retry and K3s would not start.');
    return result();
  }

  // 2. TLS as the server announces it, against the files K3s would pass.
  const tlsSaid = info.tls_required ? 'requires TLS' : info.tls_available ? 'offers TLS' : 'offers no TLS';
  step(
    'info',
    'tls-mode',
    `${reached} ${tlsSaid}${info.tls_verify ? ' and asks every client for a certificate' : ''}.`,
  );
  if (!!tls.certFile !== !!tls.keyFile)
    step('error', 'tls-pair', 'A client certificate needs both --datastore-certfile and --datastore-keyfile.');
  if (info.tls_required && !tls.caFile)
    step(
      'warning',
      'tls-no-ca',
      "No --datastore-cafile is given: kine checks the server's certificate against the system's CAs, which fails for a private CA.",
    );
  if (info.tls_verify && !(tls.certFile && tls.keyFile))
    step(
      'error',
      'tls-client-cert-missing',
      'The server wants a client certificate and none is given: pass --datastore-certfile and --datastore-keyfile.',
    );
  const wantsTls = !!(tls.caFile || tls.certFile);
  if (wantsTls && !info.tls_required && !info.tls_available) {
    step(
      'error',
      'tls-not-offered',
      'TLS files are given but the server offers no TLS: kine would fail with "secure connection not available". Enable TLS on the server or drop the files.',
    );
    return result();
  }

  // 3. Connect with the endpoint's credentials and TLS, as kine does.
  const connectOptions: ConnectionOptions = {
    servers: [...e.servers],
    name: 'nats-k3s endpoint check',
    timeout: timeoutMs,
    reconnect: false,
  };
  try {
    if (e.credsFile) connectOptions.authenticator = credsAuthenticator(readFileSync(e.credsFile));
  } catch (err) {
    step(
      'error',
      'creds-unreadable',
      `The credsFile ${e.credsFile} cannot be read here (${(err as NodeJS.ErrnoException).code ?? 'error'}); kine reads it on the K3s host, so check there that it exists.`,
    );
    return result();
  }
  if (e.token !== undefined) connectOptions.token = e.token;
  else if (e.user !== undefined) {
    connectOptions.user = e.user;
    connectOptions.pass = e.password ?? '';
  }
  if (wantsTls || info.tls_required) connectOptions.tls = { ...tls };
  const hasCreds = !!(e.credsFile || e.token !== undefined || e.user !== undefined);
  let nc: NatsConnection;
  try {
    nc = await connectNats(connectOptions);
  } catch (err) {
    const sentence = explainNatsError(err, reached);
    if (sentence.startsWith('Authorization failed'))
      step(
        'error',
        hasCreds ? 'credentials-rejected' : 'credentials-missing',
        hasCreds
          ? 'The server rejected the credentials of the endpoint; kine would fail with "Authorization Violation".'
          : 'The server wants credentials and the endpoint has none: add user:password@ or a token before the host, or credsFile.',
      );
    else if (sentence.startsWith('TLS failed')) step('error', 'tls-failed', `TLS did not verify: ${sentence}`);
    else step('error', 'connect-failed', `Could not connect: ${sentence}`);
    return result();
  }
  try {
    if (hasCreds) step('ok', 'credentials-accepted', 'The server accepted the credentials.');
    else if (info.auth_required === false || info.auth_required === undefined)
      step('ok', 'no-credentials-needed', 'The server needs no credentials.');
    if (wantsTls || info.tls_required)
      step(
        'ok',
        'tls-verified',
        `TLS verified: the server's certificate checks out against ${tls.caFile ? `the CA file ${tls.caFile}` : "the system's CAs"}${tls.certFile ? ', and it accepted the client certificate' : ''}.`,
      );
    else if (info.tls_available)
      step(
        'info',
        'tls-unused',
        'The server offers TLS but the endpoint uses none; pass --datastore-cafile to use it.',
      );
    await checkJetStreamAndBucket(nc, e, step);
  } finally {
    await nc.close();
  }
  return result();
}

async function checkJetStreamAndBucket(
  nc: NatsConnection,
  e: ParsedDatastoreEndpoint,
  step: (level: CheckLevel, code: string, message: string) => void,
): Promise<void> {
  if (!nc.info?.jetstream) {
    step('error', 'no-jetstream', 'JetStream is not enabled on the server: kine needs it (nats-server -js).');
    return;
  }
  const jsm = await jetstreamManager(nc, { timeout: 10_000 });
  try {
    await jsm.getAccountInfo();
  } catch (err) {
    // Only "not enabled for this account" is an answer; a lost connection is the caller's failure to report.
    if (!/not enabled/i.test(String((err as Error).message))) throw err;
    step('error', 'no-jetstream-account', 'JetStream is on, but not for this account: kine cannot create its bucket.');
    return;
  }
  step('ok', 'jetstream', 'JetStream is enabled for the account.');
  const size = clusterSizeOf(nc.info, undefined);
  if (size > 1) step('info', 'cluster-size', `The NATS cluster has ${size} servers.`);
  const stream = `KV_${e.bucket}`;
  let si: StreamInfo | undefined;
  try {
    si = await jsm.streams.info(stream);
  } catch (err) {
    if (!/stream not found/i.test(String((err as Error).message)) && (err as { code?: number }).code !== 10059)
      throw err;
  }
  if (!si) {
    step(
      'info',
      'bucket-missing',
      `Bucket ${e.bucket} does not exist yet (kine#131 'stream not found' until it does); kine creates it at its first start as stream ${stream}: history ${e.revHistory}, ${e.replicas} replica${e.replicas === 1 ? '' : 's'}, file storage, direct gets on, description "${KINE_BUCKET_DESCRIPTION}".`,
    );
    if (e.replicas > size)
      step(
        'error',
        'replicas-above-cluster',
        `replicas=${e.replicas} is more than the ${size} server${size === 1 ? '' : 's'} of the cluster: the server cannot place the bucket and kine retries every second ("no suitable peers"), so K3s never starts.`,
      );
    else if (e.replicas === 1 && size > 1)
      step(
        'warning',
        'single-replica',
        `replicas=1 on a cluster of ${size} servers: the datastore lives on one server and stops with it. Use replicas=3.`,
      );
    return;
  }
  const c = si.config;
  if (!(c.subjects ?? []).includes(`$KV.${e.bucket}.>`)) {
    step('error', 'not-kv', `Stream ${stream} exists but is not a KV bucket; kine cannot use it.`);
    return;
  }
  step(
    'ok',
    'bucket-exists',
    `Bucket ${e.bucket} exists: ${c.num_replicas} replica${c.num_replicas === 1 ? '' : 's'}, history ${c.max_msgs_per_subject}, ${si.state.messages} messages.`,
  );
  const differs: string[] = [];
  if (c.num_replicas !== e.replicas) differs.push(`replicas ${c.num_replicas} (the endpoint says ${e.replicas})`);
  if (c.max_msgs_per_subject !== e.revHistory)
    differs.push(`history ${c.max_msgs_per_subject} (the endpoint's revHistory is ${e.revHistory})`);
  if ((c.description ?? '') !== KINE_BUCKET_DESCRIPTION)
    differs.push(`description "${c.description ?? ''}" (kine's is "${KINE_BUCKET_DESCRIPTION}")`);
  if (differs.length)
    step(
      'error',
      'bucket-settings-differ',
      `The existing bucket has ${differs.join(' and ')}: kine creates the bucket with the endpoint's settings at every start and the server refuses a different configuration ("stream name already in use"), so K3s does not start. Make the endpoint match, or change the stream with 'nats stream edit ${stream}'.`,
    );
  if (c.num_replicas > size)
    step(
      'error',
      'replicas-above-cluster',
      `The bucket has ${c.num_replicas} replicas on a cluster of ${size} servers.`,
    );
  else if (c.num_replicas === 1 && size > 1)
    step(
      'warning',
      'single-replica',
      `The bucket has 1 replica on a cluster of ${size} servers: it stops with that server (kine#406). Use 3.`,
    );
  const p = placementOf(si.cluster, c.num_replicas);
  if (p && !p.leader) step('error', 'no-leader', `${stream} has no leader: kine's writes would time out (kine#274).`);
  for (const r of p?.replicas ?? [])
    if (!r.leader && r.state !== 'current')
      step(
        'warning',
        `replica-${r.state}`,
        `Replica ${r.name} of ${stream} is ${r.state}; see 'nats-k3s kine health'.`,
      );
}
