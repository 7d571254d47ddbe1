// Chart versions compared as SemVer 2 (pre-releases before their release), and the constraints people pin them with
// in Chart.yaml, helmfile and Argo CD (`1.3.14`, `~1.3.0`, `^1.3`, `1.3.x`, `>=1.2 <2`, `1.x || 2.x`).

interface Parsed {
  core: [number, number, number];
  pre: string[];
}

// Key checks compare the same few hundred versions over and over: parsed once each (bounded, as a pin's text is input).
const parsedCache = new Map<string, Parsed | undefined>();

function parse(version: string): Parsed | undefined {
  if (parsedCache.has(version)) return parsedCache.get(version);
  if (parsedCache.size > 2000) parsedCache.clear();
  const parsed = parseUncached(version);
  parsedCache.set(version, parsed);
  return parsed;
}

function parseUncached(version: string): Parsed | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(version.trim());
  if (!m) return undefined;
  return { core: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] ? m[4].split('.') : [] };
}

/** Orders two versions (negative when `a` is older); unparsable versions sort first, by text. */
export function compareChartVersions(a: string, b: string): number {
  const pa = parse(a);
  const pb = parse(b);
  if (!pa || !pb) return pa ? 1 : pb ? -1 : a.localeCompare(b);
  for (let i = 0; i < 3; i++) if (pa.core[i] !== pb.core[i]) return (pa.core[i] as number) - (pb.core[i] as number);
  if (pa.pre.length === 0 || pb.pre.length === 0) return pb.pre.length - pa.pre.length;
  for (let i = 0; i < Math.min(pa.pre.length, pb.pre.length); i++) {
    const x = pa.pre[i] as string;
    const y = pb.pre[i] as string;
    if (x === y) continue;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) return Number(x) - Number(y);
    if (nx !== ny) return nx ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return pa.pre.length - pb.pre.length;
}

/** True for a full version such as `1.3.14` or `1.0.0-rc.1` (not a range). */
export function isExactVersion(text: string): boolean {
  return parse(text) !== undefined;
}

type Test = (v: Parsed, text: string) => boolean;

// A partial version (`1`, `1.3`, `1.3.x`) as the lowest version it covers and how many parts it fixed.
function partial(text: string): { low: string; fixed: number } | undefined {
  const m = /^v?(\d+)(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(-[0-9A-Za-z.-]+)?$/.exec(text);
  if (!m) return undefined;
  const parts = [m[1], m[2], m[3]];
  let fixed = 0;
  while (fixed < 3 && parts[fixed] !== undefined && /^\d+$/.test(parts[fixed] as string)) fixed++;
  const low = [0, 1, 2].map((i) => (i < fixed ? parts[i] : '0')).join('.') + (fixed === 3 && m[4] ? m[4] : '');
  return { low, fixed };
}

function bump(low: string, index: number): string {
  const p = (parse(low) as Parsed).core.slice();
  p[index] = (p[index] as number) + 1;
  for (let i = index + 1; i < 3; i++) p[i] = 0;
  return `${p.join('.')}-0`;
}

function between(low: string, high: string | undefined): Test {
  return (_v, t) => compareChartVersions(t, low) >= 0 && (high === undefined || compareChartVersions(t, high) < 0);
}

function comparator(op: string, text: string): Test | undefined {
  if (/^[xX*]$/.test(text)) return () => true;
  const p = partial(text);
  if (!p) return undefined;
  const upper = p.fixed === 0 ? undefined : p.fixed === 3 ? undefined : bump(p.low, p.fixed - 1);
  switch (op) {
    case '':
    case '=':
      return p.fixed === 3 ? (_v, t) => compareChartVersions(t, p.low) === 0 : between(p.low, upper);
    case '>=':
      return (_v, t) => compareChartVersions(t, p.low) >= 0;
    case '>':
      return p.fixed === 3 || !upper
        ? (_v, t) => compareChartVersions(t, p.low) > 0
        : (_v, t) => compareChartVersions(t, upper) >= 0;
    case '<':
      return (_v, t) => compareChartVersions(t, p.low) < 0;
    case '<=':
      return p.fixed === 3 || !upper
        ? (_v, t) => compareChartVersions(t, p.low) <= 0
        : (_v, t) => compareChartVersions(t, upper) < 0;
    case '~':
      return between(p.low, bump(p.low, p.fixed >= 2 ? 1 : 0));
    case '^': {
      const core = (parse(p.low) as Parsed).core;
      const index = core[0] !== 0 || p.fixed < 2 ? 0 : core[1] !== 0 || p.fixed < 3 ? 1 : 2;
      return between(p.low, bump(p.low, index));
    }
    default:
      return undefined;
  }
}

/**
 * The newest of `known` that a constraint allows, as helm and Argo CD pick it; pre-releases only when the constraint
 * names one. Undefined when the constraint cannot be read or allows none of them.
 */
export function newestMatching(constraint: string, known: readonly string[]): string | undefined {
  const text = constraint.trim();
  if (isExactVersion(text)) return known.find((k) => compareChartVersions(k, text) === 0) ?? text.replace(/^v/, '');
  const alternatives: Test[][] = [];
  for (const alt of text.split('||')) {
    // `>= 1.2` and `1.2 - 1.4` are written with spaces inside one comparator; join those first.
    const hyphen = /^\s*(\S+)\s+-\s+(\S+)\s*$/.exec(alt);
    const words = hyphen
      ? [`>=${hyphen[1]}`, `<=${hyphen[2]}`]
      : alt
          .replace(/(>=|<=|[<>=~^])\s+/g, '$1')
          .split(/[\s,]+/)
          .filter((w) => w !== '');
    const tests: Test[] = [];
    for (const word of words) {
      const m = /^(>=|<=|>|<|=|~>|~|\^)?(.+)$/.exec(word);
      const test = m ? comparator((m[1] ?? '').replace('~>', '~'), m[2] as string) : undefined;
      if (!test) return undefined;
      tests.push(test);
    }
    if (tests.length > 0) alternatives.push(tests);
  }
  if (alternatives.length === 0) return undefined;
  const allowsPre = /\d-[0-9A-Za-z]/.test(text);
  const sorted = [...known].sort((a, b) => compareChartVersions(b, a));
  return sorted.find((k) => {
    const v = parse(k);
    if (!v || (v.pre.length > 0 && !allowsPre)) return false;
    return alternatives.some((tests) => tests.every((t) => t(v, k)));
  });
}
