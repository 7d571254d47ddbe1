// The limits that keep reading a values file linear in its size and bounded in time and memory, whatever the file
// holds. The chart's own values.yaml (20 KiB) has under 900 tokens, nests 8 levels and uses no alias, so
// each limit is far above what a real values file needs and far below what makes the yaml library slow or crash:
// - size: the parser takes about 1 µs and 250 bytes of memory per byte of YAML;
// - depth: the yaml library composes nested collections recursively, and a few thousand levels (`- - - … x` in a
//   few kilobytes) overflow the stack, which V8 may report as a fatal out-of-memory error;
// - tokens (keys, values, indicators such as `:`, `-`, `]`): they bound the document the parser builds, its errors
//   (half a million stray `]` made as many errors: 7.6 s and 950 MB) and every walk over the document;
// - alias expansion: `&a [*b, *b, …]` chains double the data per line (an alias bomb).
// - diagnostics: at most 1,000 are listed, so what reaches the extension host (and the Problems view) stays small.
// The most expensive files the limits allow (test/unit/core/values/worstCases.ts: 11 shapes, each just under a limit)
// cost at most 1.7 s and 78 MB above the process's own memory to lint, 1.2 s and 77 MB to migrate, in a fresh process
// on the shared 2-core machine (bench/values/worstCase.ts); 0.1-0.9 s in the warm values worker, which the extension
// host uses so that its own thread never waits (valuesThread.test.ts checks both).

import type { ValuesDiagnostic } from './valuesTypes';

export interface ValuesLimits {
  /** Longer texts (UTF-16 code units, about bytes for YAML) are not read at all. */
  readonly maxBytes: number;
  /** Collections nested deeper than this (block or flow, keys included) stop the read. */
  readonly maxDepth: number;
  /** YAML tokens in the whole file: keys, values, anchors, tags and indicators; not spaces, line breaks or comments. */
  readonly maxTokens: number;
  /** Values that aliases may expand to, counted as Helm would read them. */
  readonly maxExpandedValues: number;
  /** Diagnostics listed for one file; one more says how many were left out. */
  readonly maxDiagnostics: number;
}

export const VALUES_LIMITS: ValuesLimits = {
  maxBytes: 512 * 1024,
  maxDepth: 64,
  maxTokens: 50_000,
  maxExpandedValues: 100_000,
  maxDiagnostics: 1_000,
};

function thousands(n: number): string {
  return n.toLocaleString('en-US');
}

export const limitMessages = {
  tooLarge: (length: number, limits: ValuesLimits = VALUES_LIMITS): string =>
    `The file is ${thousands(Math.ceil(length / 1024))} KiB; values files for the chart are far smaller, and files over ${thousands(limits.maxBytes / 1024)} KiB are not read.`,
  tooDeep: (limits: ValuesLimits = VALUES_LIMITS): string =>
    `The file nests deeper than ${limits.maxDepth} levels here; values files for the chart need far less.`,
  tooManyTokens: (limits: ValuesLimits = VALUES_LIMITS): string =>
    `The file holds more than ${thousands(limits.maxTokens)} YAML tokens (keys, values, \`:\`, \`-\`, brackets); values files for the chart hold about a thousand, so it is not read further.`,
  aliasBomb: (limits: ValuesLimits = VALUES_LIMITS): string =>
    `Aliases in this file expand to more than ${thousands(limits.maxExpandedValues)} values (an alias bomb); Helm refuses such files ("excessive aliasing").`,
};

/** The first `maxDiagnostics` diagnostics, and one more saying how many were left out. */
export function listedDiagnostics(
  diagnostics: ValuesDiagnostic[],
  limits: ValuesLimits = VALUES_LIMITS,
): ValuesDiagnostic[] {
  if (diagnostics.length <= limits.maxDiagnostics) return diagnostics;
  const listed = diagnostics.slice(0, limits.maxDiagnostics);
  const last = listed[listed.length - 1] as ValuesDiagnostic;
  const more = diagnostics.length - listed.length;
  return [
    ...listed,
    {
      range: last.range,
      severity: 'information',
      code: 'limit-exceeded',
      path: '',
      message: `${thousands(more)} more problems are not listed; fix the ones above first.`,
    },
  ];
}
