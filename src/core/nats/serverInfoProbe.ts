import { connect as tcpConnect } from 'node:net';

/** The fields of a NATS server's INFO line that a datastore check reads (NATS client protocol, INFO). */
export interface ProbedServerInfo {
  readonly server_name?: string;
  readonly version?: string;
  readonly cluster?: string;
  readonly jetstream?: boolean;
  readonly auth_required?: boolean;
  readonly tls_required?: boolean;
  /** The server accepts TLS but does not insist (nats-server 2.10+ with `allow_non_tls`). */
  readonly tls_available?: boolean;
  /** The server asks every client for a certificate. */
  readonly tls_verify?: boolean;
  readonly connect_urls?: string[];
}

/** The most an INFO line may take; a server's is a few hundred bytes, a large cluster's connect_urls a few KiB. */
const MAX_INFO_BYTES = 64 * 1024;

/**
 * Opens a plain TCP connection, reads the INFO line every NATS server sends first, and closes. Needs no credentials
 * and no TLS (the server sends INFO before either), so it tells what the server requires before connecting.
 * Rejects with one sentence when nothing listens, nothing answers in `timeoutMs`, or the answer is not NATS.
 */
export function probeServerInfo(hostPort: string, timeoutMs: number): Promise<ProbedServerInfo> {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(hostPort);
  if (!m) return Promise.reject(new Error(`${hostPort} is not host:port.`));
  const host = m[1] ?? m[2];
  const port = Number(m[3]);
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host, port });
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (err: Error | undefined, info?: ProbedServerInfo) => {
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(info!);
    };
    const timer = setTimeout(
      () => done(new Error(`${hostPort} accepted no NATS connection within ${timeoutMs} ms.`)),
      timeoutMs,
    );
    socket.on('error', (err: NodeJS.ErrnoException) =>
      done(
        new Error(
          err.code === 'ECONNREFUSED'
            ? `nothing listens on ${hostPort}.`
            : err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN'
              ? `the host of ${hostPort} does not resolve.`
              : `${hostPort} cannot be reached (${err.code ?? err.message}).`,
        ),
      ),
    );
    socket.on('close', () => done(new Error(`${hostPort} closed the connection before saying INFO.`)));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      const all = Buffer.concat(chunks, size);
      const end = all.indexOf('\r\n');
      if (end < 0) {
        if (size > MAX_INFO_BYTES) done(new Error(`${hostPort} sent more than 64 KiB without an INFO line.`));
        return;
      }
      const line = all.subarray(0, end).toString('utf8');
      if (!line.startsWith('INFO ')) {
        done(new Error(`${hostPort} is not a NATS server (its first line is not INFO).`));
        return;
      }
      try {
        done(undefined, JSON.parse(line.slice(5)) as ProbedServerInfo);
      } catch {
        done(new Error(`${hostPort} sent an INFO line that is not JSON.`));
      }
    });
  });
}
