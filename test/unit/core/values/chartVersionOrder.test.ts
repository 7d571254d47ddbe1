import * as assert from 'node:assert/strict';
import { compareChartVersions, newestMatching } from '../../../../src/core/values/chartVersionOrder';

const KNOWN = ['0.19.17', '1.0.0-rc.1', '1.0.0', '1.2.11', '1.3.14', '1.3.15', '1.3.16', '2.12.4', '2.14.0', '2.14.2'];

describe('chart version order and constraints', () => {
  it('orders pre-releases before their release and numbers numerically', () => {
    const sorted = ['1.10.0', '1.0.0', '1.0.0-rc.1', '1.0.0-beta.7', '1.2.0', '1.0.0-rc.0'].sort(compareChartVersions);
    assert.deepEqual(sorted, ['1.0.0-beta.7', '1.0.0-rc.0', '1.0.0-rc.1', '1.0.0', '1.2.0', '1.10.0']);
  });

  for (const [constraint, expected] of [
    ['1.3.14', '1.3.14'],
    ['v1.3.14', '1.3.14'],
    ['~1.3.0', '1.3.16'],
    ['^1.3', '1.3.16'],
    ['1.3.x', '1.3.16'],
    ['1.x', '1.3.16'],
    ['>=1.2.0 <1.3.15', '1.3.14'],
    ['>= 1.2, < 1.3.15', '1.3.14'],
    ['1.2.0 - 1.3.14', '1.3.14'],
    ['~2.12.0 || ~1.2.0', '2.12.4'],
    ['*', '2.14.2'],
    ['>2.14.0', '2.14.2'],
    ['<1.0.0', '0.19.17'],
  ] as const) {
    it(`${constraint} picks ${expected}`, () => assert.equal(newestMatching(constraint, KNOWN), expected));
  }

  it('skips pre-releases unless the constraint names one, and answers undefined for what it cannot read', () => {
    assert.equal(newestMatching('<1.0.1', KNOWN), '1.0.0');
    assert.equal(newestMatching('>=1.0.0-rc.0 <1.0.0', KNOWN), '1.0.0-rc.1');
    assert.equal(newestMatching('{{ .Values.natsVersion }}', KNOWN), undefined);
    assert.equal(newestMatching('>=3.0.0', KNOWN), undefined);
    assert.equal(newestMatching('', KNOWN), undefined);
  });
});
