import * as assert from 'node:assert/strict';
import {
  kineNamespaceLabel,
  kineObjectLabel,
  kineTypeLabel,
  kvKeyLabel,
  sampleWindow,
  subjectLabel,
} from '../../../../src/vscode/explorer/dataLabels';

// A newline splits a tree row, a bidi override reverses what follows ("cod.exe" shows as "exe.doc"), ESC sequences
// reach anything that renders them.
const HOSTILE = 'a\nb\u202eexe.doc\x1b[2J';
const SHOWN = 'a\\u000ab\\u202eexe.doc\\u001b[2J';

describe('tree labels named by server data (kine keys, KV keys, subjects)', () => {
  it('show control characters as \\uXXXX in labels and tooltips, and leave ordinary names alone', () => {
    assert.deepEqual(kineObjectLabel({ name: HOSTILE, key: `/registry/pods/default/${HOSTILE}` }), {
      label: SHOWN,
      tooltip: `/registry/pods/default/${SHOWN}`,
    });
    assert.equal(kineTypeLabel({ resource: HOSTILE }), SHOWN);
    assert.equal(kineNamespaceLabel({ namespace: HOSTILE }), SHOWN);
    assert.deepEqual(kvKeyLabel({ token: HOSTILE, path: `app.${HOSTILE}` }), { label: SHOWN, tooltip: `app.${SHOWN}` });
    assert.deepEqual(subjectLabel({ token: HOSTILE, subject: `orders.${HOSTILE}`, streams: [HOSTILE] }), {
      label: SHOWN,
      tooltip: `orders.${SHOWN}\nstored by ${SHOWN}`,
    });
    assert.deepEqual(kineObjectLabel({ name: 'nginx', key: '/registry/pods/default/nginx' }), {
      label: 'nginx',
      tooltip: '/registry/pods/default/nginx',
    });
  });
});

describe('sampleWindow', () => {
  it('says how long the sample listened, in seconds and then minutes', () => {
    assert.equal(sampleWindow(0), '0 s');
    assert.equal(sampleWindow(44_600), '45 s');
    assert.equal(sampleWindow(60_000), '1 min');
    assert.equal(sampleWindow(185_000), '3 min 5 s');
  });
});
