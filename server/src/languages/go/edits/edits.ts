import type { Node } from 'web-tree-sitter';
import type { SourceText } from '../../../core/source-text';
import type { TextEditData } from '../../../core/finding';
import type { GoFile } from '../parser';
import { presumedPackageName, unquoteGoString } from '../imports';
import { namedChildrenOf } from '../syntax';

/**
 * Edit builders for Go fixes. Offsets are into the original text; inserted
 * lines keep their neighbours' indentation and the document's line break, so
 * a fixed file stays gofmt-clean and keeps its `\r\n` if it had them.
 */

/** Replaces a node's text. */
export function replaceNode(node: Node, newText: string): TextEditData {
  return { start: node.startIndex, end: node.endIndex, newText };
}

/**
 * Inserts `text` as a new line after the line holding `offset`, indented like
 * that line (or with `indent`), using the document's line break.
 */
export function insertLineAfter(source: SourceText, offset: number, text: string, indent?: string): TextEditData {
  const line = source.lineOf(offset);
  const at = source.lineContentEnd(line);
  const ind = indent ?? source.indentationAt(offset);
  return { start: at, end: at, newText: `${source.eol}${ind}${text}` };
}

/** Inserts `text` as a new line before the line holding `offset`, indented like that line (or with `indent`). */
export function insertLineBefore(source: SourceText, offset: number, text: string, indent?: string): TextEditData {
  const at = source.lineStart(source.lineOf(offset));
  const ind = indent ?? source.indentationAt(offset);
  return { start: at, end: at, newText: `${ind}${text}${source.eol}` };
}

/** Standard-library import paths have no dot in their first element (goimports' rule). */
export function isStdlibPath(importPath: string): boolean {
  return !importPath.split('/')[0].includes('.');
}

interface SpecLine {
  spec: Node;
  path: string;
}

/**
 * Edits that import `importPath` (with `alias` if given) into `file`, or `[]`
 * when it is already imported under the name the fix will use. Adds to an
 * existing parenthesised import block, in the group (blank-line separated)
 * of its kind (standard library or not), sorted as gofmt sorts; turns a single
 * `import "x"` into a block; or adds an import after the package clause.
 */
export function addGoImport(file: GoFile, importPath: string, alias?: string): TextEditData[] {
  const wantedName = alias ?? presumedPackageName(importPath);
  if (file.imports.localNamesOf(importPath).includes(wantedName)) return [];
  const source = file.source;
  const eol = source.eol;
  const specText = `${alias ? `${alias} ` : ''}"${importPath}"`;
  const decls = namedChildrenOf(file.root).filter((n) => n.type === 'import_declaration');
  const block = decls.map((d) => namedChildrenOf(d).find((c) => c.type === 'import_spec_list')).find((l): l is Node => !!l);
  if (block) return [insertIntoBlock(source, block, importPath, specText)];
  const single = decls.map((d) => namedChildrenOf(d).find((c) => c.type === 'import_spec')).find((s): s is Node => !!s);
  if (single) {
    const decl = single.parent as Node; // an import_spec's parent is its import_declaration
    const existing = single.text;
    const existingPath = unquoteGoString(single.childForFieldName('path')?.text ?? '""');
    const lines = [{ path: existingPath, text: existing }, { path: importPath, text: specText }];
    const std = lines.filter((l) => isStdlibPath(l.path)).sort(byPath);
    const other = lines.filter((l) => !isStdlibPath(l.path)).sort(byPath);
    const groups = [std, other].filter((g) => g.length > 0).map((g) => g.map((l) => `\t${l.text}`).join(eol));
    return [{ start: decl.startIndex, end: decl.endIndex, newText: `import (${eol}${groups.join(eol + eol)}${eol})` }];
  }
  const pkg = namedChildrenOf(file.root).find((n) => n.type === 'package_clause');
  const at = pkg ? source.lineContentEnd(source.lineOf(pkg.endIndex)) : 0;
  return [{ start: at, end: at, newText: `${eol}${eol}import ${specText}` }];
}

function byPath(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

function insertIntoBlock(source: SourceText, block: Node, importPath: string, specText: string): TextEditData {
  const specs: SpecLine[] = namedChildrenOf(block)
    .filter((n) => n.type === 'import_spec')
    .map((spec) => ({ spec, path: unquoteGoString(spec.childForFieldName('path')?.text ?? '""') }));
  const eol = source.eol;
  if (specs.length === 0) {
    // `import ()`: put the spec on its own line inside the parentheses.
    const open = block.startIndex + 1;
    return { start: open, end: open, newText: `${eol}\t${specText}${eol}` };
  }
  // Groups are runs of specs with no blank line between them (gofmt sorts within a group).
  const groups: SpecLine[][] = [];
  for (const s of specs) {
    const prev = groups.at(-1)?.at(-1);
    if (prev && source.lineOf(s.spec.startIndex) - source.lineOf(prev.spec.endIndex) <= 1) groups.at(-1)?.push(s);
    else groups.push([s]);
  }
  const std = isStdlibPath(importPath);
  const sameKind = (g: SpecLine[]): boolean => g.every((s) => isStdlibPath(s.path) === std);
  const target = std ? groups.find(sameKind) : [...groups].reverse().find(sameKind);
  const indent = source.indentationAt(specs[0].spec.startIndex) || '\t';
  if (target) {
    const after = target.find((s) => s.path > importPath);
    if (after) return insertLineBefore(source, after.spec.startIndex, specText, indent);
    const last = target[target.length - 1].spec;
    return { start: source.lineContentEnd(source.lineOf(last.endIndex)), end: source.lineContentEnd(source.lineOf(last.endIndex)), newText: `${eol}${indent}${specText}` };
  }
  // No group of its kind: a new group, first for the standard library, last otherwise.
  if (std) {
    const first = specs[0].spec;
    const at = source.lineStart(source.lineOf(first.startIndex));
    return { start: at, end: at, newText: `${indent}${specText}${eol}${eol}` };
  }
  const last = specs[specs.length - 1].spec;
  const at = source.lineContentEnd(source.lineOf(last.endIndex));
  return { start: at, end: at, newText: `${eol}${eol}${indent}${specText}` };
}

/** Removes a statement: its whole line when it is alone on it, else just its text. */
export function removeStatement(source: SourceText, stmt: Node): TextEditData {
  const text = source.text;
  let start = stmt.startIndex;
  let end = stmt.endIndex;
  while (text[end] === ' ' || text[end] === '\t') end++;
  const lineStart = source.lineStart(source.lineOf(start));
  if ((text[end] === '\r' || text[end] === '\n' || end === text.length) && text.slice(lineStart, start).trim() === '') {
    start = lineStart;
    if (text[end] === '\r') end++;
    if (text[end] === '\n') end++;
  }
  return { start, end, newText: '' };
}

/** The top-level declaration holding `node`, and where it starts including its doc comment. */
export function topLevelDecl(node: Node): { decl: Node; start: number } | undefined {
  let n: Node = node;
  while (n.parent && n.parent.type !== 'source_file') n = n.parent;
  if (!n.parent) return undefined;
  let start = n.startIndex;
  for (let c = n.previousSibling; c && c.type === 'comment' && c.endIndex >= start - 2; c = c.previousSibling) start = c.startIndex;
  return { decl: n, start };
}
