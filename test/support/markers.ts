import type { SourceText } from '../../server/src/core/source-text';
import type { Span } from '../../server/src/core/finding';

/** One expected finding: a message regex and, optionally, the exact text its range must cover. */
export interface Expectation {
  line: number;
  pattern: RegExp;
  rangeText?: string;
  /** Where the marker is, for error messages. */
  markerLine: number;
}

/** Reads a Go-style double-quoted string at `s[i]`; returns its value and the index after it. */
function readQuoted(s: string, i: number): { value: string; next: number } | undefined {
  if (s[i] !== '"') return undefined;
  let value = '';
  for (let j = i + 1; j < s.length; j++) {
    const c = s[j];
    if (c === '\\' && j + 1 < s.length) {
      const n = s[j + 1];
      value += n === '"' ? '"' : n === '\\' ? '\\\\' : `\\${n}`;
      j++;
    } else if (c === '"') return { value, next: j + 1 };
    else value += c;
  }
  return undefined;
}

/**
 * `want "regex" [@"text"] ["regex" [@"text"]]...` markers (style.md): a marker
 * trailing code covers its own line; alone on its line it covers the next
 * line that is neither blank nor only a comment.
 */
export function parseMarkers(source: SourceText, comments: readonly Span[]): Expectation[] {
  const commentOnly = new Set<number>();
  const hasCodeBefore = (offset: number): boolean => source.text.slice(source.lineStart(source.lineOf(offset)), offset).trim() !== '';
  for (const c of comments) {
    if (!hasCodeBefore(c.start)) for (let l = source.lineOf(c.start); l <= source.lineOf(c.end); l++) commentOnly.add(l);
  }
  const out: Expectation[] = [];
  for (const c of comments) {
    const raw = source.text.slice(c.start, c.end);
    const body = raw.replace(/^(\/\/|\/\*|#)/, '').replace(/\*\/$/, '');
    const at = body.search(/\bwant\s+"/);
    if (at < 0 || body.slice(0, at).trim() !== '') continue;
    const markerLine = source.lineOf(c.start);
    let line = markerLine;
    if (!hasCodeBefore(c.start)) {
      line = source.lineOf(c.end) + 1;
      while (line < source.lineCount && (commentOnly.has(line) || source.lineText(line).trim() === '')) line++;
    }
    let i = at + 4;
    for (;;) {
      while (body[i] === ' ' || body[i] === '\t') i++;
      const q = readQuoted(body, i);
      if (!q) break;
      i = q.next;
      const exp: Expectation = { line, pattern: new RegExp(q.value), markerLine };
      while (body[i] === ' ' || body[i] === '\t') i++;
      if (body[i] === '@') {
        const r = readQuoted(body, i + 1);
        if (!r) throw new Error(`line ${markerLine + 1}: @ must be followed by a quoted string`);
        exp.rangeText = r.value.replace(/\\\\/g, '\\');
        i = r.next;
      }
      out.push(exp);
    }
  }
  return out;
}
