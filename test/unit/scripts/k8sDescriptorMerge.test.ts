import * as assert from 'node:assert/strict';
import { type ApiLine, mergeLines, type NamedField } from '../../../scripts/k8s-descriptor/mergeLines';

const field = (number: number, json: string, type = 'string', flags = ''): NamedField => ({
  number,
  json,
  type,
  flags,
});
const line = (version: string, messages: [string, NamedField[]][], kinds: [string, string, string][]): ApiLine => {
  const groupVersions = new Map<string, Map<string, string>>();
  for (const [gv, kind, message] of kinds) {
    if (!groupVersions.has(gv)) groupVersions.set(gv, new Map());
    groupVersions.get(gv)!.set(kind, message);
  }
  return { version, messages: new Map(messages.map(([n, fields]) => [n, { fields }])), groupVersions };
};

describe('k8s descriptor: merging the Kubernetes minor lines', () => {
  const old = line(
    'v0.34',
    [
      ['a.v1.Spec', [field(1, 'name'), field(7, 'alphaRef', 'a.v1.Ref', 'p'), field(2, 'replicas', 'int32')]],
      ['a.v1.Ref', [field(1, 'name')]],
      ['b.v2beta2.Scaler', [field(1, 'metadata')]],
      ['a.v1.Renamed', [field(1, 'oldName')]],
    ],
    [
      ['b/v2beta2', 'Scaler', 'b.v2beta2.Scaler'],
      ['a/v1', 'Thing', 'a.v1.Spec'],
    ],
  );
  const newest = line(
    'v0.36',
    [
      ['a.v1.Spec', [field(1, 'name'), field(2, 'replicas', 'int32'), field(9, 'added')]],
      ['a.v1.Renamed', [field(1, 'newName')]],
    ],
    [['a/v1', 'Thing', 'a.v1.Spec']],
  );
  const merged = mergeLines([old, newest]);

  it('keeps a message and kind only the older line has', () => {
    assert.deepEqual(merged.groupVersions.get('b/v2beta2')?.get('Scaler'), 'b.v2beta2.Scaler');
    assert.ok(merged.messages.has('a.v1.Ref'));
    assert.equal(merged.added.kinds, 1);
  });

  it('keeps the newest order and adds a dropped field after its old neighbour, printed only when stored', () => {
    assert.deepEqual(
      merged.messages.get('a.v1.Spec')?.fields.map((f) => [f.json, f.flags]),
      [
        ['name', ''],
        ['alphaRef', 'poz'],
        ['replicas', ''],
        ['added', ''],
      ],
    );
  });

  it('lets the newest line win where a number means something else now', () => {
    assert.deepEqual(
      merged.messages.get('a.v1.Renamed')?.fields.map((f) => f.json),
      ['newName'],
    );
    assert.equal(merged.added.conflicts, 1);
  });
});
