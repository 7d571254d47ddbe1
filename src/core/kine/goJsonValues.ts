// How Go's API types print a few values in JSON (k8s-protobuf.md §4): meta/v1 Time and MicroTime, time.Duration.

/** meta/v1 Time: UTC RFC 3339 in whole seconds (`2023-11-14T22:13:20Z`), as `Time.MarshalJSON`. */
export function rfc3339Seconds(seconds: bigint): string {
  const iso = isoOf(seconds);
  return iso ? `${iso}Z` : String(seconds);
}

/** meta/v1 MicroTime: UTC RFC 3339 with always six fraction digits, as `MicroTime.MarshalJSON`. */
export function rfc3339Micros(seconds: bigint, nanos: bigint): string {
  const iso = isoOf(seconds + nanos / 1_000_000_000n);
  const micros = (((nanos % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n) / 1000n;
  return iso ? `${iso}.${micros.toString().padStart(6, '0')}Z` : String(seconds);
}

/** `2023-11-14T22:13:20` without zone, or undefined beyond what Date represents. */
function isoOf(seconds: bigint): string | undefined {
  const ms = Number(seconds) * 1000;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return undefined;
  return new Date(ms).toISOString().slice(0, 19);
}

/** Go's `time.Duration.String()`: `1h2m3.5s`, `1m30s`, `500ms`, `0s`. */
export function goDuration(nanos: bigint): string {
  if (nanos === 0n) return '0s';
  const sign = nanos < 0n ? '-' : '';
  let u = nanos < 0n ? -nanos : nanos;
  if (u < 1000n) return `${sign}${u}ns`;
  if (u < 1_000_000n) return `${sign}${fraction(u, 1000n)}µs`;
  if (u < 1_000_000_000n) return `${sign}${fraction(u, 1_000_000n)}ms`;
  const hours = u / 3_600_000_000_000n;
  u %= 3_600_000_000_000n;
  const minutes = u / 60_000_000_000n;
  u %= 60_000_000_000n;
  return `${sign}${hours ? `${hours}h` : ''}${hours || minutes ? `${minutes}m` : ''}${fraction(u, 1_000_000_000n)}s`;
}

function fraction(value: bigint, unit: bigint): string {
  const whole = value / unit;
  const rest = value % unit;
  if (rest === 0n) return String(whole);
  const digits = String(unit).length - 1;
  return `${whole}.${rest.toString().padStart(digits, '0').replace(/0+$/, '')}`;
}
