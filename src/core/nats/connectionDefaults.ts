/** The server every fresh install shows: a NATS server on this machine's standard client port. */
export const DEFAULT_SERVER_URL = 'nats://127.0.0.1:4222';

/** How long a connection attempt may take before it is reported as a timeout. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
