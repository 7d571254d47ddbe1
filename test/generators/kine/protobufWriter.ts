// A minimal protobuf writer for fixtures: builds `k8s\0` + runtime.Unknown around an object whose field 1 is
// ObjectMeta, as the apiserver stores built-in types (kine-format.md §7.2). Not a general serializer.

export type FixtureField =
  | { readonly field: number; readonly varint: number }
  | { readonly field: number; readonly text: string }
  | { readonly field: number; readonly message: readonly FixtureField[] };

export interface FixtureObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly uid?: string;
    /** Unix seconds. */
    readonly creationTimestamp?: number;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  /** Field 2 of the object (the spec in most types). */
  readonly spec?: readonly FixtureField[];
  /** Field 3 (the status in most types). */
  readonly status?: readonly FixtureField[];
}

/** Encodes a fixture object the way the apiserver's protobuf serializer lays it out (fields in number order). */
export function encodeKubernetesProtobuf(obj: FixtureObject): Uint8Array {
  const m = obj.metadata;
  const meta: FixtureField[] = [{ field: 1, text: m.name }];
  if (m.namespace !== undefined) meta.push({ field: 3, text: m.namespace });
  if (m.uid !== undefined) meta.push({ field: 5, text: m.uid });
  if (m.creationTimestamp !== undefined) meta.push({ field: 8, message: [{ field: 1, varint: m.creationTimestamp }] });
  for (const [k, v] of Object.entries(m.labels ?? {}))
    meta.push({
      field: 11,
      message: [
        { field: 1, text: k },
        { field: 2, text: v },
      ],
    });
  for (const [k, v] of Object.entries(m.annotations ?? {}))
    meta.push({
      field: 12,
      message: [
        { field: 1, text: k },
        { field: 2, text: v },
      ],
    });
  const object: FixtureField[] = [{ field: 1, message: meta }];
  if (obj.spec) object.push({ field: 2, message: obj.spec });
  if (obj.status) object.push({ field: 3, message: obj.status });
  const unknown = encodeFields([
    {
      field: 1,
      message: [
        { field: 1, text: obj.apiVersion },
        { field: 2, text: obj.kind },
      ],
    },
    { field: 2, message: object },
    { field: 3, text: '' },
    { field: 4, text: '' },
  ]);
  const out = new Uint8Array(4 + unknown.length);
  out.set([0x6b, 0x38, 0x73, 0x00]);
  out.set(unknown, 4);
  return out;
}

export function encodeFields(fields: readonly FixtureField[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const f of fields) {
    if ('varint' in f) {
      parts.push(varint(f.field * 8), varint(f.varint));
      continue;
    }
    const bytes = 'text' in f ? Buffer.from(f.text, 'utf8') : encodeFields(f.message);
    parts.push(varint(f.field * 8 + 2), varint(bytes.length), bytes);
  }
  return Buffer.concat(parts);
}

function varint(n: number): Uint8Array {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return Uint8Array.from(out);
}
