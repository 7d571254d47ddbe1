/** One token of the subject tree (`orders` › `eu` › `created`), as plain data for the tree view. */
export interface SubjectNode {
  readonly token: string;
  /** The subject (or pattern, for stream subjects) this node stands for. */
  readonly subject: string;
  /** Messages seen on this subject and every subject below it. */
  readonly messages: number;
  /** Messages per second on this subject and below, over the last sampling tick. */
  readonly ratePerSec: number;
  /** True when messages were seen on exactly this subject. */
  readonly seen: boolean;
  /** Streams whose subject list contains exactly this subject or pattern. */
  readonly streams: readonly string[];
  readonly children: readonly SubjectNode[];
}

/** A subject with its counts, as the sampler keeps it. */
export interface SubjectCount {
  readonly subject: string;
  readonly messages: number;
  readonly ratePerSec: number;
}

/** A stream's subject list, to merge into the tree. */
export interface StreamSubjects {
  readonly name: string;
  readonly subjects: readonly string[];
}

interface Building {
  token: string;
  subject: string;
  messages: number;
  ratePerSec: number;
  seen: boolean;
  streams: string[];
  children: Map<string, Building>;
}

/**
 * Builds the token tree from flat subject counts and stream subject lists (wildcard tokens such as `*` and `>`
 * become nodes of their own). Children are sorted by token; counts roll up to every ancestor.
 */
export function buildSubjectTree(counts: Iterable<SubjectCount>, streams: readonly StreamSubjects[] = []): readonly SubjectNode[] {
  const root: Building = node('', '');
  for (const c of counts) {
    let at = root;
    at.messages += c.messages;
    for (const [token, subject] of tokens(c.subject)) {
      at = child(at, token, subject);
      at.messages += c.messages;
      at.ratePerSec += c.ratePerSec;
    }
    at.seen = true;
  }
  for (const s of streams) {
    for (const pattern of s.subjects) {
      let at = root;
      for (const [token, subject] of tokens(pattern)) at = child(at, token, subject);
      if (!at.streams.includes(s.name)) at.streams.push(s.name);
    }
  }
  return freeze(root).children;
}

function* tokens(subject: string): Generator<[string, string]> {
  let start = 0;
  while (start <= subject.length) {
    const dot = subject.indexOf('.', start);
    const end = dot < 0 ? subject.length : dot;
    yield [subject.slice(start, end), subject.slice(0, end)];
    if (dot < 0) return;
    start = dot + 1;
  }
}

function node(token: string, subject: string): Building {
  return { token, subject, messages: 0, ratePerSec: 0, seen: false, streams: [], children: new Map() };
}

function child(parent: Building, token: string, subject: string): Building {
  let c = parent.children.get(token);
  if (!c) {
    c = node(token, subject);
    parent.children.set(token, c);
  }
  return c;
}

function freeze(b: Building): SubjectNode {
  const children = [...b.children.values()].sort((x, y) => (x.token < y.token ? -1 : x.token > y.token ? 1 : 0)).map(freeze);
  return { token: b.token, subject: b.subject, messages: b.messages, ratePerSec: Math.round(b.ratePerSec * 10) / 10, seen: b.seen, streams: b.streams, children };
}

/** The node for `subject` in a built tree, or undefined. */
export function findSubjectNode(roots: readonly SubjectNode[], subject: string): SubjectNode | undefined {
  let level = roots;
  let found: SubjectNode | undefined;
  for (const token of subject.split('.')) {
    found = level.find((n) => n.token === token);
    if (!found) return undefined;
    level = found.children;
  }
  return found;
}
