import type { EnvelopeFieldOrder } from './envelope';

/**
 * The kine format eras a reader can tell apart from the data (kine-format.md §6). The layout is the same since
 * v0.9; these differ in key style, JSON field order, headers, delete pattern and the compaction key.
 */
export type KineFormatEra = 'v0.9-v0.10' | 'v0.11-v0.13.15' | 'v0.13.16-v0.14.3' | 'v0.14.4-v0.14.9' | 'v0.14.10+';

export const FORMAT_ERAS: readonly KineFormatEra[] = [
  'v0.9-v0.10',
  'v0.11-v0.13.15',
  'v0.13.16-v0.14.3',
  'v0.14.4-v0.14.9',
  'v0.14.10+',
];

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
  if (obs.expectedSequenceHeaders?.includes(true))
    atLeast('v0.11-v0.13.15', 'writes carry Nats-Expected-Last-Subject-Sequence (kine v0.11+)');
  if (rank === 0) {
    if (obs.expectedSequenceHeaders?.length)
      evidence.push('writes carry no Nats-Expected-Last-Subject-Sequence (kine v0.9–v0.10)');
    else evidence.push('no evidence of a newer writer');
  }
  return { era: FORMAT_ERAS[rank], evidence };
}

/** The era a single stored record proves on its own (field order and header). */
export function recordEra(
  fieldOrder: EnvelopeFieldOrder,
  hasExpectedSequenceHeader: boolean | undefined,
): KineFormatEra {
  return detectFormatEra({
    fieldOrders: [fieldOrder],
    expectedSequenceHeaders: hasExpectedSequenceHeader === undefined ? [] : [hasExpectedSequenceHeader],
  }).era;
}
