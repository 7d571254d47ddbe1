/**
 * The values corpus (test/fixtures/values-corpus): real values files from public repositories, each listed with its
 * source in sources.json, and the linter's outcome for each in expected.json. `corpusOutcome` is the one way an
 * outcome is written down; run this file with `--write` (after `node scripts/build.mjs`) to record the linter's
 * current outcome when a change to it is meant to change what the corpus gets, then read the diff of expected.json.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeValues } from '../../src/core/values/analyzeValues';
import { repoRoot } from '../harness/tools';

export const CORPUS_DIR = join(repoRoot, 'test', 'fixtures', 'values-corpus');

export interface CorpusSource {
  readonly file: string;
  readonly repo: string;
  readonly path: string;
  readonly commit: string;
  /** SPDX id of the source repository's licence. */
  readonly licence: string;
  /** `bitnami` for Bitnami's look-alike `nats` chart, which the linter does not recognise yet (issue 17, item 2). */
  readonly chart: 'nats-io' | 'bitnami';
  /** The chart the author wrote the file for: `0.x`, `1.x/2.x`, or a Bitnami version. */
  readonly writtenFor: string;
  readonly pinned?: string;
  readonly umbrella: boolean;
  readonly note?: string;
}

export function corpusSources(): CorpusSource[] {
  return JSON.parse(readFileSync(join(CORPUS_DIR, 'sources.json'), 'utf8')) as CorpusSource[];
}

/** One line per diagnostic, `L<line> <severity> <code>[:<check>] <path>`, after the values root the linter found. */
export function corpusOutcome(text: string): string[] {
  const analysis = analyzeValues(text);
  return [
    `root ${analysis.valuesRoot.join('.') || '-'}`,
    ...analysis.diagnostics.map(
      (d) => `L${d.range.start.line + 1} ${d.severity} ${d.code}${d.check ? `:${d.check}` : ''} ${d.path || '-'}`,
    ),
  ];
}

export function expectedOutcomes(): Record<string, string[]> {
  return JSON.parse(readFileSync(join(CORPUS_DIR, 'expected.json'), 'utf8')) as Record<string, string[]>;
}

if (require.main === module && process.argv.includes('--write')) {
  const outcomes: Record<string, string[]> = {};
  for (const source of corpusSources())
    outcomes[source.file] = corpusOutcome(readFileSync(join(CORPUS_DIR, source.file), 'utf8'));
  writeFileSync(join(CORPUS_DIR, 'expected.json'), `${JSON.stringify(outcomes, null, 1)}\n`);
  process.stdout.write(`wrote the outcome of ${Object.keys(outcomes).length} files to expected.json\n`);
}
