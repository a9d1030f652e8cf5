import type { Node } from 'web-tree-sitter';
import type { TextEditData } from '../../core/finding';
import type { SourceText } from '../../core/source-text';
import { declarationScope } from './scope';
import { assignedNames, assignedValues, namedChildrenOf, selectorPath, specsOf, unparen } from './syntax';

/**
 * Helpers for composite literals such as `&http.Server{Addr: a, Handler: h}`:
 * their keyed fields, where the value goes, and an edit that adds a field
 * laid out like its neighbours.
 */

/** Keyed elements of a `literal_value` by key name; undefined when any element is positional. */
export function keyedFields(body: Node): Map<string, Node> | undefined {
  const out = new Map<string, Node>();
  for (const el of namedChildrenOf(body)) {
    if (el.type === 'comment') continue;
    if (el.type !== 'keyed_element') return undefined;
    const key = el.childForFieldName('key') ?? el.namedChildren[0];
    const value = el.childForFieldName('value') ?? el.namedChildren[1];
    if (!key || !value) continue;
    const keyExpr = key.type === 'literal_element' ? key.namedChildren[0] : key;
    const valueExpr = value.type === 'literal_element' ? value.namedChildren[0] : value;
    if (keyExpr && valueExpr) out.set(keyExpr.text, valueExpr);
  }
  return out;
}

/** An edit adding `Key: value` to a literal body, on its own line when the literal spans lines. */
export function addKeyedField(source: SourceText, body: Node, field: string): TextEditData {
  const elements = namedChildrenOf(body).filter((n) => n.type !== 'comment');
  const close = body.endIndex - 1;
  if (elements.length === 0) return { start: body.startIndex + 1, end: close, newText: field };
  const last = elements[elements.length - 1];
  // One element per line when the closing brace sits on its own line (gofmt's layout of multi-line literals).
  const closeOnOwnLine = source.lineOf(last.endIndex) !== source.lineOf(close);
  if (closeOnOwnLine) {
    // gofmt puts a comma after the last element of a multi-line literal; the new field goes on the line after it.
    const lineEnd = source.lineContentEnd(source.lineOf(last.endIndex));
    const hasComma = source.text.slice(last.endIndex, lineEnd).trimStart().startsWith(',');
    const indent = source.indentationAt(last.startIndex);
    if (hasComma) return { start: lineEnd, end: lineEnd, newText: `${source.eol}${indent}${field},` };
    return { start: last.endIndex, end: last.endIndex, newText: `,${source.eol}${indent}${field},` };
  }
  const after = source.text.slice(last.endIndex, close);
  const comma = after.indexOf(',');
  if (comma >= 0) return { start: last.endIndex + comma + 1, end: last.endIndex + comma + 1, newText: ` ${field},` };
  return { start: last.endIndex, end: last.endIndex, newText: `, ${field}` };
}

/**
 * Where a value is stored, as a selector path: `c` in `c := v` / `var c = v`,
 * `s.client` in `s.client = v`; `&` and parentheses around `v` are looked
 * through. Undefined for anything else (an argument, a return, a field of
 * another literal).
 */
export function assignmentTarget(value: Node): string | undefined {
  let v = value;
  while (v.parent && (v.parent.type === 'unary_expression' || v.parent.type === 'parenthesized_expression')) v = v.parent;
  const list = v.parent;
  if (list?.type !== 'expression_list') return undefined;
  const stmt = list.parent;
  if (!stmt) return undefined;
  const index = namedChildrenOf(list).findIndex((n) => n.id === v.id);
  if (stmt.type === 'short_var_declaration' || stmt.type === 'assignment_statement') {
    if (stmt.childForFieldName('right')?.id !== list.id) return undefined;
    const left = namedChildrenOf(stmt.childForFieldName('left'));
    return left.length === namedChildrenOf(list).length && left[index] ? selectorPath(left[index]) : undefined;
  }
  if (stmt.type === 'var_spec') {
    const names = stmt.childrenForFieldName('name');
    return names.length === namedChildrenOf(list).length ? names[index]?.text : undefined;
  }
  return undefined;
}

/** `10s` → `10 * time.Second`, `500ms` → `500 * time.Millisecond`, `2m`, `1h`; `fallback` when not of that form. */
export function goDurationExpr(duration: string, fallback = '10 * time.Second'): string {
  const m = /^\s*(\d+)\s*(ms|s|m|h)\s*$/.exec(duration);
  if (!m) return fallback;
  const unit = { ms: 'time.Millisecond', s: 'time.Second', m: 'time.Minute', h: 'time.Hour' }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return m[1] === '1' ? unit : `${m[1]} * ${unit}`;
}

/** The composite literal an expression evidently is (`T{}`, `&T{}`, `(T{})`), else undefined. */
export function compositeLiteralOf(expr: Node | null | undefined): Node | undefined {
  if (!expr) return undefined;
  let e = unparen(expr);
  if (e.type === 'unary_expression' && e.childForFieldName('operator')?.text === '&') {
    const operand = e.childForFieldName('operand');
    if (!operand) return undefined;
    e = unparen(operand);
  }
  return e.type === 'composite_literal' ? e : undefined;
}

/**
 * The value the last `:=`, `var` or `=` before `ident` (in the scope declaring
 * it) gave the name: `tr` in `tr := &http.Transport{...}`; for the first name
 * of a multi-value call (`data, err := io.ReadAll(r)`), the call. Undefined
 * when the syntax does not show one expression.
 */
export function declaredValue(ident: Node): Node | undefined {
  const scope = declarationScope(ident);
  if (!scope || scope.type !== 'statement_list') return undefined;
  let found: Node | undefined;
  for (const stmt of namedChildrenOf(scope)) {
    if (stmt.startIndex >= ident.startIndex) break;
    const specs = stmt.type === 'var_declaration' ? specsOf(stmt)
      : stmt.type === 'short_var_declaration' || stmt.type === 'assignment_statement' ? [stmt] : [];
    for (const spec of specs) {
      if (spec.type === 'assignment_statement' && spec.childForFieldName('operator')?.text !== '=') continue;
      const names = assignedNames(spec);
      const values = assignedValues(spec);
      const i = names.findIndex((n) => n.text === ident.text);
      if (i < 0) continue;
      found = values.length === names.length ? values[i] : values.length === 1 && i === 0 ? values[0] : undefined;
    }
  }
  return found;
}

/** Value of a top-level `const`/`var` of the file bound to exactly one expression. */
export function packageStringValue(root: Node, name: string): Node | undefined {
  for (const decl of namedChildrenOf(root)) {
    if (decl.type !== 'const_declaration' && decl.type !== 'var_declaration') continue;
    for (const spec of specsOf(decl)) {
      const names = spec.childrenForFieldName('name');
      const values = namedChildrenOf(spec.childForFieldName('value'));
      const i = names.findIndex((n) => n?.text === name);
      if (i >= 0 && values.length === names.length) return values[i];
    }
  }
  return undefined;
}
