/** Moves a value built inside a function to a package-level variable built once (`sync.OnceValue(s)` or a plain var). */
import { identifierNames } from '../../../languages/go/model/identifier-names';
import type { Node } from 'web-tree-sitter';
import type { Fix, TextEditData } from '../../../core/finding';
import type { GoFile } from '../../../languages/go/parser';
import { addGoImport, removeStatement, topLevelDecl } from '../../../languages/go/edits/edits';
import { funcName, params } from '../../../languages/go/func';
import { FUNCTION_TYPES } from '../../../languages/go/syntax';
import { nodesOfType, nodesOrNone } from '../../../languages/go/syntax-index';

/** Names declared inside the functions enclosing `node` (parameters, receivers, results, locals). */
export function localNamesOf(file: GoFile, node: Node): Set<string> {
  const out = new Set<string>();
  for (let fn: Node | null = node.parent; fn; fn = fn.parent) {
    if (!FUNCTION_TYPES.has(fn.type)) continue;
    for (const field of ['parameters', 'result', 'receiver'] as const) for (const p of params(fn, field)) if (p.name) out.add(p.name);
    const body = fn.childForFieldName('body');
    for (const d of nodesOrNone(file, body, ['short_var_declaration', 'var_spec', 'range_clause', 'const_spec'])) {
      const names = d.type === 'short_var_declaration' || d.type === 'range_clause'
        ? d.childForFieldName('left')?.namedChildren ?? []
        : d.childrenForFieldName('name');
      for (const n of names) if (n?.type === 'identifier') out.add(n.text);
    }
  }
  return out;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * `x, err := open(args)` in a function → `var <fn>X = sync.OnceValues(func() (T, error) { return open(args) })`
 * before the function and `x, err := <fn>X()` in place; `x := &http.Client{...}` → `var <fn>X = &http.Client{...}`.
 * Also removes `x.Close(...)` / `x.Disconnect(...)` (deferred or not) in the function: the handle is now shared.
 * Undefined when the statement has another shape or `sync.OnceValue(s)` is unavailable (go < 1.21).
 */
export function hoistFix(file: GoFile, site: Node, type: string, withError: boolean, modern: boolean): Fix | undefined {
  const list = site.parent;
  const stmt = list?.parent;
  if (list?.type !== 'expression_list' || list.namedChildCount !== 1 || stmt?.type !== 'short_var_declaration') return undefined;
  const left = stmt.childForFieldName('left')?.namedChildren.filter((n): n is Node => !!n) ?? [];
  const handle = left.at(0);
  if (!handle || handle.type !== 'identifier' || handle.text === '_' || left.length !== (withError ? 2 : 1)) return undefined;
  const isLiteral = site.type !== 'call_expression';
  if (!isLiteral && !modern) return undefined;
  const top = topLevelDecl(site);
  if (!top) return undefined;
  const used = identifierNames(file);
  const owner = funcName(top.decl) ?? 'shared';
  const stem = `${owner.charAt(0).toLowerCase()}${owner.slice(1)}${capitalise(handle.text)}`;
  let name = stem;
  for (let i = 2; used.has(name); i++) name = `${stem}${i}`;
  const eol = file.source.eol;
  const indent = file.source.indentationAt(stmt.startIndex);
  const body = site.text.split(/\r\n|\r|\n/).map((l, i) => (i === 0 ? l : l.startsWith(indent) ? l.slice(indent.length) : l)).join(`${eol}\t`);
  const edits: TextEditData[] = [];
  let decl: string;
  if (isLiteral) {
    decl = `var ${name} = ${site.text.split(/\r\n|\r|\n/).map((l, i) => (i === 0 ? l : l.startsWith(indent) ? l.slice(indent.length) : l)).join(eol)}`;
  } else {
    const syncName = file.imports.localNamesOf('sync')[0] ?? 'sync';
    if (!file.imports.localNamesOf('sync')[0]) edits.push(...addGoImport(file, 'sync'));
    decl = withError
      ? `var ${name} = ${syncName}.OnceValues(func() (${type}, error) {${eol}\treturn ${body}${eol}})`
      : `var ${name} = ${syncName}.OnceValue(func() ${type} {${eol}\treturn ${body}${eol}})`;
  }
  edits.push({ start: top.start, end: top.start, newText: `${decl}${eol}${eol}` });
  edits.push({ start: site.startIndex, end: site.endIndex, newText: isLiteral ? name : `${name}()` });
  const fnBody = top.decl.childForFieldName('body');
  let closes = 0;
  for (const s of fnBody ? nodesOfType(file, fnBody, ['defer_statement', 'expression_statement']) : []) {
    const call = s.text.replace(/^defer\s+/, '');
    if (call.startsWith(`${handle.text}.Close(`) || call.startsWith(`${handle.text}.Disconnect(`)) {
      edits.push(removeStatement(file.source, s));
      closes++;
    }
  }
  // A handle used for nothing but Close would be left unused: no fix rather than a broken one.
  const uses = fnBody ? nodesOfType(file, fnBody, 'identifier').filter((id) => id.text === handle.text).length : 0;
  if (uses - 1 - closes <= 0) return undefined;
  return { title: `Create ${handle.text} once at package level (${name})`, safe: false, edits };
}
