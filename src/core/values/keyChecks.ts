// Duplicate and collection keys, found in one walk with a set per map. The yaml library's own `uniqueKeys` check
// compares each key with every earlier one, which took 28 s on a 0.5 MB map.
import { isAlias, isCollection, isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import { aliasTarget } from './anchorIndex';
import { inlineText } from './messageText';
import { ValuesYamlError } from './valuesYamlError';

function rangeOf(node: unknown): [number, number] {
  const r = (node as Node | null)?.range;
  return r ? [r[0], Math.max(r[1], r[0] + 1)] : [0, 1];
}

/** A key that appears twice in one map, and maps or lists used as keys, each as an error on the key. */
export function keyProblems(doc: Document): ValuesYamlError[] {
  const out: ValuesYamlError[] = [];
  const visit = (node: unknown): void => {
    if (isSeq(node)) {
      for (const item of node.items) visit(item);
      return;
    }
    if (!isMap(node)) return;
    const seen = new Set<unknown>();
    for (const pair of node.items) {
      const key = isAlias(pair.key) ? (aliasTarget(doc, pair.key) ?? pair.key) : pair.key;
      if (isScalar(key)) {
        if (seen.has(key.value))
          out.push(
            new ValuesYamlError(
              rangeOf(pair.key),
              'DUPLICATE_KEY',
              'duplicate-key',
              `\`${inlineText(String(key.value), 40)}\` appears twice in this map; Helm silently keeps only the last one.`,
            ),
          );
        else seen.add(key.value);
      } else if (isCollection(key)) {
        out.push(
          new ValuesYamlError(
            rangeOf(pair.key),
            'NON_STRING_KEY',
            'collection-key',
            'A map or list is used as a key here; Helm accepts only plain keys such as `name:`.',
          ),
        );
      }
      visit(pair.value);
    }
  };
  visit(doc.contents);
  return out;
}
