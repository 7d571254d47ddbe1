// Kubernetes quantities (`10Gi`, `512M`, `1e9`) and NATS/Go size strings (`8MB`, `4GiB`) as byte counts.

const BINARY_SUFFIX: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL_SUFFIX: Record<string, number> = { '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** Bytes of a Kubernetes quantity, or undefined when it is not one (a `<< >>` template, a typo). */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*([0-9]+(?:\.[0-9]+)?(?:[eE][0-9]+)?)\s*(Ki|Mi|Gi|Ti|Pi|Ei|k|K|M|G|T|P|E)?\s*$/.exec(value);
  if (!m) return undefined;
  const factor = m[2] === undefined ? 1 : (BINARY_SUFFIX[m[2]] ?? DECIMAL_SUFFIX[m[2]] ?? 1);
  return Number(m[1]) * factor;
}

/** Bytes of a Go GOMEMLIMIT value (`B`, `KiB`, `MiB`, `GiB`, `TiB`), or undefined when Go would refuse it. */
export function parseGoMemLimit(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*(B|KiB|MiB|GiB|TiB)?\s*$/.exec(value);
  if (!m) return undefined;
  const factor = { B: 1, KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40 }[m[2] ?? 'B'] ?? 1;
  return Number(m[1]) * factor;
}

/** True for a size with a unit (`8MB`, `1Gi`) that nats.conf only reads when wrapped as `<< 8MB >>`. */
export function isBareSizeWithUnit(value: unknown): boolean {
  return (
    typeof value === 'string' &&
    /^\s*\d+(?:\.\d+)?\s*(?:[KMGTP]i?B?|[kKMGTP]B?)\s*$/.test(value) &&
    !/^\s*\d+\s*$/.test(value)
  );
}
