/**
 * The NATS services ("micro") protocol v1, as replies to `$SRV.PING|INFO|STATS[.name[.id]]`, read into plain data.
 * Replies come from any process on the bus, so every field is checked and anything else is ignored.
 */

export type ServiceVerb = 'PING' | 'INFO' | 'STATS';

export const REPLY_TYPES: Record<ServiceVerb, string> = {
  PING: 'io.nats.micro.v1.ping_response',
  INFO: 'io.nats.micro.v1.info_response',
  STATS: 'io.nats.micro.v1.stats_response',
};

/** `$SRV.INFO`, `$SRV.INFO.orders` or `$SRV.INFO.orders.<id>`. */
export function verbSubject(verb: ServiceVerb, name?: string, id?: string): string {
  return ['$SRV', verb, name, name ? id : undefined].filter(Boolean).join('.');
}

export interface ServiceIdentity {
  readonly name: string;
  readonly id: string;
  readonly version: string;
  readonly metadata: Readonly<Record<string, string>>;
}

export interface EndpointInfo {
  readonly name: string;
  readonly subject: string;
  readonly queueGroup?: string;
  readonly metadata: Readonly<Record<string, string>>;
}

export interface EndpointStats {
  readonly name: string;
  readonly subject: string;
  readonly requests: number;
  readonly errors: number;
  readonly lastError?: string;
  /** Total and average processing time, converted from the protocol's nanoseconds. */
  readonly processingMs: number;
  readonly averageMs: number;
}

export interface InfoReply extends ServiceIdentity {
  readonly description?: string;
  readonly endpoints: EndpointInfo[];
}

export interface StatsReply extends ServiceIdentity {
  readonly started?: string;
  readonly endpoints: EndpointStats[];
}

/** Most endpoints read from one reply: a service with more is shown with the first ones only. */
export const MAX_ENDPOINTS = 1_000;

const decoder = new TextDecoder();

/** The reply as an object of the verb's type, or undefined when it is not one. */
function parse(data: Uint8Array, verb: ServiceVerb): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(data));
  } catch {
    return undefined;
  }
  if (!isRecord(value) || value.type !== REPLY_TYPES[verb]) return undefined;
  return typeof value.name === 'string' && typeof value.id === 'string' ? value : undefined;
}

export function parseIdentity(data: Uint8Array, verb: ServiceVerb = 'PING'): ServiceIdentity | undefined {
  const v = parse(data, verb);
  return v && identity(v);
}

export function parseInfo(data: Uint8Array): InfoReply | undefined {
  const v = parse(data, 'INFO');
  if (!v) return undefined;
  const endpoints = (Array.isArray(v.endpoints) ? v.endpoints : []).slice(0, MAX_ENDPOINTS).flatMap((e) => {
    if (!isRecord(e) || typeof e.name !== 'string' || typeof e.subject !== 'string') return [];
    const queueGroup = str(e.queue_group);
    return [
      { name: e.name, subject: e.subject, metadata: stringMap(e.metadata), ...(queueGroup ? { queueGroup } : {}) },
    ];
  });
  const description = str(v.description);
  return { ...identity(v), endpoints, ...(description ? { description } : {}) };
}

export function parseStats(data: Uint8Array): StatsReply | undefined {
  const v = parse(data, 'STATS');
  if (!v) return undefined;
  const endpoints = (Array.isArray(v.endpoints) ? v.endpoints : []).slice(0, MAX_ENDPOINTS).flatMap((e) => {
    if (!isRecord(e) || typeof e.name !== 'string' || typeof e.subject !== 'string') return [];
    const lastError = str(e.last_error);
    return [
      {
        name: e.name,
        subject: e.subject,
        requests: num(e.num_requests),
        errors: num(e.num_errors),
        processingMs: num(e.processing_time) / 1e6,
        averageMs: num(e.average_processing_time) / 1e6,
        ...(lastError ? { lastError } : {}),
      },
    ];
  });
  const started = str(v.started);
  return { ...identity(v), endpoints, ...(started ? { started } : {}) };
}

function identity(v: Record<string, unknown>): ServiceIdentity {
  return { name: v.name as string, id: v.id as string, version: str(v.version) ?? '', metadata: stringMap(v.metadata) };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0;
}

function stringMap(v: unknown): Record<string, string> {
  if (!isRecord(v)) return {};
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
