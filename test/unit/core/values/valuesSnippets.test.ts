import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { completeValues } from '../../../../src/core/values/valuesCompletion';
import { isBlankYaml, parseSnippets, snippetsThatFit } from '../../../../src/core/values/valuesSnippets';
import { repoRoot } from './fixtures';

describe('values snippets: offered only where they fit', () => {
  const snippets = parseSnippets(readFileSync(join(repoRoot, 'snippets', 'nats-values.json'), 'utf8'));

  it('reads every snippet of the shipped file with its top-level keys', () => {
    assert.equal(snippets.length, 10);
    const ha = snippets.find((s) => s.prefix === 'nats-ha-jetstream');
    assert.deepEqual(ha?.topKeys, ['config', 'container']);
  });

  it('a key at column 0 of a 2.x file is where a top-level block fits', () => {
    const text = 'natsBox:\n  enabled: false\n\n';
    assert.deepEqual(completeValues(text, text.length).topLevelKeys, ['natsBox']);
  });

  it('inside config.jetstream, or in a 0.x file, no top-level block fits', () => {
    const text = 'config:\n  jetstream:\n    \n';
    assert.equal(completeValues(text, text.indexOf('    \n') + 4).topLevelKeys, undefined);
    const legacy = '# nats-chart-version: 0.19.17\n\n';
    assert.equal(completeValues(legacy, legacy.length).topLevelKeys, undefined);
  });

  it('a snippet that would repeat a top-level key already in the file is left out', () => {
    const fit = snippetsThatFit(snippets, ['natsBox']).map((s) => s.prefix);
    assert.ok(!fit.includes('nats-natsbox-off'));
    assert.ok(fit.includes('nats-ha-jetstream'));
    assert.ok(!snippetsThatFit(snippets, ['config']).some((s) => s.topKeys.includes('config')));
  });

  it('a malformed snippets file gives no snippets instead of an error', () => {
    assert.deepEqual(parseSnippets('{'), []);
    assert.deepEqual(parseSnippets('{"x": {"prefix": 1, "body": []}}'), []);
  });

  it('a blank YAML text (comments only) is where a values file starts', () => {
    assert.ok(isBlankYaml('\n# values\n'));
    assert.ok(!isBlankYaml('kind: Pod\n'));
  });

  it('the README lists every snippet prefix', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    for (const s of snippets) assert.ok(readme.includes(`\`${s.prefix}\``), `README lacks ${s.prefix}`);
  });
});
