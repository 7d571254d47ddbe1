import type { TextPosition, TextRange } from './valuesTypes';

/** Converts offsets to 0-based line/character positions with one pass over the text. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))] ?? 0;
  }

  /** End of the line's content, before its line break. */
  lineEnd(line: number): number {
    const next = line + 1 < this.starts.length ? (this.starts[line + 1] ?? this.text.length) - 1 : this.text.length;
    return next > 0 && this.text[next - 1] === '\r' ? next - 1 : next;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }

  position(offset: number): TextPosition {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - (this.starts[lo] ?? 0) };
  }

  offset(position: TextPosition): number {
    return Math.min(this.lineStart(position.line) + position.character, this.lineEnd(position.line));
  }

  range(startOffset: number, endOffset: number): TextRange {
    const s = Math.max(0, Math.min(startOffset, this.text.length));
    const e = Math.max(s, Math.min(endOffset, this.text.length));
    return { start: this.position(s), end: this.position(e), startOffset: s, endOffset: e };
  }
}
