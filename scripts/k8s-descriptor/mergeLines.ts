// Merges the API messages of several Kubernetes minor lines into one set, so an object written by any of them
// decodes. Protobuf field numbers are never reused in the Kubernetes API, which is what makes a union by number safe.
//
// - A message or kind found only in an older line (a beta API removed later, such as autoscaling/v2beta2) is kept
//   as that line defines it: a bucket upgraded from that line can still hold such objects.
// - Where a message is in several lines, the newest line's fields, order and JSON names win: that is what today's
//   API server prints, and what the proof against the real API server compares with.
// - A field the newest line dropped (an alpha field removed, its number reserved) is kept from the newest line that
//   still had it: an object stored before the upgrade can still carry it. It is placed after the field that preceded
//   it there and printed only when the object holds it (omitempty, omitzero), so objects written by the newest line
//   print exactly as its API server prints them.
// - An older field whose number the newest line gives another JSON name or type is dropped: the newest meaning wins.

/** One field by name: `type` is a scalar name or a message's full protobuf name. */
export interface NamedField {
  readonly number: number;
  readonly json: string;
  readonly type: string;
  readonly flags: string;
  readonly mapKey?: string;
}

export interface NamedMessage {
  readonly special?: string;
  readonly fields: readonly NamedField[];
}

export interface ApiLine {
  readonly version: string;
  /** Full protobuf name → message. */
  readonly messages: ReadonlyMap<string, NamedMessage>;
  /** apiVersion → kind → full protobuf name. */
  readonly groupVersions: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

export interface MergedApi {
  readonly messages: Map<string, NamedMessage>;
  readonly groupVersions: Map<string, Map<string, string>>;
  /** What the older lines added, for the generator's summary. */
  readonly added: { messages: number; kinds: number; fields: number; conflicts: number };
}

/** `lines` oldest first. */
export function mergeLines(lines: readonly ApiLine[]): MergedApi {
  if (!lines.length) throw new Error('no Kubernetes line to merge.');
  const newest = lines[lines.length - 1];
  const messages = new Map(newest.messages);
  const groupVersions = new Map([...newest.groupVersions].map(([gv, kinds]) => [gv, new Map(kinds)] as const));
  const added = { messages: 0, kinds: 0, fields: 0, conflicts: 0 };
  // Newest first, so a dropped field comes from the last line that still had it.
  for (const line of [...lines].reverse().slice(1)) {
    for (const [name, old] of line.messages) {
      const merged = messages.get(name);
      if (!merged) {
        messages.set(name, old);
        added.messages++;
        continue;
      }
      if (merged.special || old.special) continue;
      const fields = [...merged.fields];
      let previous: number | undefined;
      for (const field of old.fields) {
        const same = fields.find((f) => f.number === field.number);
        if (same) {
          if (same.json !== field.json || same.type !== field.type) added.conflicts++;
        } else if (field.json && fields.some((f) => f.json === field.json)) {
          added.conflicts++;
        } else {
          const after = previous === undefined ? -1 : fields.findIndex((f) => f.number === previous);
          const at = previous === undefined ? 0 : after < 0 ? fields.length : after + 1;
          fields.splice(at, 0, droppedField(field));
          added.fields++;
        }
        previous = field.number;
      }
      if (fields.length !== merged.fields.length) messages.set(name, { ...merged, fields });
    }
    for (const [gv, kinds] of line.groupVersions) {
      let into = groupVersions.get(gv);
      if (!into) groupVersions.set(gv, (into = new Map()));
      for (const [kind, message] of kinds) {
        if (into.has(kind)) continue;
        into.set(kind, message);
        added.kinds++;
      }
    }
  }
  return { messages, groupVersions, added };
}

/** A field only older lines have prints only when on the wire (a nil embed prints nothing). */
function droppedField(field: NamedField): NamedField {
  let flags = field.flags;
  for (const f of field.flags.includes('i') ? 'ozp' : 'oz') if (!flags.includes(f)) flags += f;
  return { ...field, flags };
}
