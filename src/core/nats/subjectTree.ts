/**
 * The subject tree's plain data, shared by the sampler (subjectSampler.ts builds it incrementally, one level at a time)
 * and its worker protocol.
 */

/** One token of the subject tree (`orders` › `eu` › `created`), as plain data for the tree view. */
export interface SubjectNode {
  readonly token: string;
  /** The subject (or pattern, for stream subjects) this node stands for. */
  readonly subject: string;
  /** Messages seen on this subject and every subject below it. */
  readonly messages: number;
  /** Messages per second on this subject and below, over the last sampling tick. */
  readonly ratePerSec: number;
  /** True when messages were seen on exactly this subject. */
  readonly seen: boolean;
  /** Streams whose subject list contains exactly this subject or pattern. */
  readonly streams: readonly string[];
  readonly children: readonly SubjectNode[];
}

/** A stream's subject list, to merge into the tree. */
export interface StreamSubjects {
  readonly name: string;
  readonly subjects: readonly string[];
}
