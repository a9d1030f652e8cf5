/** Small syntax helpers over Go functions and types, shared by the request-scope model and its rules. */
import type { Node } from 'web-tree-sitter';
import type { GoFile } from './go';

export interface GoParam {
  /** '' when unnamed or `_`. */
  name: string;
  nameNode: Node | null;
  type: Node | null;
}

export interface TypeRef {
  pointer: boolean;
  /** Import path of the type's package; undefined for local/builtin types. */
  path?: string;
  /** Type name without package ('' when not a named type). */
  name: string;
}

export function isFuncNode(node: Node): boolean {
  return node.type === 'function_declaration' || node.type === 'method_declaration' || node.type === 'func_literal';
}

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

const localTypes = new WeakMap<object, Set<string>>();

/** Names of the types the file declares (memoised per tree): they win over a dot-import's. */
function localTypeNames(file: GoFile): Set<string> {
  let names = localTypes.get(file.tree);
  if (!names) {
    names = new Set(file.root.descendantsOfType('type_spec').map((s) => s?.childForFieldName('name')?.text ?? ''));
    localTypes.set(file.tree, names);
  }
  return names;
}

/** What a type expression names, resolving the package through the file's imports. */
export function typeRef(file: GoFile, type: Node | null): TypeRef {
  if (!type) return { pointer: false, name: '' };
  let t: Node = type;
  let pointer = false;
  if (t.type === 'pointer_type') {
    pointer = true;
    const inner = t.namedChildren[0];
    if (!inner) return { pointer, name: '' };
    t = inner;
  }
  if (t.type === 'generic_type') t = t.childForFieldName('type') ?? t;
  if (t.type === 'qualified_type') {
    const q = file.imports.qualifiedName(t);
    return { pointer, path: q?.path, name: t.childForFieldName('name')?.text ?? '' };
  }
  if (t.type === 'type_identifier') {
    const q = file.imports.qualifiedName(t);
    return q && !localTypeNames(file).has(t.text) ? { pointer, path: q.path, name: t.text } : { pointer, name: t.text };
  }
  return { pointer, name: '' };
}

/** Innermost function (declaration or literal) containing `node`. */
export function enclosingFunc(node: Node): Node | undefined {
  for (let n: Node | null = node.parent; n; n = n.parent) if (isFuncNode(n)) return n;
  return undefined;
}

/** Identifiers in `node`'s subtree (expression operands; not field names). */
export function identifiersIn(node: Node): Node[] {
  if (node.type === 'identifier') return [node];
  return node.descendantsOfType('identifier').filter((n): n is Node => !!n);
}

/** The root identifier of a selector/call/index chain: `r` in `r.URL.Query().Get("x")`. */
export function chainRoot(expr: Node): Node | undefined {
  let n: Node | null = expr;
  while (n) {
    switch (n.type) {
      case 'identifier':
        return n;
      case 'selector_expression':
        n = n.childForFieldName('operand');
        break;
      case 'call_expression':
        n = n.childForFieldName('function');
        break;
      case 'index_expression':
      case 'slice_expression':
        n = n.childForFieldName('operand');
        break;
      case 'parenthesized_expression':
        n = n.namedChildren[0] ?? null;
        break;
      case 'unary_expression':
        n = n.childForFieldName('operand');
        break;
      default:
        return undefined;
    }
  }
  return undefined;
}

/** Statements of a block (tree-sitter-go wraps them in a `statement_list`). */
export function blockStatements(block: Node | null): Node[] {
  if (!block) return [];
  const list = block.namedChildren.find((c) => c?.type === 'statement_list');
  const source = list ?? block;
  return source.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
}
