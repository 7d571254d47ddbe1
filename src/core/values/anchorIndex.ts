// Which node each alias names, found in one walk of the document. The yaml library's `Alias.resolve(doc)` walks the
// whole document on every call, so resolving every alias that way is quadratic in the file's size.
import { isAlias, isCollection, isPair, type Alias, type Document, type Node } from 'yaml';

export interface AliasProblem {
  alias: Alias;
  /** `undefined`: no anchor of that name before it; `recursive`: it sits inside the node its anchor names. */
  kind: 'undefined' | 'recursive';
}

interface AnchorIndex {
  targets: Map<Alias, Node>;
  problems: AliasProblem[];
}

const indexes = new WeakMap<Document, AnchorIndex>();

// Document order, as YAML reads anchors: a node's anchor before its children, a pair's key before its value.
function build(doc: Document): AnchorIndex {
  const anchors = new Map<string, Node>();
  const index: AnchorIndex = { targets: new Map(), problems: [] };
  const open = new Set<Node>();
  const visit = (node: unknown): void => {
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (!target) index.problems.push({ alias: node, kind: 'undefined' });
      else if (open.has(target)) index.problems.push({ alias: node, kind: 'recursive' });
      else index.targets.set(node, target);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const n = node as Node;
    if (n.anchor) anchors.set(n.anchor, n);
    if (!isCollection(n)) return;
    open.add(n);
    for (const item of n.items) {
      if (isPair(item)) {
        visit(item.key);
        visit(item.value);
      } else visit(item);
    }
    open.delete(n);
  };
  visit(doc.contents);
  return index;
}

function indexOf(doc: Document): AnchorIndex {
  let index = indexes.get(doc);
  if (!index) indexes.set(doc, (index = build(doc)));
  return index;
}

/** The node an alias names, or undefined when it names none (or its own ancestor); never expands anything. */
export function aliasTarget(doc: Document, alias: Alias): Node | undefined {
  return indexOf(doc).targets.get(alias);
}

/** Aliases that name no anchor before them, or a node that contains them: Helm refuses both. */
export function aliasProblems(doc: Document): readonly AliasProblem[] {
  return indexOf(doc).problems;
}

/** Every alias that names a node, with that node. */
export function aliasTargets(doc: Document): ReadonlyMap<Alias, Node> {
  return indexOf(doc).targets;
}
