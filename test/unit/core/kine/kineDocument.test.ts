import * as assert from 'node:assert/strict';
import { parse } from 'yaml';
import { renderKineDocument } from '../../../../src/core/kine/kineDocument';
import type { KineObjectView } from '../../../../src/core/kine/kineObject';
import { decodeKineBody } from '../../../../src/core/kine/record';
import { encodeKubernetesProtobuf, type FixtureObject } from '../../../generators/kine/protobufWriter';
import { kineMessage } from './hostileValues';

function view(key: string, object: FixtureObject, sensitive = false): KineObjectView {
  const decoded = decodeKineBody(kineMessage(key, encodeKubernetesProtobuf(object)));
  return {
    key,
    kvKey: 'k',
    revision: 42,
    time: new Date(0),
    operation: 'PUT',
    state: 'live',
    decoded,
    sensitive,
    storedRevisions: 1,
  };
}

describe('the kine document of a stored Kubernetes object', () => {
  it('shows a known kind as the API object (resourceVersion from the revision) after how it is stored', () => {
    const text = renderKineDocument(
      view('/registry/configmaps/default/app', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'app', namespace: 'default', uid: 'u-1' },
      }),
      { bucket: 'kine', reveal: false },
    );
    const doc = parse(text) as { value: { encoding: string }; object: Record<string, unknown> };
    assert.equal(doc.value.encoding, 'protobuf');
    assert.deepEqual(doc.object, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'app', namespace: 'default', uid: 'u-1', resourceVersion: '42' },
    });
    assert.doesNotMatch(text, /fields:/);
  });

  it('keeps the field tree for a kind the descriptor does not know, and says why', () => {
    const text = renderKineDocument(
      view('/registry/widgets/default/w', {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'w' },
        spec: [{ field: 1, varint: 3 }],
      }),
      { bucket: 'kine', reveal: false },
    );
    const doc = parse(text) as { object: { kind: string; content: { fields: unknown[]; fieldsNote: string } } };
    assert.equal(doc.object.kind, 'Widget');
    assert.deepEqual(doc.object.content.fields, [
      { field: 2, type: 'message', fields: [{ field: 1, type: 'varint', value: 3 }] },
    ]);
    assert.match(
      doc.object.content.fieldsNote,
      /^The API types this extension knows \(k8s\.io\/api v0\.34\.\d+, v0\.35\.\d+, v0\.36\.\d+\) have no example\.com\/v1 Widget, so its fields are shown by number\.$/,
    );
  });

  it("keeps a Secret's data hidden until revealed, kubectl apply's copy of it too", () => {
    const applied = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', data: { password: 'aHVudGVyMg==' } });
    const secret: FixtureObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 's',
        namespace: 'default',
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': applied },
      },
      spec: [
        { field: 1, text: 'password' },
        { field: 2, text: 'hunter2' },
      ],
    };
    const hidden = renderKineDocument(view('/registry/secrets/default/s', secret, true), {
      bucket: 'kine',
      reveal: false,
    });
    assert.doesNotMatch(hidden, /aHVudGVyMg==|hunter2/);
    assert.match(hidden, /hidden: true/);
    const shown = parse(
      renderKineDocument(view('/registry/secrets/default/s', secret, true), { bucket: 'kine', reveal: true }),
    ) as { object: { data: unknown } };
    assert.deepEqual(shown.object.data, { password: 'aHVudGVyMg==' });
  });
});
