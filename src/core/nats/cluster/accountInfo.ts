import type { JetStreamAccountStats } from '@nats-io/jetstream';
import type { NatsAccess } from '../session';

/** The connection's account as JetStream sees it: usage against limits, overall and per replica tier. */
export interface AccountReport {
  readonly domain?: string;
  readonly apiLevel?: number;
  readonly apiRequests: number;
  readonly apiErrors: number;
  readonly tiers: readonly AccountTier[];
}

/** -1 in a limit means unlimited, as the server reports it. */
export interface AccountTier {
  /** `all` for the account's totals; `R1`, `R3`… for a tier. */
  readonly tier: string;
  readonly memory: { readonly used: number; readonly limit: number };
  readonly storage: { readonly used: number; readonly limit: number };
  readonly streams: { readonly used: number; readonly limit: number };
  readonly consumers: { readonly used: number; readonly limit: number };
  readonly maxAckPending: number;
}

/** `jsm.getAccountInfo()`, as plain data. */
export async function accountReport(access: NatsAccess): Promise<AccountReport> {
  const a = await (await access.jetstreamManager()).getAccountInfo();
  return toReport(a);
}

export function toReport(a: JetStreamAccountStats): AccountReport {
  const tier = (name: string, t: Omit<JetStreamAccountStats, 'api'>): AccountTier => ({
    tier: name,
    memory: { used: t.memory, limit: t.limits.max_memory },
    storage: { used: t.storage, limit: t.limits.max_storage },
    streams: { used: t.streams, limit: t.limits.max_streams },
    consumers: { used: t.consumers, limit: t.limits.max_consumers },
    maxAckPending: t.limits.max_ack_pending,
  });
  const tiers = [tier('all', a)];
  for (const [name, t] of Object.entries(a.tiers ?? {}).sort(([x], [y]) => (x < y ? -1 : 1)))
    if (t) tiers.push(tier(name, t as Omit<JetStreamAccountStats, 'api'>));
  return {
    domain: a.domain || undefined,
    apiLevel: a.api.level,
    apiRequests: a.api.total,
    apiErrors: a.api.errors,
    tiers,
  };
}
