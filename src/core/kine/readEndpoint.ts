/** What a `nats://` URL list or a kine datastore endpoint says about where and how to connect. */
export interface EndpointParts {
  /** `nats://host:port` per server, without credentials or query. */
  readonly servers: string[];
  /** From `nats://user:password@host`; kine and nats-server read the URL's userinfo so. */
  readonly user?: string;
  readonly password?: string;
  /** From `nats://token@host` (userinfo without a colon). */
  readonly token?: string;
  /** kine's `?bucket=` parameter of the first URL. */
  readonly bucket?: string;
}

/**
 * Splits a comma-separated server list, as `--server` and K3s's `--datastore-endpoint` take it, into plain server
 * URLs and the credentials and bucket the first URL carries (percent-decoded, as `buildDatastoreEndpoint` encodes
 * them). A host without a scheme gets `nats://`. Throws a one-sentence Error for a URL that does not parse.
 */
export function readEndpoint(value: string): EndpointParts {
  const parts: { servers: string[]; user?: string; password?: string; token?: string; bucket?: string } = {
    servers: [],
  };
  for (const [i, raw] of value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .entries()) {
    let url: URL;
    try {
      url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `nats://${raw}`);
    } catch {
      throw new Error(`'${raw}' is not a server URL (e.g. nats://127.0.0.1:4222).`);
    }
    if (!url.hostname) throw new Error(`'${raw}' names no host (e.g. nats://127.0.0.1:4222).`);
    parts.servers.push(`${url.protocol}//${url.host}`);
    if (i > 0) continue;
    if (url.username && url.password) {
      parts.user = decodeURIComponent(url.username);
      parts.password = decodeURIComponent(url.password);
    } else if (url.username) parts.token = decodeURIComponent(url.username);
    const bucket = url.searchParams.get('bucket');
    if (bucket) parts.bucket = bucket;
  }
  return parts;
}
