/** Text edits over Go source that keep gofmt's layout: line removal, import insertion, top-level insertion. */
import type { Node } from 'web-tree-sitter';
import type { TextEditData } from '../engine/finding';
import type { GoFile } from './go';

/** Line ending of the file (`\r\n` when it uses any). */
export function eolOf(file: GoFile): string {
  return file.source.text.includes('\r\n') ? '\r\n' : '\n';
}

/** Offset of the start of the line holding `offset`. */
export function lineStartOf(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/** Leading whitespace of the line holding `node`. */
export function indentOf(file: GoFile, node: Node): string {
  const text = file.source.text;
  const start = lineStartOf(text, node.startIndex);
  return /^[ \t]*/.exec(text.slice(start, node.startIndex))?.[0] ?? '';
}

/** Removes a statement: its whole line when alone on it, else just its text. */
export function removeStatement(file: GoFile, stmt: Node): TextEditData {
  const text = file.source.text;
  let start = stmt.startIndex;
  let end = stmt.endIndex;
  while (text[end] === ' ' || text[end] === '\t') end++;
  const lineStart = lineStartOf(text, start);
  if ((text[end] === '\r' || text[end] === '\n' || end === text.length) && text.slice(lineStart, start).trim() === '') {
    start = lineStart;
    if (text[end] === '\r') end++;
    if (text[end] === '\n') end++;
  }
  return { start, end, newText: '' };
}

/** The top-level declaration holding `node`, with its doc comment's start. */
export function topLevelDecl(node: Node): { decl: Node; start: number } | undefined {
  let n: Node | null = node;
  while (n && n.parent && n.parent.type !== 'source_file') n = n.parent;
  if (!n || !n.parent) return undefined;
  let start = n.startIndex;
  for (let c = n.previousSibling; c && c.type === 'comment' && c.endIndex >= start - 2; c = c.previousSibling) start = c.startIndex;
  return { decl: n, start };
}

/**
 * Adds `import "<path>"` unless the file imports it already; inserted in the
 * first import block, sorted among the standard library imports as gofmt keeps them.
 * Returns the local name to use and the edit (none when already imported).
 */
export function addGoImport(file: GoFile, path: string): { name: string; edit?: TextEditData } {
  const existing = file.imports.localNamesOf(path)[0];
  if (existing) return { name: existing };
  const name = path.split('/').pop() ?? path;
  const eol = eolOf(file);
  const decl = file.root.namedChildren.find((c) => c?.type === 'import_declaration');
  if (!decl) {
    const pkg = file.root.namedChildren.find((c) => c?.type === 'package_clause');
    const at = pkg ? pkg.endIndex : 0;
    return { name, edit: { start: at, end: at, newText: `${eol}${eol}import "${path}"` } };
  }
  const list = decl.namedChildren.find((c) => c?.type === 'import_spec_list');
  if (!list) {
    const spec = decl.namedChildren.find((c) => c?.type === 'import_spec');
    if (!spec) return { name };
    const specs = [spec.text, `"${path}"`].sort((a, b) => unq(a).localeCompare(unq(b)));
    return { name, edit: { start: decl.startIndex, end: decl.endIndex, newText: `import (${eol}\t${specs.join(`${eol}\t`)}${eol})` } };
  }
  const specs = list.namedChildren.filter((c): c is Node => c?.type === 'import_spec');
  const std = specs.filter((s) => !unq(s.childForFieldName('path')?.text ?? '').split('/')[0].includes('.'));
  const before = std.find((s) => unq(s.childForFieldName('path')?.text ?? '') > path);
  if (before) {
    const at = lineStartOf(file.source.text, before.startIndex);
    return { name, edit: { start: at, end: at, newText: `\t"${path}"${eol}` } };
  }
  const after = std[std.length - 1];
  if (after) return { name, edit: { start: after.endIndex, end: after.endIndex, newText: `${eol}\t"${path}"` } };
  const open = list.startIndex + 1;
  return { name, edit: { start: open, end: open, newText: `${eol}\t"${path}"${eol}` } };
}

function unq(s: string): string {
  return s.replace(/^[^"`]*["`]|["`]$/g, '');
}
