import { kineMangles } from './goUserinfo';

/** Options kine's NATS driver reads from the endpoint URL (kine-format.md §1.2), for stock K3s (no embedded server). */
export interface DatastoreEndpointOptions {
  /** host:port or nats://host:port, one per server of the cluster; empty = kine dials :4222 on the K3s host. */
  readonly servers: readonly string[];
  readonly user?: string;
  readonly password?: string;
  readonly token?: string;
  readonly bucket?: string;
  readonly replicas?: number;
  readonly revHistory?: number;
  readonly credsFile?: string;
  readonly contextFile?: string;
  readonly slowMethod?: string;
  /** TLS files: K3s passes them as --datastore-cafile/-certfile/-keyfile, never in the URL. */
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
}

export type WarningLevel = 'error' | 'warning' | 'info';

export interface DatastoreWarning {
  readonly level: WarningLevel;
  /** Stable code for tests and UI. */
  readonly code: string;
  readonly message: string;
}

export interface DatastoreEndpoint {
  /** The `nats://…` value. */
  readonly endpoint: string;
  /** `--datastore-endpoint=<endpoint>` plus the TLS flags. */
  readonly flags: readonly string[];
  /** A `k3s server …` command line, shell-quoted. */
  readonly k3sCommand: string;
  /** The get.k3s.io install line that writes the same flags into the systemd unit. */
  readonly systemdInstall: string;
  /** `error`s mean kine would refuse the endpoint. */
  readonly warnings: readonly DatastoreWarning[];
}

/**
 * Builds the datastore endpoint for stock K3s. Never throws: out-of-range or conflicting options come back as
 * `error` warnings (and are left out of the URL), the known traps as `warning`/`info`.
 */
export function buildDatastoreEndpoint(o: DatastoreEndpointOptions): DatastoreEndpoint {
  const warnings: DatastoreWarning[] = [];
  const warn = (level: WarningLevel, code: string, message: string) => warnings.push({ level, code, message });
  const hosts = o.servers
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const m = /^([a-z0-9+.-]+):\/\/(.*)$/i.exec(s);
      if (m && m[1].toLowerCase() !== 'nats') {
        warn(
          'warning',
          'scheme',
          `kine accepts only nats:// URLs; ${m[1]}:// was rewritten (TLS comes from --datastore-cafile and friends, not the scheme).`,
        );
      }
      return (m ? m[2] : s).replace(/\/+$/, '');
    });
  if (o.contextFile && hosts.length > 0)
    warn(
      'error',
      'context-with-host',
      'With contextFile the URL must have no host: kine takes the servers from the context file.',
    );
  if (!o.contextFile && hosts.length === 0)
    warn('info', 'no-host', 'No server given: kine will dial :4222 on the K3s host itself.');
  for (const h of hosts) {
    if (/^(localhost|127\.|\[::1\])/.test(h))
      warn('info', 'loopback', `${h} is this machine: every K3s server needs NATS reachable at that address.`);
    if (!/:\d+$/.test(h)) warn('info', 'default-port', `${h} has no port; kine will use 4222.`);
  }
  const params: string[] = [];
  const add = (k: string, v: string | number | undefined) =>
    v !== undefined && v !== '' && params.push(`${k}=${encodeURIComponent(String(v))}`);
  if (o.bucket !== undefined && !/^[A-Za-z0-9_-]+$/.test(o.bucket))
    warn('error', 'bucket', `'${o.bucket}' is not a valid bucket name (letters, digits, - and _).`);
  else if (o.bucket !== undefined && o.bucket !== 'kine') add('bucket', o.bucket);
  if (o.replicas !== undefined && (!Number.isInteger(o.replicas) || o.replicas < 1 || o.replicas > 5))
    warn('error', 'replicas', 'replicas must be 1 to 5; kine refuses other values.');
  else if (o.replicas !== undefined && o.replicas !== 1) add('replicas', o.replicas);
  if (o.revHistory !== undefined && (!Number.isInteger(o.revHistory) || o.revHistory < 2 || o.revHistory > 64))
    warn('error', 'revHistory', 'revHistory must be 2 to 64 (kine default 10).');
  else if (o.revHistory !== undefined && o.revHistory !== 10) add('revHistory', o.revHistory);
  if (o.credsFile) {
    add('credsFile', o.credsFile);
    warn('info', 'creds-version', 'credsFile needs kine v0.11.0 or newer (K3s releases since mid-2024).');
  }
  add('contextFile', o.contextFile);
  add('slowMethod', o.slowMethod);
  if (o.token && (o.user || o.password))
    warn('error', 'auth-conflict', 'Give either a token or a user and password, not both.');
  const auth = o.token
    ? `${encodeURIComponent(o.token)}@`
    : o.user
      ? `${encodeURIComponent(o.user)}${o.password ? `:${encodeURIComponent(o.password)}` : ''}@`
      : '';
  if ([o.user, o.password, o.token].some((v) => v !== undefined && kineMangles(v)))
    warn(
      'error',
      'encoded-credentials',
      'The user, password or token has characters kine passes to NATS percent-encoded (it splits the re-encoded user info at the colon), so the server rejects it: use a credsFile, or only letters, digits and - _ . ~ $ & + , ; =.',
    );
  if (auth)
    warn(
      'warning',
      'secret-in-url',
      'The endpoint holds a credential; K3s stores it in its config and process list. Prefer credsFile.',
    );
  const [first = '', ...rest] = hosts;
  const query = params.length ? `?${params.join('&')}` : '';
  const endpoint = [`nats://${auth}${first}${query}`, ...rest.map((h) => `nats://${h}`)].join(',');
  const flags = [`--datastore-endpoint=${endpoint}`];
  if (o.caFile) flags.push(`--datastore-cafile=${o.caFile}`);
  if (o.certFile) flags.push(`--datastore-certfile=${o.certFile}`);
  if (o.keyFile) flags.push(`--datastore-keyfile=${o.keyFile}`);
  if (!!o.certFile !== !!o.keyFile)
    warn('error', 'tls-pair', 'A client certificate needs both --datastore-certfile and --datastore-keyfile.');
  warn(
    'info',
    'no-embedded',
    'Stock K3s has no embedded NATS server (it is not built with the nats tag): run nats-server with -js yourself; noEmbed, dontListen, serverConfig and dataDir are ignored.',
  );
  warn(
    'info',
    'no-cluster-init',
    'Do not combine --cluster-init with --datastore-endpoint, and wipe the bucket before reusing it for a new cluster.',
  );
  const quoted = flags.map(shellQuote).join(' ');
  return {
    endpoint,
    flags,
    k3sCommand: `k3s server ${quoted}`,
    systemdInstall: `curl -sfL https://get.k3s.io | sh -s - server ${quoted}`,
    warnings,
  };
}

/** Quotes for POSIX shells only when needed. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
