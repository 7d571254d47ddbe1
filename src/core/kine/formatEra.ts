import type { EnvelopeFieldOrder } from './envelope';

/**
 * The kine format eras: the ranges of kine versions whose NATS driver writes records a reader can tell apart
 * (kine-format.md §6). The layout is the same since v0.9; these differ in key style, JSON field order, headers,
 * delete pattern and the compaction key. The last era has no end: kine's NATS driver has written the same records
 * from v0.14.10 through v0.17.5, the newest read (v0.15.0 only keeps a trailing `/` of a key, which Kubernetes keys
 * never have; v0.16 and v0.17 changed replay and watches, not what is stored). A fixture writer uses these names
 * to write a bucket as such a kine would.
 */
export type KineFormatEra = 'v0.9-v0.10' | 'v0.11-v0.13.15' | 'v0.13.16-v0.14.3' | 'v0.14.4-v0.14.9' | 'v0.14.10+';

export const FORMAT_ERAS: readonly KineFormatEra[] = [
  'v0.9-v0.10',
  'v0.11-v0.13.15',
  'v0.13.16-v0.14.3',
  'v0.14.4-v0.14.9',
  'v0.14.10+',
];

/** The newest kine whose NATS driver was read for the eras above. */
export const NEWEST_KINE_READ = 'v0.17.5';

/** What was seen in a bucket; every field is optional so a reader can pass what it sampled. */
export interface EraObservations {
  /** A key whose first token is `meta`. */
  readonly metaKey?: boolean;
  /** A single-token key that decodes to `compact_rev_key_apiserver` (no `meta`). */
  readonly legacyCompactKey?: boolean;
  /** Field orders of sampled envelopes. */
  readonly fieldOrders?: readonly EnvelopeFieldOrder[];
  /** Whether sampled PUTs carried `Nats-Expected-Last-Subject-Sequence`. */
  readonly expectedSequenceHeaders?: readonly boolean[];
}

export interface EraDetection {
  /** The earliest era consistent with every observation (the writer is at least this new). */
  readonly era: KineFormatEra;
  /**
   * The kine versions the observations prove, as a user reads it: `v0.14.4 or newer`, `v0.11 to v0.14.3`. Data proves
   * an upper bound only where a newer kine would have written something else (the old JSON field order, a PUT
   * without the expected-sequence header); otherwise it is `… or newer`.
   */
  readonly label: string;
  /** The first and, when proven, the last kine version of `label`. */
  readonly from: string;
  readonly to?: string;
  /** One short sentence per observation that decided it. */
  readonly evidence: readonly string[];
}

/** Picks the newest era any observation proves; with no evidence at all it answers the oldest, `v0.9-v0.10`. */
export function detectFormatEra(obs: EraObservations): EraDetection {
  const evidence: string[] = [];
  let rank = 0;
  const atLeast = (era: KineFormatEra, why: string) => {
    evidence.push(why);
    rank = Math.max(rank, FORMAT_ERAS.indexOf(era));
  };
  if (obs.metaKey) atLeast('v0.14.10+', 'a key starts with the meta token (kine v0.14.10+)');
  const current = obs.fieldOrders?.includes('v0.14.4+');
  if (current) atLeast('v0.14.4-v0.14.9', 'records carry "Version" in the Key, Value, … order (kine v0.14.4+)');
  if (obs.legacyCompactKey) {
    atLeast('v0.13.16-v0.14.3', 'compact_rev_key_apiserver is stored without meta (kine v0.13.16–v0.14.9)');
  }
  const headers = obs.expectedSequenceHeaders ?? [];
  if (headers.includes(true))
    atLeast('v0.11-v0.13.15', 'writes carry Nats-Expected-Last-Subject-Sequence (kine v0.11+)');
  if (rank === 0) {
    if (headers.length) evidence.push('writes carry no Nats-Expected-Last-Subject-Sequence (kine v0.9–v0.10)');
    else evidence.push('no evidence of a newer writer');
  }
  const era = FORMAT_ERAS[rank];
  const from = era.replace(/[-+].*$/, '');
  // Upper bounds: kine v0.11+ puts the header on every write, v0.14.4+ writes the new field order.
  const to =
    rank === 0 && headers.length > 0
      ? 'v0.10'
      : rank <= 2 && !current && obs.fieldOrders?.includes('v0.9-v0.14.3')
        ? 'v0.14.3'
        : undefined;
  if (!to && rank >= 3) evidence.push(`kine ${NEWEST_KINE_READ}, the newest read, writes this same format`);
  return { era, label: to ? `${from} to ${to}` : `${from} or newer`, from, to, evidence };
}

/** What a single stored record proves on its own (field order and header): it cannot see the bucket's meta keys. */
export function recordEra(
  fieldOrder: EnvelopeFieldOrder,
  hasExpectedSequenceHeader: boolean | undefined,
): EraDetection {
  return detectFormatEra({
    fieldOrders: [fieldOrder],
    expectedSequenceHeaders: hasExpectedSequenceHeader === undefined ? [] : [hasExpectedSequenceHeader],
  });
}
