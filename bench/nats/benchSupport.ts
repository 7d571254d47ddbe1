import { NatsSession } from '../../src/core/nats/session';

/** The median of `values`; NaN for none. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const result = await fn();
  return [performance.now() - start, result];
}

/**
 * Runs `a` and `b` `rounds` times each after one warm-up each, in ABBA order (a b, b a, a b, ...), so drift and
 * garbage left by one run hit both alike on a shared machine.
 */
export async function alternate(
  rounds: number,
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
): Promise<[number[], number[]]> {
  await a();
  await b();
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < rounds; i++) {
    if (i % 2 === 0) {
      ta.push((await timed(a))[0]);
      tb.push((await timed(b))[0]);
    } else {
      tb.push((await timed(b))[0]);
      ta.push((await timed(a))[0]);
    }
  }
  return [ta, tb];
}

export async function openSession(url: string): Promise<NatsSession> {
  const s = new NatsSession({
    spec: { name: 'bench', origin: 'settings', servers: [url], auth: { kind: 'none' } },
    secrets: { get: async () => undefined },
    autoRetry: false,
    apiTimeoutMs: 30_000,
  });
  await s.open();
  await s.whenConnected(10_000);
  return s;
}

export function figure(label: string, ours: number, raw: number, unit: string, target: string): void {
  console.log(
    `${label}: ${ours.toFixed(1)} ${unit} vs raw ${raw.toFixed(1)} ${unit} = ${(ours / raw).toFixed(2)}x (target ${target})`,
  );
}

/** Samples the V8 heap every 5 ms while `fn` runs; resolves the peak growth over the heap before it, in MB. */
export async function peakHeapGrowthMb<T>(fn: () => Promise<T>): Promise<[number, T]> {
  (globalThis as { gc?: () => void }).gc?.();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 5);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    return [(peak - base) / 1e6, result];
  } finally {
    clearInterval(timer);
  }
}
