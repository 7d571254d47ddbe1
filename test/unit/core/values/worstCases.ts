// The most expensive values files the limits still allow (valuesLimits.ts), one per way of being expensive: each is
// just under a limit, so it is read in full. valuesLimits.test.ts bounds what they cost; bench/values/worstCase.ts
// measures it (time and peak memory) for the figures in README.
import { VALUES_LIMITS } from '../../../../src/core/values/valuesLimits';

const { maxBytes, maxDepth, maxTokens, maxExpandedValues } = VALUES_LIMITS;

/** `unit` repeated to fill `budget` characters after `head`, and at most `tokens` tokens of `perUnit` each. */
function fill(head: string, unit: string, perUnit: number, budget = maxBytes - 64, tokens = maxTokens - 50): string {
  const count = Math.min(Math.floor((budget - head.length) / unit.length), Math.floor(tokens / perUnit));
  return head + unit.repeat(count);
}

function lines(count: number, line: (i: number) => string): string {
  let out = '';
  for (let i = 0; i < count; i++) out += line(i);
  return out;
}

export const WORST_CASES: Readonly<Record<string, () => string>> = {
  // Size: text the parser still reads character by character.
  'one 512 KiB block scalar': () =>
    `config:\n  merge:\n    motd: |\n${fill('', '      a line of text in a block scalar\n', 0, maxBytes - 40, Infinity)}`,
  '512 KiB of comments': () => fill('', '# a comment line that nothing reads\n', 0, maxBytes - 64, Infinity),
  // Tokens: keys the schema does not know, with names as long as its own (each is compared with every sibling).
  '16,600 unknown keys': () =>
    `config:\n${lines(Math.floor((maxTokens - 10) / 3), (i) => `  jetstrem${i % 9}x${i}: 1\n`)}`,
  '16,600 duplicate keys': () => `config:\n  merge:\n${'    same: 1\n'.repeat(Math.floor((maxTokens - 10) / 3))}`,
  '50,000 stray tokens (one error each)': () => fill('', ']\n', 1),
  '25,000 list items': () => fill('config:\n  merge:\n    list:\n', '      - 1\n', 2),
  '50,000 documents': () => fill('', '---\n', 1),
  // Depth: every line nested to the limit.
  'lines nested 64 deep': () => fill('', `${'- '.repeat(maxDepth - 1)}x\n`, maxDepth),
  'flow collections nested 64 deep': () =>
    fill('', `- ${'['.repeat(maxDepth - 2)}${']'.repeat(maxDepth - 2)}\n`, 2 * maxDepth - 2),
  // Aliases: expanding to just under the limit.
  'aliases expanding to 100,000 values': () => {
    // Each `aN` expands to twice `aN-1` plus its own three nodes; the file's data holds every `aN` once.
    const per = 40;
    let text = `a0: &a0 [${Array(per).fill('x').join(', ')}]\n`;
    let last = per + 1;
    let total = 1 + last;
    for (let i = 1; total + 2 * last + 3 < maxExpandedValues; i++) {
      text += `a${i}: &a${i} [*a${i - 1}, *a${i - 1}]\n`;
      last = 2 * last + 3;
      total += last;
    }
    return text;
  },
  '12,000 aliases of one map': () => `d: &d {cpu: 1, memory: 2Gi}\n${lines(12_000, (i) => `k${i}: *d\n`)}`,
};
