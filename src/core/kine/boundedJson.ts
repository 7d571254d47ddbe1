import { formatCount, type DecodeBudget } from './decodeBudget';

/**
 * A copy of a parsed JSON value within `budget`: at most its nodes (array items and object keys), its depth and its
 * text. What is left out is replaced, where it was, by a string starting with `…` that says what was cut; the
 * budget remembers the first such place. Recursion stops at the depth limit, so printing the copy cannot overflow
 * the stack however deep the input was.
 */
export function boundedJson(value: unknown, budget: DecodeBudget, path = '$', depth = 0): unknown {
  if (typeof value === 'string') return boundedString(value, budget, path);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= budget.limits.maxDepth) return `… ${budget.depthCut(path)}`;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      if (!budget.node()) {
        out.push(`… ${budget.nodeCut(`${path} after ${formatCount(i)} items`, value.length - i, 'items')}`);
        break;
      }
      out.push(boundedJson(value[i], budget, `${path}[${i}]`, depth + 1));
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  const keys = Object.keys(value);
  for (const [i, key] of keys.entries()) {
    if (!budget.node()) {
      out['…'] = budget.nodeCut(`${path} after ${formatCount(i)} keys`, keys.length - i, 'keys');
      break;
    }
    const shownKey = boundedString(key, budget, `${path} key ${i + 1}`);
    out[shownKey] = boundedJson(
      (value as Record<string, unknown>)[key],
      budget,
      `${path}.${shownKey.slice(0, 64)}`,
      depth + 1,
    );
  }
  return out;
}

function boundedString(text: string, budget: DecodeBudget, path: string): string {
  // Counted in UTF-16 units, which bound the UTF-8 bytes within a factor of 3 and need no encoding.
  const shown = budget.text(text.length);
  if (shown >= text.length) return text;
  return `${text.slice(0, shown)}… (${budget.textCut(path, shown, text.length, 'characters')})`;
}
