// The linter on real values files from public repositories (test/fixtures/values-corpus, sources.json says where each
// comes from and under which licence): each file's outcome is pinned in expected.json, so a change in what the linter
// says about real files shows up here, and a few facts hold whatever the details.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS_DIR, corpusOutcome, corpusSources, expectedOutcomes } from '../../../generators/valuesCorpus';

const sources = corpusSources();
const expected = expectedOutcomes();
const PERMISSIVE = new Set(['Apache-2.0', 'MIT', 'BSD-2-Clause', 'BSD-3-Clause']);

describe('the values corpus: real values files from public repositories', () => {
  it('lists every fixture once, with its repository, path, commit and a licence that allows keeping a copy', () => {
    const files = readdirSync(CORPUS_DIR).filter((f) => f.endsWith('.yaml'));
    assert.deepEqual(sources.map((s) => s.file).sort(), files.sort());
    assert.ok(files.length >= 20, `${files.length} files`);
    for (const s of sources) {
      assert.match(s.commit, /^[0-9a-f]{40}$/, s.file);
      assert.match(s.repo, /^[\w.-]+\/[\w.-]+$/, s.file);
      assert.ok(PERMISSIVE.has(s.licence), `${s.file}: ${s.licence}`);
    }
    assert.deepEqual(Object.keys(expected).sort(), files.sort());
  });

  for (const source of sources) {
    it(`${source.file} (${source.repo}, ${source.chart === 'bitnami' ? "Bitnami's chart" : `written for ${source.writtenFor}`})`, () => {
      const outcome = corpusOutcome(readFileSync(join(CORPUS_DIR, source.file), 'utf8'));
      assert.deepEqual(outcome, expected[source.file]);
    });
  }

  it('no error on a file written for chart 1.x/2.x, and at least one on every file written for 0.x', () => {
    for (const s of sources.filter((x) => x.chart === 'nats-io')) {
      const errors = expected[s.file]!.filter((line) => / error /.test(line));
      if (s.writtenFor === '1.x/2.x' && !s.note) assert.deepEqual(errors, [], s.file);
      if (s.writtenFor === '0.x') assert.ok(errors.length > 0, `${s.file} has no error`);
    }
  });
});
