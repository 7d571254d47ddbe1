// A reader for the proto2 subset go-to-protobuf writes into generated.proto: a package, messages (nested ones too),
// optional/repeated fields and map<K, V> fields. Comments are kept only for the `+protobuf.nullable=true` marker,
// which turns a named slice (`type ExtraValue []string`) into a wrapper message on the wire but a plain array in JSON.

/** @returns {{ pkg: string, messages: Array<{ name: string, nullable: boolean, fields: Array<{ name: string, number: number, label: string, type: string, mapKey?: string, mapValue?: string }> }> }} */
export function parseProtoFile(text) {
  const pkg = /^package\s+([\w.]+)\s*;/m.exec(text)?.[1];
  if (!pkg) throw new Error('a generated.proto has no package line; check that the module version is right.');
  const messages = [];
  const stack = [];
  let comment = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('//')) {
      comment += line + '\n';
      continue;
    }
    const open = /^message\s+(\w+)\s*\{/.exec(line);
    if (open) {
      const name = stack.length ? `${stack.at(-1).name}.${open[1]}` : open[1];
      const message = { name, nullable: comment.includes('+protobuf.nullable=true'), fields: [] };
      messages.push(message);
      stack.push(message);
    } else if (line.startsWith('}') && stack.length) {
      stack.pop();
    } else if (stack.length) {
      const map = /^map\s*<\s*([\w.]+)\s*,\s*([\w.]+)\s*>\s+(\w+)\s*=\s*(\d+)/.exec(line);
      const field = /^(optional|repeated|required)\s+([\w.]+)\s+(\w+)\s*=\s*(\d+)/.exec(line);
      if (map) stack.at(-1).fields.push({ name: map[3], number: Number(map[4]), label: 'map', type: 'map', mapKey: map[1], mapValue: map[2] });
      else if (field) stack.at(-1).fields.push({ name: field[3], number: Number(field[4]), label: field[1], type: field[2] });
    }
    if (line) comment = '';
  }
  return { pkg, messages };
}
