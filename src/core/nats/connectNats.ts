import {
  NatsConnectionImpl,
  setTransportFactory,
  type ConnectionOptions,
  type NatsConnection,
} from '@nats-io/transport-node';
import { NodeTransport, nodeResolveHost } from '@nats-io/transport-node/lib/node_transport';

/**
 * nats.js's transport, except that closing one that never finished connecting destroys its socket. nats.js 3.4
 * ignores close() on such a transport (nats-io/nats.js#64), so every attempt that timed out against a port that
 * accepts and never sends INFO kept its socket open: a session leaked one per retry, and the CLI never exited.
 */
class ClosingNodeTransport extends NodeTransport {
  override close(err?: Error): Promise<void> {
    if (!this.connected) {
      this.discard();
      return Promise.resolve();
    }
    return super.close(err);
  }
}

/**
 * Connects like `connect()` from `@nats-io/transport-node` (same options, same errors), and frees the socket of every
 * attempt that fails. Use it for every connection the extension and the CLI open.
 */
export function connectNats(options: ConnectionOptions): Promise<NatsConnection> {
  // The factory is global in nats-core; transport-node's own connect() sets it the same way on every call.
  setTransportFactory({ factory: () => new ClosingNodeTransport(), dnsResolveFn: nodeResolveHost });
  return NatsConnectionImpl.connect(options);
}
