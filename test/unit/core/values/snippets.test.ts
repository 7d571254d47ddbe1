import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeValues } from '../../../../src/core/values/analyzeValues';
import { repoRoot } from './fixtures';

// Expands a snippet body with each placeholder's default, as VS Code does when the user just tabs through.
function expand(body: string[]): string {
  return body
    .join('\n')
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\d+/g, '')
    .replace(/\\\$/g, '$');
}

describe('values snippets', () => {
  const snippets = JSON.parse(readFileSync(join(repoRoot, 'snippets', 'nats-values.json'), 'utf8')) as Record<
    string,
    { prefix: string; body: string[] }
  >;

  it('has one snippet per common shape', () => {
    assert.equal(Object.keys(snippets).length, 10);
  });

  for (const [name, snippet] of Object.entries(snippets)) {
    it(`"${name}" expands to values with no errors`, () => {
      const errors = analyzeValues(expand(snippet.body)).diagnostics.filter((d) => d.severity === 'error');
      assert.deepEqual(
        errors.map((d) => d.message),
        [],
      );
    });
  }
});
