// A reader for the Go structs of an API package: per struct, its fields in declaration order (which is the order
// encoding/json writes them) with the json tag (name, omitempty, omitzero, inline), the protobuf field number and
// whether the Go type is a pointer. Enough for the API types, which keep one field a line.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface GoField {
  readonly goName: string;
  /** As written: `*metav1.Time`, `[]Container`, `map[string]string`. */
  readonly goType: string;
  /** The json tag's name; empty for an inline embed. */
  readonly json: string;
  readonly omitempty: boolean;
  readonly omitzero: boolean;
  readonly inline: boolean;
  /** `json:"-"`: never in JSON. */
  readonly skip: boolean;
  /** The protobuf tag's field number, when it has one. */
  readonly number?: number;
}

export interface GoStruct {
  /** Embeds metav1.TypeMeta: a kind of its own. */
  readonly typeMeta: boolean;
  readonly fields: GoField[];
}

export function readGoStructs(dir: string): Map<string, GoStruct> {
  const structs = new Map<string, GoStruct>();
  for (const file of readdirSync(dir)) {
    if (
      !file.endsWith('.go') ||
      file.endsWith('_test.go') ||
      file.startsWith('zz_generated') ||
      file.startsWith('generated.')
    )
      continue;
    const text = readFileSync(join(dir, file), 'utf8');
    for (const m of text.matchAll(/^type (\w+) struct \{\n([\s\S]*?)^\}/gm)) structs.set(m[1], parseGoStructBody(m[2]));
  }
  return structs;
}

/** The fields of one struct body (the lines between its braces). */
export function parseGoStructBody(body: string): GoStruct {
  const fields: GoField[] = [];
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
export function readGroupName(dir: string): string | undefined {
  for (const file of ['register.go', 'doc.go']) {
    let text: string;
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
