/** Small syntax helpers over Go functions and types, shared by the request-scope model and its rules. */
import type { Node } from 'web-tree-sitter';
import type { GoFile } from './parser';
import { namedTypeOf, typeExprOf, type NamedType } from './model/type-expr';
import { nodesOfType } from './syntax-index';

export interface GoParam {
  /** '' when unnamed or `_`. */
  name: string;
  nameNode: Node | null;
  type: Node | null;
}

/** What {@link typeRef} gives for a type expression that names no type (`[]byte`, `func()`). */
const NO_TYPE: NamedType = { pointer: false, path: '', name: '' };

export function funcName(fn: Node): string | undefined {
  if (fn.type === 'func_literal') return undefined;
  return fn.childForFieldName('name')?.text;
}

/** Parameters (`field` = 'parameters', 'result' or 'receiver'), one entry per name. */
export function params(fn: Node, field: 'parameters' | 'result' | 'receiver'): GoParam[] {
  const list = fn.childForFieldName(field);
  if (!list) return [];
  if (list.type !== 'parameter_list') return field === 'result' ? [{ name: '', nameNode: null, type: list }] : [];
  const out: GoParam[] = [];
  for (const decl of list.namedChildren) {
    if (!decl || (decl.type !== 'parameter_declaration' && decl.type !== 'variadic_parameter_declaration')) continue;
    const type = decl.childForFieldName('type');
    const names = decl.childrenForFieldName('name').filter((n): n is Node => !!n);
    if (names.length === 0) out.push({ name: '', nameNode: null, type });
    for (const n of names) out.push({ name: n.text === '_' ? '' : n.text, nameNode: n, type });
  }
  return out;
}

/**
 * The named type a type node denotes (`*http.Request` → pointer, 'net/http',
 * 'Request'), read from the one type model ({@link typeExprOf},
 * {@link namedTypeOf}); `name` '' when it names no type.
 */
export function typeRef(file: GoFile, type: Node | null): NamedType {
  return namedTypeOf(typeExprOf(type, file.imports)) ?? NO_TYPE;
}

/** Identifiers in `node`'s subtree (expression operands; not field names). */
export function identifierNodesIn(file: GoFile, node: Node): Node[] {
  if (node.type === 'identifier') return [node];
  return nodesOfType(file, node, 'identifier');
}

