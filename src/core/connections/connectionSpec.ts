/**
 * Where a secret lives. A spec only ever names it; the value is fetched when connecting, so specs can be logged,
 * shown and stored in settings without leaking anything.
 */
export type SecretRef =
  /** A key in the secret store the host provides (VS Code's SecretStorage). */
  | { readonly source: 'secretStore'; readonly key: string }
  /** A file whose whole content is the secret (a creds file, an nkey seed file). */
  | { readonly source: 'file'; readonly path: string }
  /** A string field of a nats CLI context file, re-read at connect time. */
  | {
      readonly source: 'cliContext';
      readonly path: string;
      readonly field: 'password' | 'token' | 'user' | 'user_seed' | 'user_jwt';
    };

export type ConnectionAuth =
  | { readonly kind: 'none' }
  | { readonly kind: 'userPassword'; readonly user: string; readonly password: SecretRef }
  | { readonly kind: 'token'; readonly token: SecretRef }
  /** `seed` resolves to an nkey seed (`SU…`). */
  | { readonly kind: 'nkey'; readonly seed: SecretRef }
  /** `creds` resolves to a decorated creds file's text (JWT + seed). */
  | { readonly kind: 'creds'; readonly creds: SecretRef };

export type AuthKind = ConnectionAuth['kind'];
export const AUTH_KINDS: readonly AuthKind[] = ['none', 'userPassword', 'token', 'nkey', 'creds'];

export interface TlsSpec {
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
  /** The server must be configured with `handshake_first`; not available on 2.9. */
  readonly handshakeFirst?: boolean;
}

/** A K3s/Kubernetes NATS release that a port-forward will make reachable; `servers` may then be empty. */
export interface ClusterTarget {
  readonly context?: string;
  readonly namespace: string;
  readonly release: string;
}

export type ConnectionOrigin = 'default' | 'settings' | 'cliContext';

/** Everything needed to connect, minus secret values. */
export interface ConnectionSpec {
  /** Unique among the connections of one origin; shown in the tree. */
  readonly name: string;
  readonly origin: ConnectionOrigin;
  readonly description?: string;
  readonly servers: readonly string[];
  readonly auth: ConnectionAuth;
  /** Present when TLS is wanted (even with no files: then the system CAs are used). */
  readonly tls?: TlsSpec;
  readonly inboxPrefix?: string;
  readonly jetstream?: { readonly domain?: string; readonly apiPrefix?: string };
  readonly cluster?: ClusterTarget;
  /** Only for CLI contexts: the context the CLI has selected. */
  readonly selected?: boolean;
  /** Only for CLI contexts: the file it came from. */
  readonly file?: string;
}

/** Supplies secret values by key; the VS Code layer backs it with SecretStorage. Resolves undefined when unset. */
export interface SecretSource {
  get(key: string): Promise<string | undefined>;
  /** Told every secret value a connection resolves (from here, a file or a nats context), so a scrubber can hide it. */
  noteSecret?(value: string): void;
}

/** The secret-store key under which a settings connection's password, token or seed is expected by default. */
export function defaultSecretKey(connectionName: string, kind: AuthKind): string {
  return `natsK3s.connection.${connectionName}.${kind}`;
}

/** A secret the spec needs, for prompts such as "enter the password of 'prod'"; undefined when none is stored by key. */
export function secretKeyOf(spec: ConnectionSpec): string | undefined {
  const ref = secretRefOf(spec.auth);
  return ref?.source === 'secretStore' ? ref.key : undefined;
}

export function secretRefOf(auth: ConnectionAuth): SecretRef | undefined {
  switch (auth.kind) {
    case 'userPassword':
      return auth.password;
    case 'token':
      return auth.token;
    case 'nkey':
      return auth.seed;
    case 'creds':
      return auth.creds;
    default:
      return undefined;
  }
}
