import { AnalysisSlot } from './analysis-slot';
/**
 * The ONLY place that converts between the internal unit — a UTF-16 code-unit
 * offset into the document string — and the positions hosts need: LSP
 * line/character (UTF-16, lines broken at `\n`, `\r\n` and lone `\r`), the CLI's
 * 1-based line:column, and UTF-8 byte offsets. Parsers' own rows/columns break
 * lines on `\n` only, so nothing else in the code base may compute lines.
 */
export interface LspPosition {
  line: number;
  character: number;
}

export interface LineCol {
  /** 1-based line. */
  line: number;
  /** 1-based column in UTF-16 code units, as editors count them. */
  column: number;
}

export class SourceText {
  /** Results of content-only analyses (`on: 'text'`) of this text. */
  readonly analyses = new AnalysisSlot();
  private lineStartsCache: number[] | undefined;

  constructor(readonly text: string) {}

  get length(): number {
    return this.text.length;
  }

  /** Offsets at which each line starts; built on first use. */
  get lineStarts(): readonly number[] {
    if (!this.lineStartsCache) this.lineStartsCache = computeLineStarts(this.text);
    return this.lineStartsCache;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** 0-based line index containing `offset` (clamped to the text). */
  lineOf(offset: number): number {
    const starts = this.lineStarts;
    const target = clamp(offset, 0, this.text.length);
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= target) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  positionAt(offset: number): LspPosition {
    const o = clamp(offset, 0, this.text.length);
    const line = this.lineOf(o);
    // An offset between \r and \n belongs to the line end, not a new column.
    const character = Math.min(o, this.lineContentEnd(line)) - this.lineStarts[line];
    return { line, character };
  }

  offsetAt(position: LspPosition): number {
    const starts = this.lineStarts;
    if (position.line < 0) return 0;
    if (position.line >= starts.length) return this.text.length;
    const start = starts[position.line];
    return clamp(start + Math.max(0, position.character), start, this.lineContentEnd(position.line));
  }

  lineCol(offset: number): LineCol {
    const p = this.positionAt(offset);
    return { line: p.line + 1, column: p.character + 1 };
  }

  /** UTF-8 byte offset of a UTF-16 offset (for tools that count bytes). */
  byteOffset(offset: number): number {
    const o = clamp(offset, 0, this.text.length);
    return Buffer.byteLength(this.text.slice(0, o), 'utf8');
  }

  lineStart(line: number): number {
    return this.lineStarts[clamp(line, 0, this.lineStarts.length - 1)];
  }

  /** Offset of the end of the line's content, before its line break. */
  lineContentEnd(line: number): number {
    const starts = this.lineStarts;
    const l = clamp(line, 0, starts.length - 1);
    let end = l + 1 < starts.length ? starts[l + 1] : this.text.length;
    if (end > starts[l] && this.text.charCodeAt(end - 1) === LF) end--;
    if (end > starts[l] && this.text.charCodeAt(end - 1) === CR) end--;
    return end;
  }

  /** Offset where the next line starts (or the text end on the last line). */
  lineEndIncludingBreak(line: number): number {
    const starts = this.lineStarts;
    return line + 1 < starts.length ? starts[line + 1] : this.text.length;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineContentEnd(line));
  }

  /** Leading spaces/tabs of the line holding `offset`. */
  indentationAt(offset: number): string {
    const text = this.lineText(this.lineOf(offset));
    let i = 0;
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
    return text.slice(0, i);
  }

  /** The line break this document uses most (for inserted lines). */
  get eol(): string {
    const crlf = this.text.indexOf('\r\n');
    if (crlf >= 0) return '\r\n';
    const lf = this.text.indexOf('\n');
    const cr = this.text.indexOf('\r');
    if (cr >= 0 && (lf < 0 || cr < lf)) return '\r';
    return '\n';
  }
}

const LF = 10;
const CR = 13;

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === CR) {
      if (text.charCodeAt(i + 1) === LF) i++;
      starts.push(i + 1);
    } else if (c === LF) {
      starts.push(i + 1);
    }
  }
  return starts;
}

function clamp(n: number, lo: number, hi: number): number {
  return n < lo ? lo : n > hi ? hi : n;
}
