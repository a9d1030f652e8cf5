/** Edits that hand a context to a call: rename to the `...Context` variant, or rewrite `http.Get` to a request plus `Do`. */
import type { Node } from 'web-tree-sitter';
import type { Fix } from '../../../core/finding';
import type { GoFile } from '../../../languages/go/parser';
import { identifierNodesIn } from '../../../languages/go/func';
import { enclosingFunction } from '../../../languages/go/syntax';
import { nodesOfType } from '../../../languages/go/syntax-index';

/** Replaces the callee with `newCallee` and inserts `ctx` (and `extra`, e.g. `nil` tx options) as first argument(s). */
export function replaceCallee(call: Node, callee: Node, newCallee: string, ctxExpr: string, extra: string, title: string): Fix {
  const args = call.childForFieldName('arguments');
  const open = args ? args.startIndex + 1 : call.endIndex;
  const hasArgs = (args?.namedChildren.filter((a) => a && a.type !== 'comment').length ?? 0) > 0;
  const inserted = [ctxExpr, extra].filter((s) => s !== '').join(', ') + (hasArgs ? ', ' : '');
  return {
    title,
    safe: true,
    edits: [
      { start: callee.startIndex, end: callee.endIndex, newText: newCallee },
      { start: open, end: open, newText: inserted },
    ],
  };
}

const METHOD_CONST: Record<string, string> = { Get: 'MethodGet', Head: 'MethodHead', Post: 'MethodPost' };

/**
 * `resp, err := http.Get(url)` followed by `if err != nil {...}` becomes a
 * request built with the context, the same error check, then `client.Do(req)`.
 * Undefined when the statement has another shape (no fix rather than a guess).
 */
export function httpGetFix(file: GoFile, call: Node, method: string, client: string, httpName: string, ctxExpr: string): Fix | undefined {
  const methodConst = METHOD_CONST[method];
  if (!methodConst) return undefined;
  const list = call.parent;
  const stmt = list?.parent;
  if (!list || !stmt || list.type !== 'expression_list' || list.namedChildCount !== 1) return undefined;
  if (stmt.type !== 'short_var_declaration' && stmt.type !== 'assignment_statement') return undefined;
  const left = stmt.childForFieldName('left')?.namedChildren.filter((n): n is Node => !!n) ?? [];
  if (left.length !== 2 || left[1].type !== 'identifier' || left[1].text === '_') return undefined;
  const errName = left[1].text;
  let next = stmt.nextNamedSibling;
  while (next?.type === 'comment') next = next.nextNamedSibling;
  if (!next || next.type !== 'if_statement' || next.childForFieldName('initializer')) return undefined;
  if (next.childForFieldName('condition')?.text.replace(/\s+/g, '') !== `${errName}!=nil` || next.childForFieldName('alternative')) return undefined;
  if (identifierNodesIn(file, next).some((id) => id.text === left[0].text)) return undefined;
  const args = call.childForFieldName('arguments')?.namedChildren.filter((a): a is Node => !!a && a.type !== 'comment') ?? [];
  if (args.length !== (method === 'Post' ? 3 : 1)) return undefined;
  const fn = enclosingFunction(call);
  const used = new Set(fn ? identifierNodesIn(file, fn).map((id) => id.text) : []);
  // Fixes of one function are independent edits: derive the name from the response variable and
  // number repeated ones, so two rewritten calls never declare the same request variable.
  const respName = left[0].text;
  const base = respName === 'resp' || respName === '_' ? 'req' : `${respName}Req`;
  const sameShape = fn
    ? nodesOfType(file, fn, ['short_var_declaration', 'assignment_statement']).filter((d) =>
      d.startIndex < stmt.startIndex && d.childForFieldName('left')?.namedChildren[0]?.text === respName &&
      /\.(Get|Head|Post)\(/.test(d.childForFieldName('right')?.text ?? '')).length
    : 0;
  const req = sameShape === 0 ? base : `${base}${sameShape + 1}`;
  if (used.has(req)) return undefined;
  const text = file.source.text;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let lineStart = stmt.startIndex;
  while (lineStart > 0 && text[lineStart - 1] !== '\n' && text[lineStart - 1] !== '\r') lineStart--;
  const indent = text.slice(lineStart, stmt.startIndex);
  if (indent.trim() !== '') return undefined;
  const body = method === 'Post' ? args[2].text : 'nil';
  const http = httpName === '' ? '' : `${httpName}.`; // '' inside package http itself
  const op = stmt.type === 'short_var_declaration' ? ':=' : '=';
  const lines = [
    `${req}, ${errName} := ${http}NewRequestWithContext(${ctxExpr}, ${http}${methodConst}, ${args[0].text}, ${body})`,
    next.text,
  ];
  if (method === 'Post') lines.push(`${req}.Header.Set("Content-Type", ${args[1].text})`);
  lines.push(`${left[0].text}, ${errName} ${op} ${client}.Do(${req})`);
  return {
    title: `Build the request with ${http}NewRequestWithContext and call ${client}.Do`,
    safe: true,
    edits: [{ start: stmt.startIndex, end: stmt.endIndex, newText: lines.join(eol + indent) }],
  };
}
