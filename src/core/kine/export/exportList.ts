import { stringify } from 'yaml';
import type { ApiObject } from './recoveryRules';

export type ExportFormat = 'yaml' | 'json';

/**
 * The objects as one `kind: List` (apiVersion v1), the shape `kubectl get -o yaml` prints and `kubectl apply -f`
 * takes, in pieces of one object each, so a caller can write them as they come.
 */
export function* exportListChunks(objects: readonly ApiObject[], format: ExportFormat): Generator<string> {
  if (format === 'json') {
    yield '{\n  "apiVersion": "v1",\n  "kind": "List",\n  "items": [';
    for (let i = 0; i < objects.length; i++)
      yield `${i ? ',' : ''}\n    ${JSON.stringify(objects[i], null, 2).replace(/\n/g, '\n    ')}`;
    yield `${objects.length ? '\n  ' : ''}]\n}\n`;
    return;
  }
  yield `apiVersion: v1\nkind: List\nitems:${objects.length ? '' : ' []'}\n`;
  for (const o of objects) yield asListItem(stringify(o, { lineWidth: 0 }));
}

/** The whole List as one string. */
export function exportListText(objects: readonly ApiObject[], format: ExportFormat): string {
  return [...exportListChunks(objects, format)].join('');
}

/** One YAML document as an item of a block sequence: `- ` before the first line, two spaces before the others. */
function asListItem(doc: string): string {
  const lines = doc.replace(/\n$/, '').split('\n');
  // Indenting every line alike keeps block scalars intact; empty lines stay empty.
  return `${lines.map((l, i) => (i === 0 ? `- ${l}` : l === '' ? '' : `  ${l}`)).join('\n')}\n`;
}
