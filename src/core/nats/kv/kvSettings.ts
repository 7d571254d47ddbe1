/** A bucket's settings as a user edits them; the stream config behind the bucket is derived from these. */
export interface KvBucketSettings {
  /** Revisions kept per key, 1..64. */
  readonly history: number;
  /** 0 means values never expire. */
  readonly ttlMs: number;
  /** -1 means no limit beyond the server's max payload. */
  readonly maxValueSize: number;
  readonly replicas: number;
  readonly storage: 'file' | 'memory';
  readonly description: string;
}

/** What a bucket gets when a field is left alone: the values nats-server and nats.js apply (`nats kv add` too). */
export const KV_DEFAULTS: KvBucketSettings = {
  history: 1,
  ttlMs: 0,
  maxValueSize: -1,
  replicas: 1,
  storage: 'file',
  description: '',
};

/** The server's limit on history (`max_msgs_per_subject` of a KV stream). */
export const MAX_HISTORY = 64;
const MAX_REPLICAS = 5;
const BUCKET_PATTERN = /^[-\w]+$/;

/** One sentence naming the first thing wrong with `name`, or undefined when it is a valid bucket name. */
export function bucketNameProblem(name: string): string | undefined {
  if (!name) return 'A bucket needs a name.';
  if (name.length > 255) return 'A bucket name has at most 255 characters.';
  if (!BUCKET_PATTERN.test(name)) return `'${name}' is not a valid bucket name: use letters, digits, - and _ only.`;
  return undefined;
}

/** One sentence naming the first setting out of range, or undefined when all are valid. */
export function settingsProblem(s: KvBucketSettings): string | undefined {
  if (!Number.isInteger(s.history) || s.history < 1 || s.history > MAX_HISTORY)
    return `History must be a whole number from 1 to ${MAX_HISTORY} (got ${s.history}).`;
  if (!Number.isInteger(s.ttlMs) || s.ttlMs < 0) return 'TTL must be 0 (never expire) or a positive duration.';
  if (s.ttlMs > 0 && s.ttlMs < 1_000) return 'TTL must be at least one second (the server counts in whole seconds).';
  if (!Number.isInteger(s.maxValueSize) || (s.maxValueSize < 1 && s.maxValueSize !== -1))
    return 'Max value size must be -1 (no limit) or a positive number of bytes.';
  if (!Number.isInteger(s.replicas) || s.replicas < 1 || s.replicas > MAX_REPLICAS)
    return `Replicas must be a whole number from 1 to ${MAX_REPLICAS} (got ${s.replicas}).`;
  if (s.storage !== 'file' && s.storage !== 'memory') return 'Storage must be file or memory.';
  if (s.description.length > 4_096) return 'A description has at most 4,096 characters.';
  return undefined;
}

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `15m`, `2h`, `7d`, `500ms`; `0`, `never` or empty is 0. Undefined for anything else. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (t === '' || t === '0' || t === 'never') return 0;
  const m = /^(\d{1,12})(ms|s|m|h|d)$/.exec(t);
  if (!m) return undefined;
  return Number(m[1]) * (UNITS[m[2] as string] as number);
}

/** The shortest exact unit: 7200000 → `2h`, 0 → `never`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return 'never';
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const size = UNITS[unit] as number;
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

const SIZES: Record<string, number> = { '': 1, b: 1, k: 1024, kib: 1024, m: 1024 ** 2, mib: 1024 ** 2 };

/** `1024`, `64KiB`, `1MiB` (also `k`, `m`); `-1`, `unlimited` or empty is -1. Undefined for anything else. */
export function parseSize(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (t === '' || t === '-1' || t === 'unlimited') return -1;
  const m = /^(\d{1,12})\s*(b|k|kib|m|mib)?$/.exec(t);
  if (!m) return undefined;
  return Number(m[1]) * (SIZES[m[2] ?? ''] as number);
}

export function formatSize(bytes: number): string {
  if (bytes === -1) return 'unlimited';
  if (bytes % 1024 ** 2 === 0) return `${bytes / 1024 ** 2}MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024}KiB`;
  return `${bytes}`;
}

/** The settings as lines of text, the same order every time, so two of them diff line by line. */
export function settingsText(bucket: string, s: KvBucketSettings): string {
  return [
    `bucket: ${bucket}`,
    `description: ${JSON.stringify(s.description)}`,
    `history: ${s.history}`,
    `ttl: ${formatDuration(s.ttlMs)}`,
    `max value size: ${formatSize(s.maxValueSize)}`,
    `replicas: ${s.replicas}`,
    `storage: ${s.storage}`,
    '',
  ].join('\n');
}

/** Names of the settings that differ, in display order. */
export function changedSettings(before: KvBucketSettings, after: KvBucketSettings): (keyof KvBucketSettings)[] {
  const keys: (keyof KvBucketSettings)[] = ['description', 'history', 'ttlMs', 'maxValueSize', 'replicas', 'storage'];
  return keys.filter((k) => before[k] !== after[k]);
}
