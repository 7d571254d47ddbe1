import type { StreamConfig } from '@nats-io/jetstream';

/** The JSON a user edits for a stream: the server's config, every field spelled out. */
export type StreamConfigJson = Record<string, unknown> & { name: string };

/** Largest config document read: a real one is a few KB; anything bigger is not a config. */
export const MAX_CONFIG_CHARS = 256 * 1024;

const NS_PER_SECOND = 1_000_000_000;

/**
 * What nats-server fills in for a stream created with only a name and subjects (2.9 – 2.14), so the user sees every
 * field and its default before creating, as the server will report it afterwards.
 */
export const STREAM_DEFAULTS = {
  retention: 'limits',
  max_consumers: -1,
  max_msgs: -1,
  max_bytes: -1,
  max_age: 0,
  max_msgs_per_subject: -1,
  max_msg_size: -1,
  discard: 'old',
  storage: 'file',
  num_replicas: 1,
  duplicate_window: 120 * NS_PER_SECOND,
  allow_direct: false,
  allow_rollup_hdrs: false,
  deny_delete: false,
  deny_purge: false,
  sealed: false,
} as const;

/** A new stream's document: the given name and subjects with every default beside them. */
export function streamConfigTemplate(name: string, subjects: readonly string[]): StreamConfigJson {
  return { name, subjects: [...subjects], ...STREAM_DEFAULTS };
}

/** The editable part of a server's config, pretty-printed; fields the server adds and owns are dropped. */
export function streamConfigText(config: StreamConfig | StreamConfigJson): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}

const ENUMS: Record<string, readonly string[]> = {
  retention: ['limits', 'interest', 'workqueue'],
  discard: ['old', 'new'],
  storage: ['file', 'memory'],
  compression: ['none', 's2'],
};
const INTEGERS = [
  'max_consumers',
  'max_msgs',
  'max_bytes',
  'max_age',
  'max_msgs_per_subject',
  'max_msg_size',
  'num_replicas',
  'duplicate_window',
  'first_seq',
];
const BOOLEANS = [
  'allow_direct',
  'allow_rollup_hdrs',
  'deny_delete',
  'deny_purge',
  'sealed',
  'mirror_direct',
  'discard_new_per_subject',
  'allow_msg_ttl',
];
/** Stream names may not hold what a subject token cannot (nats-server's rule), nor path separators. */
const NAME_PATTERN = /^[^\s.*>/\\]+$/;

/** A config document that does not parse or breaks a rule the server would reject it for. */
export class StreamConfigError extends Error {
  override readonly name = 'StreamConfigError';
}

/**
 * Reads and checks a stream config document; throws `StreamConfigError` with one sentence naming the field.
 * Fields this does not know are passed to the server unchanged, so a newer server's options still work.
 */
export function parseStreamConfig(text: string): StreamConfigJson {
  if (text.length > MAX_CONFIG_CHARS)
    throw new StreamConfigError(
      `The config is ${text.length} characters, over the ${MAX_CONFIG_CHARS} a stream config may have; remove what is not config.`,
    );
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new StreamConfigError(`The config is not valid JSON (${(err as Error).message}); fix it and apply again.`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new StreamConfigError('The config must be a JSON object with at least a "name"; fix it and apply again.');
  const cfg = raw as Record<string, unknown>;
  const bad = (field: string, rule: string) => new StreamConfigError(`"${field}" ${rule}; fix it and apply again.`);
  if (typeof cfg.name !== 'string' || !NAME_PATTERN.test(cfg.name))
    throw bad('name', 'must be a non-empty string without spaces, dots, *, >, / or \\');
  if (cfg.subjects !== undefined) {
    if (!Array.isArray(cfg.subjects) || cfg.subjects.some((s) => typeof s !== 'string' || !s.trim() || /\s/.test(s)))
      throw bad('subjects', 'must be a list of subjects without spaces');
  }
  for (const [field, allowed] of Object.entries(ENUMS)) {
    if (cfg[field] !== undefined && !allowed.includes(cfg[field] as string))
      throw bad(field, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
  }
  for (const field of INTEGERS) {
    const v = cfg[field];
    if (v !== undefined && (typeof v !== 'number' || !Number.isSafeInteger(v) || v < -1))
      throw bad(field, 'must be a whole number, -1 for unlimited where the server allows it');
  }
  for (const field of BOOLEANS) {
    if (cfg[field] !== undefined && typeof cfg[field] !== 'boolean') throw bad(field, 'must be true or false');
  }
  const replicas = cfg.num_replicas;
  if (typeof replicas === 'number' && (replicas < 1 || replicas > 5)) throw bad('num_replicas', 'must be 1 to 5');
  if (cfg.description !== undefined && typeof cfg.description !== 'string') throw bad('description', 'must be text');
  return cfg as StreamConfigJson;
}

/** One field whose value an edit changes. */
export interface ConfigChange {
  readonly field: string;
  readonly before: unknown;
  readonly after: unknown;
  /** True when applying it can remove stored messages (a lower limit, a subject dropped, sealing). */
  readonly removesData: boolean;
}

const LIMITS = ['max_msgs', 'max_bytes', 'max_age', 'max_msgs_per_subject'];

/** The fields `after` changes from `before`, in `after`'s order then removed ones; equal JSON counts as unchanged. */
export function configChanges(before: Record<string, unknown>, after: Record<string, unknown>): ConfigChange[] {
  const fields = [...new Set([...Object.keys(after), ...Object.keys(before)])];
  const out: ConfigChange[] = [];
  for (const field of fields) {
    const a = before[field];
    const b = after[field];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    out.push({ field, before: a, after: b, removesData: removesData(field, a, b) });
  }
  return out;
}

function removesData(field: string, before: unknown, after: unknown): boolean {
  if (LIMITS.includes(field)) {
    const lim = (v: unknown) => (typeof v === 'number' && v > 0 ? v : Number.POSITIVE_INFINITY);
    return lim(after) < lim(before);
  }
  if (field === 'subjects') {
    const kept = new Set(Array.isArray(after) ? after : []);
    return (Array.isArray(before) ? before : []).some((s) => !kept.has(s));
  }
  if (field === 'sealed') return after === true;
  return false;
}

/** `max_msgs: -1 → 100, subjects: [...] → [...]`, short enough for a modal's detail. */
export function describeChanges(changes: readonly ConfigChange[]): string {
  const show = (v: unknown) => {
    const s = v === undefined ? '(unset)' : JSON.stringify(v);
    return s.length > 60 ? `${s.slice(0, 57)}...` : s;
  };
  return changes.map((c) => `${c.field}: ${show(c.before)} → ${show(c.after)}`).join('\n');
}
