import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chartKeyDataText, keyPaths } from '../../../scripts/chart-versions/keyVersions';
import { readValuesByVersion, VALUES_BY_VERSION_LABEL } from '../../../scripts/chart-versions/valuesByVersion';
import { repoRoot } from '../../harness/tools';

describe('chart key data (scripts/chart-versions)', () => {
  it('the committed src/core/values/chartKeyData.ts equals a fresh run over ../shared (npm run gen:chart-versions)', function () {
    this.timeout(30_000); // parses 102 values files of 20-30 KB each: about a second, more on a loaded machine
    const files = readValuesByVersion(repoRoot);
    assert.ok(files.length >= 100, `${files.length} values files in ${VALUES_BY_VERSION_LABEL}`);
    assert.equal(
      readFileSync(join(repoRoot, 'src/core/values/chartKeyData.ts'), 'utf8'),
      chartKeyDataText(files, VALUES_BY_VERSION_LABEL),
    );
  });

  it('reads map keys at every depth and no list items', () => {
    assert.deepEqual(keyPaths('a:\n  b:\n    c: 1\n  l:\n    - x: 1\nd: {}\n'), ['a', 'a.b', 'a.b.c', 'a.l', 'd']);
  });

  it('orders versions as SemVer and writes each key as ranges of consecutive versions', () => {
    const text = chartKeyDataText(
      [
        { version: '1.0.0', text: 'a: 1\nb: 1\n' },
        { version: '1.0.0-rc.1', text: 'a: 1\n' },
        { version: '1.10.0', text: 'a: 1\nb: 1\n' },
        { version: '1.2.0', text: 'a: 1\n' },
      ],
      'test',
    );
    assert.match(text, /"1\.0\.0-rc\.1",\n {2}"1\.0\.0",\n {2}"1\.2\.0",\n {2}"1\.10\.0",/);
    assert.match(text, /"a": "1\.0\.0-rc\.1\.\.1\.10\.0",/);
    assert.match(text, /"b": "1\.0\.0 1\.10\.0",/);
  });
});
