import type { Node } from 'web-tree-sitter';
import type { GoFile } from '../../../languages/go/parser';
import { declarationScope, functionParamNames, referencesTo } from '../../../languages/go/scope';
import { FUNCTION_TYPES, describeCall, namedChildrenOf, sameNode } from '../../../languages/go/syntax';

/**
 * Does a value leave its function, syntactically? Returned; stored in a
 * field, a map or slice element, or a package-level variable; sent on a
 * channel; appended to a slice that is not local (or to a local one that
 * itself escapes); or put in a composite literal that escapes. A value
 * first copied (`bytes.Clone`, `strings.Clone`, `string(...)`,
 * `append([]byte(nil), v...)`, `copy`) or handed to another function is not
 * followed. Local variables holding the value are followed (a few levels).
 */
export type EscapeKind = 'returned' | 'stored' | 'sent' | 'appended';

export interface Escape {
  kind: EscapeKind;
  /** Where it leaves. */
  at: Node;
}

/** Calls whose result is a copy of their argument, not an alias of it. */
const COPYING_CALLS: ReadonlySet<string> = new Set(['Clone', 'string', 'copy', 'CopyBytes']);

export function findEscape(file: GoFile, value: Node, depth = 0): Escape | undefined {
  if (depth > 4) return undefined;
  let v = value;
  while (v.parent?.type === 'parenthesized_expression') v = v.parent;
  let parent = v.parent;
  if (!parent) return undefined;
  if (parent.type === 'literal_element') {
    // A field of a composite literal: the literal escapes or not.
    const lit = parent.parent?.type === 'keyed_element' ? parent.parent.parent?.parent : parent.parent?.parent;
    return lit?.type === 'composite_literal' ? findEscape(file, lit, depth + 1) : undefined;
  }
  if (parent.type === 'unary_expression' && parent.childForFieldName('operator')?.text === '&') return findEscape(file, parent, depth + 1);
  if (parent.type === 'send_statement' && sameNode(parent.childForFieldName('value'), v)) return { kind: 'sent', at: v };
  if (parent.type === 'argument_list') return escapeThroughCall(file, parent, v, depth);
  if (parent.type === 'variadic_argument') {
    parent = parent.parent;
    return parent?.type === 'argument_list' ? escapeThroughCall(file, parent, v, depth) : undefined;
  }
  if (parent.type !== 'expression_list') return undefined;
  const stmt = parent.parent;
  if (!stmt) return undefined;
  if (stmt.type === 'return_statement') return { kind: 'returned', at: v };
  const index = namedChildrenOf(parent).findIndex((n) => sameNode(n, v));
  if ((stmt.type === 'assignment_statement' || stmt.type === 'short_var_declaration') && sameNode(stmt.childForFieldName('right'), parent)) {
    const left = namedChildrenOf(stmt.childForFieldName('left'));
    if (left.length !== namedChildrenOf(parent).length) return undefined;
    return escapeThroughTarget(file, left[index], v, depth);
  }
  if (stmt.type === 'var_spec') {
    const name = stmt.childrenForFieldName('name')[index];
    return name ? escapeThroughTarget(file, name, v, depth) : undefined;
  }
  return undefined;
}

/** The value is assigned to `target`: a field/element/package variable escapes; a local is followed. */
function escapeThroughTarget(file: GoFile, target: Node | undefined, value: Node, depth: number): Escape | undefined {
  if (!target) return undefined;
  if (target.type === 'selector_expression' || target.type === 'index_expression') return { kind: 'stored', at: value };
  if (target.type !== 'identifier' || target.text === '_') return undefined;
  if (!isLocal(target)) return { kind: 'stored', at: value };
  for (const ref of referencesTo(file, target)) {
    if (ref.startIndex <= target.startIndex) continue;
    const e = findEscape(file, ref, depth + 1);
    if (e) return e;
  }
  return undefined;
}

function escapeThroughCall(file: GoFile, args: Node, value: Node, depth: number): Escape | undefined {
  const call = args.parent;
  const info = call ? describeCall(call) : undefined;
  if (!call || !info) return undefined;
  if (COPYING_CALLS.has(info.name)) return undefined;
  if (info.name === 'append' && !info.receiver) {
    const first = info.args[0];
    if (!first || sameNode(first, value)) return undefined;
    // append([]byte(nil), v...) and append(make(...), v...) copy into a new array.
    if (first.type === 'type_conversion_expression' || first.type === 'call_expression' || first.type === 'composite_literal') return undefined;
    if (first.type === 'selector_expression' || first.type === 'index_expression') return { kind: 'appended', at: value };
    if (first.type === 'identifier' && !isLocal(first)) return { kind: 'appended', at: value };
    // Appended to a local slice: the append's result (assigned back to it) escapes or not.
    return findEscape(file, call, depth + 1) ? { kind: 'appended', at: value } : undefined;
  }
  return undefined;
}

/** Is the identifier declared inside a function (a local or a parameter), rather than at package level? */
export function isLocal(ident: Node): boolean {
  const scope = declarationScope(ident);
  if (!scope) return false;
  // The outermost function is returned when nothing declares the name: local only if it is a parameter.
  return !FUNCTION_TYPES.has(scope.type) || functionParamNames(scope).includes(ident.text);
}
