// A reader for the Go structs of an API package: per struct, its fields in declaration order (which is the order
// encoding/json writes them) with the json tag (name, omitempty, omitzero, inline), the protobuf field number and
// whether the Go type is a pointer. Enough for the API types, which keep one field a line.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** @returns {Map<string, { typeMeta: boolean, fields: Array<{ goName: string, goType: string, json: string, omitempty: boolean, omitzero: boolean, inline: boolean, skip: boolean, number?: number }> }>} */
export function readGoStructs(dir) {
  const structs = new Map();
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.go') || file.endsWith('_test.go') || file.startsWith('zz_generated') || file.startsWith('generated.')) continue;
    const text = readFileSync(join(dir, file), 'utf8');
    for (const m of text.matchAll(/^type (\w+) struct \{\n([\s\S]*?)^\}/gm)) structs.set(m[1], parseBody(m[2]));
  }
  return structs;
}

function parseBody(body) {
  const fields = [];
  let typeMeta = false;
  for (const raw of body.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('//')) continue;
    const m = /^(?:(\w+)\s+)?([^\s`]+)\s+`([^`]*)`/.exec(line);
    if (!m) continue;
    const [, name, goType, tags] = m;
    if (!name && /(^|\.)TypeMeta$/.test(goType)) typeMeta = true;
    const json = /json:"([^"]*)"/.exec(tags)?.[1];
    const proto = /protobuf:"[^,"]*,(\d+),/.exec(tags);
    const [jsonName = '', ...opts] = (json ?? '').split(',');
    fields.push({
      goName: name ?? goType.replace(/^\*/, '').split('.').pop(),
      goType,
      json: jsonName,
      omitempty: opts.includes('omitempty'),
      omitzero: opts.includes('omitzero'),
      // An embedded struct with an empty JSON name is flattened into its parent (`json:",inline"`, or `json:""`).
      inline: !name && jsonName === '',
      skip: json === '-' || jsonName === '-',
      number: proto ? Number(proto[1]) : undefined,
    });
  }
  return { typeMeta, fields };
}

/** The API group a package serves: `const GroupName = "apps"` in register.go, else `+groupName=` in doc.go. */
export function readGroupName(dir) {
  for (const file of ['register.go', 'doc.go']) {
    let text;
    try {
      text = readFileSync(join(dir, file), 'utf8');
    } catch {
      continue;
    }
    const m = /GroupName\s*=\s*"([^"]*)"/.exec(text) ?? /\+groupName=([\w.-]*)/.exec(text);
    if (m) return m[1];
  }
  return undefined;
}
