import type { TextEditData } from '../core/finding';
import type { SourceText } from '../core/source-text';
import type { DirectiveSyntax } from '../core/adapter';

const LINE_DIRECTIVE = /^(\s*(?:\/\/|#)\s*shipshape:ignore\s+)([^\s,]+(?:\s*,\s*[^\s,]+)*)/;
const FILE_DIRECTIVE = /^(\s*(?:\/\/|#)\s*shipshape:ignore-file\s+)([^\s,]+(?:\s*,\s*[^\s,]+)*)/;

/** Adds `id` to a directive's id list when the line holds one; undefined otherwise. */
function extendDirective(source: SourceText, line: number, pattern: RegExp, ruleId: string): TextEditData | undefined {
  const m = pattern.exec(source.lineText(line));
  if (!m) return undefined;
  const ids = m[2].split(',').map((s) => s.trim());
  const at = source.lineStart(line) + m[1].length + m[2].length;
  return ids.includes(ruleId) ? { start: at, end: at, newText: '' } : { start: at, end: at, newText: `,${ruleId}` };
}

/**
 * "Ignore <id> on this line": a directive alone on the line above the finding,
 * indented like it (the one form every language has), or the id added to a
 * directive already there.
 */
export function ignoreLineEdit(source: SourceText, syntax: DirectiveSyntax, ruleId: string, offset: number): TextEditData {
  const line = source.lineOf(offset);
  if (line > 0) {
    const extended = extendDirective(source, line - 1, LINE_DIRECTIVE, ruleId);
    if (extended) return extended;
  }
  const start = source.lineStart(line);
  const indent = source.indentationAt(start);
  return { start, end: start, newText: `${indent}${syntax.lineComment} shipshape:ignore ${ruleId}${source.eol}` };
}

/**
 * "Ignore <id> in this file": extends an existing `shipshape:ignore-file`, or
 * adds one where it cannot change meaning: in Go after the package clause (above
 * it would join the package doc comment), in a Dockerfile after its parser
 * directives (`# syntax=` must stay first), in YAML on the first line.
 */
export function ignoreFileEdit(source: SourceText, syntax: DirectiveSyntax, ruleId: string): TextEditData {
  for (let line = 0; line < source.lineCount; line++) {
    const extended = extendDirective(source, line, FILE_DIRECTIVE, ruleId);
    if (extended) return extended;
  }
  const line = syntax.fileDirectiveLine(source);
  const comment = `${syntax.lineComment} shipshape:ignore-file ${ruleId}`;
  if (line >= source.lineCount) {
    // The insertion point is past the last line: start a new line first.
    return { start: source.length, end: source.length, newText: `${source.length > 0 && !/[\r\n]$/.test(source.text) ? source.eol : ''}${comment}${source.eol}` };
  }
  const start = source.lineStart(line);
  return { start, end: start, newText: `${comment}${source.eol}` };
}
