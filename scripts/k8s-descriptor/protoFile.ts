// A reader for the proto2 subset go-to-protobuf writes into generated.proto: a package, messages (nested ones too),
// optional/repeated fields and map<K, V> fields. Comments are kept only for the `+protobuf.nullable=true` marker,
// which turns a named slice (`type ExtraValue []string`) into a wrapper message on the wire but a plain array in JSON.

export interface ProtoField {
  readonly name: string;
  readonly number: number;
  readonly label: 'optional' | 'repeated' | 'required' | 'map';
  readonly type: string;
  readonly mapKey?: string;
  readonly mapValue?: string;
}

export interface ProtoMessage {
  /** Nested messages are named `Outer.Inner`. */
  readonly name: string;
  readonly nullable: boolean;
  readonly fields: ProtoField[];
}

export interface ProtoFile {
  readonly pkg: string;
  readonly messages: ProtoMessage[];
}

export function parseProtoFile(text: string): ProtoFile {
  const pkg = /^package\s+([\w.]+)\s*;/m.exec(text)?.[1];
  if (!pkg) throw new Error('a generated.proto has no package line; check that the module version is right.');
  const messages: ProtoMessage[] = [];
  const stack: ProtoMessage[] = [];
  let comment = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('//')) {
      comment += `${line}\n`;
      continue;
    }
    const open = /^message\s+(\w+)\s*\{/.exec(line);
    if (open) {
      const name = stack.length ? `${stack[stack.length - 1].name}.${open[1]}` : open[1];
      const message: ProtoMessage = { name, nullable: comment.includes('+protobuf.nullable=true'), fields: [] };
      messages.push(message);
      stack.push(message);
    } else if (line.startsWith('}') && stack.length) {
      stack.pop();
    } else if (stack.length) {
      const map = /^map\s*<\s*([\w.]+)\s*,\s*([\w.]+)\s*>\s+(\w+)\s*=\s*(\d+)/.exec(line);
      const field = /^(optional|repeated|required)\s+([\w.]+)\s+(\w+)\s*=\s*(\d+)/.exec(line);
      if (map)
        stack[stack.length - 1].fields.push({
          name: map[3],
          number: Number(map[4]),
          label: 'map',
          type: 'map',
          mapKey: map[1],
          mapValue: map[2],
        });
      else if (field)
        stack[stack.length - 1].fields.push({
          name: field[3],
          number: Number(field[4]),
          label: field[1] as ProtoField['label'],
          type: field[2],
        });
    }
    if (line) comment = '';
  }
  return { pkg, messages };
}
