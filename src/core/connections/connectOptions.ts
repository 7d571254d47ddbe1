import { readFile } from 'node:fs/promises';
import { credsAuthenticator, nkeyAuthenticator, type ConnectionOptions } from '@nats-io/transport-node';
import { DEFAULT_CONNECT_TIMEOUT_MS } from '../nats/connectionDefaults';
import { readCliContextSecret } from './cliContexts';
import { secretRefOf, type ConnectionSpec, type SecretRef, type SecretSource } from './connectionSpec';

/** A secret the spec references is not available; `explainNatsError` turns it into one sentence. */
export class MissingSecretError extends Error {
  override readonly name = 'MissingSecretError';
  constructor(
    readonly connection: string,
    readonly what: string,
    cause?: unknown,
  ) {
    super(`connection '${connection}' has no ${what}`, { cause });
  }
}

export interface ConnectOptionsOverrides {
  /** Replaces the spec's servers, e.g. with the local end of a port-forward for a cluster target. */
  readonly servers?: readonly string[];
  readonly timeoutMs?: number;
  readonly name?: string;
}

/**
 * What another thread needs to open a connection like a session's own: plain, cloneable data with the secret
 * already resolved (a worker cannot reach VS Code's SecretStorage). Never logged.
 */
export interface ConnectRecipe {
  readonly spec: ConnectionSpec;
  readonly secret: string | undefined;
  readonly overrides: ConnectOptionsOverrides;
  /** Reconnect and ping settings, as the session uses them. */
  readonly tuning?: Pick<
    ConnectionOptions,
    'maxReconnectAttempts' | 'reconnectTimeWait' | 'pingInterval' | 'maxPingOut'
  >;
}

/** nats.js options from a recipe. */
export function recipeConnectOptions(recipe: ConnectRecipe): ConnectionOptions {
  return { ...buildConnectOptions(recipe.spec, recipe.secret, recipe.overrides), ...recipe.tuning };
}

/**
 * Builds nats.js options from a spec, fetching secrets from `secrets` or the files the spec names.
 * Sets `tls` whenever TLS is asked for (v3 ignores the `tls://` scheme) and never `waitOnFirstConnect`.
 * Rejects with `MissingSecretError` when a referenced secret is unset or its file is unreadable.
 */
export async function toConnectOptions(
  spec: ConnectionSpec,
  secrets: SecretSource,
  overrides: ConnectOptionsOverrides = {},
): Promise<ConnectionOptions> {
  return buildConnectOptions(spec, await resolveConnectSecret(spec, secrets), overrides);
}

/** The secret value the spec's auth names, or undefined when it needs none; rejects with `MissingSecretError`. */
export async function resolveConnectSecret(spec: ConnectionSpec, secrets: SecretSource): Promise<string | undefined> {
  const ref = secretRefOf(spec.auth);
  return ref ? resolveSecret(spec.name, ref, spec.auth.kind, secrets) : undefined;
}

/** nats.js options from a spec and its already resolved secret. */
export function buildConnectOptions(
  spec: ConnectionSpec,
  secret: string | undefined,
  overrides: ConnectOptionsOverrides = {},
): ConnectionOptions {
  const servers = [...(overrides.servers ?? spec.servers)];
  const options: ConnectionOptions = {
    servers,
    name: overrides.name ?? `nats-k3s ${spec.name}`,
    timeout: overrides.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
  };
  if (spec.inboxPrefix) options.inboxPrefix = spec.inboxPrefix;
  const wantsTls = spec.tls !== undefined || servers.some((s) => s.startsWith('tls://'));
  if (wantsTls) {
    const tls = spec.tls ?? {};
    options.tls = {
      ...(tls.caFile ? { caFile: tls.caFile } : {}),
      ...(tls.certFile ? { certFile: tls.certFile } : {}),
      ...(tls.keyFile ? { keyFile: tls.keyFile } : {}),
      ...(tls.handshakeFirst ? { handshakeFirst: true } : {}),
    };
  }
  const auth = spec.auth;
  switch (auth.kind) {
    case 'none':
      break;
    case 'userPassword':
      options.user = auth.user;
      options.pass = secret;
      break;
    case 'token':
      options.token = secret;
      break;
    case 'nkey':
      options.authenticator = nkeyAuthenticator(new TextEncoder().encode(secret!.trim()));
      break;
    case 'creds':
      options.authenticator = credsAuthenticator(new TextEncoder().encode(secret!));
      break;
  }
  return options;
}

const WHAT: Record<string, string> = {
  userPassword: 'password',
  token: 'token',
  nkey: 'nkey seed',
  creds: 'credentials',
};

async function resolveSecret(connection: string, ref: SecretRef, kind: string, secrets: SecretSource): Promise<string> {
  const what = WHAT[kind] ?? 'secret';
  let value: string | undefined;
  try {
    if (ref.source === 'secretStore') value = await secrets.get(ref.key);
    else if (ref.source === 'file') value = await readFile(ref.path, 'utf8');
    else value = await readCliContextSecret(ref.path, ref.field);
  } catch (err) {
    const where = ref.source === 'secretStore' ? `secret '${ref.key}'` : ref.path;
    throw new MissingSecretError(connection, `readable ${what} (${where}: ${(err as Error).message})`, err);
  }
  if (!value) {
    const where = ref.source === 'secretStore' ? `stored under '${ref.key}'` : `in ${ref.path}`;
    throw new MissingSecretError(connection, `${what} ${where}`);
  }
  secrets.noteSecret?.(value);
  return value;
}
