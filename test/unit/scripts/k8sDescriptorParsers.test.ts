import * as assert from 'node:assert/strict';
import { parseGoStructBody } from '../../../scripts/k8s-descriptor/goStructs';
import { parseProtoFile } from '../../../scripts/k8s-descriptor/protoFile';

describe("the k8s descriptor generator's readers", () => {
  it('reads a proto2 file: package, optional, repeated and map fields, nested messages, the nullable marker', () => {
    const file = parseProtoFile(`syntax = "proto2";
package k8s.io.api.example.v1;
// +protobuf.nullable=true
message Outer {
  optional string name = 1;
  repeated k8s.io.apimachinery.pkg.apis.meta.v1.Time times = 2;
  map<string, Inner> inner = 3;
  message Inner {
    optional int64 count = 1;
  }
  // comment between fields
  optional Inner single = 4;
}
`);
    assert.equal(file.pkg, 'k8s.io.api.example.v1');
    assert.deepEqual(
      file.messages.map((m) => [m.name, m.nullable]),
      [
        ['Outer', true],
        ['Outer.Inner', false],
      ],
    );
    assert.deepEqual(file.messages[0].fields, [
      { name: 'name', number: 1, label: 'optional', type: 'string' },
      { name: 'times', number: 2, label: 'repeated', type: 'k8s.io.apimachinery.pkg.apis.meta.v1.Time' },
      { name: 'inner', number: 3, label: 'map', type: 'map', mapKey: 'string', mapValue: 'Inner' },
      { name: 'single', number: 4, label: 'optional', type: 'Inner' },
    ]);
    assert.throws(() => parseProtoFile('message X {}'), /has no package line/);
  });

  it('reads Go struct fields: json name, omitempty, omitzero, inline embeds, pointers, json:"-" and TypeMeta', () => {
    const s = parseGoStructBody(`	metav1.TypeMeta \`json:",inline"\`
	// +optional
	metav1.ObjectMeta \`json:"metadata,omitempty" protobuf:"bytes,1,opt,name=metadata"\`
	VolumeSource \`json:",inline" protobuf:"bytes,2,opt,name=volumeSource"\`
	Ref *string \`json:"$ref,omitempty" protobuf:"bytes,3,opt,name=ref"\`
	Created metav1.Time \`json:"creationTimestamp,omitempty,omitzero" protobuf:"bytes,8,opt,name=creationTimestamp"\`
	Raw []byte \`json:"-" protobuf:"bytes,1,opt,name=raw"\`
`);
    assert.equal(s.typeMeta, true);
    const byName = Object.fromEntries(s.fields.map((f) => [f.goName, f]));
    assert.deepEqual(
      [byName.ObjectMeta.json, byName.ObjectMeta.omitempty, byName.ObjectMeta.inline, byName.ObjectMeta.number],
      ['metadata', true, false, 1],
    );
    assert.deepEqual([byName.VolumeSource.json, byName.VolumeSource.inline, byName.VolumeSource.number], ['', true, 2]);
    assert.deepEqual([byName.Ref.json, byName.Ref.goType, byName.Ref.number], ['$ref', '*string', 3]);
    assert.deepEqual([byName.Created.omitempty, byName.Created.omitzero], [true, true]);
    assert.equal(byName.Raw.skip, true);
    assert.equal(byName.TypeMeta.number, undefined, 'TypeMeta has no protobuf tag, so it is left out of the message');
  });
});
