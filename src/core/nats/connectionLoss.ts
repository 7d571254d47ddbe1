import type { NatsConnection } from '@nats-io/transport-node';
import { ConnectionLostError } from './natsErrors';

/**
 * Calls `onLost` once when `nc` disconnects or closes while a long call runs on it; returns the disposer. A push
 * consumer's deliveries stop without any error when the server goes away, so a scan must watch for this itself.
 */
export function watchConnectionLoss(
  nc: NatsConnection,
  during: string,
  onLost: (err: ConnectionLostError) => void,
): () => void {
  let done = false;
  const lost = () => {
    if (done) return;
    done = true;
    onLost(new ConnectionLostError(during));
  };
  const status = nc.status();
  void (async () => {
    for await (const s of status) {
      if (done) break;
      if (s.type === 'disconnect' || s.type === 'close') lost();
    }
  })().catch(() => undefined);
  if (nc.isClosed()) lost();
  return () => {
    done = true;
    // nats.js's status iterator has stop(); returning from it would wait for the next status.
    (status as { stop?: () => void }).stop?.();
  };
}
