/**
 * Which values of a per-request function come from the request. Name-based
 * (no type checker): a local assigned from request data is request data in the
 * whole function, whatever block it was assigned in.
 */
import type { Node } from 'web-tree-sitter';
import type { GoFile } from '../parser';
import { identifierNodesIn, params, typeRef } from '../func';
import { nodesOfType } from '../syntax-index';

export interface RequestData {
  /** `expr` derives from the request (body, URL, query, form, headers, params, decoded payloads). */
  isData(expr: Node): boolean;
  /** Request data, or the request / framework context / request context itself. */
  isScoped(expr: Node): boolean;
}

/** Methods that fill their pointer argument from what they read. */
const DECODERS = new Set([
  'Decode', 'Unmarshal', 'Bind', 'BindJSON', 'BindQuery', 'BindUri', 'BindHeader', 'ShouldBind', 'ShouldBindJSON',
  'ShouldBindQuery', 'ShouldBindUri', 'ShouldBindHeader', 'ShouldBindWith', 'ShouldBindBodyWith', 'BodyParser',
  'QueryParser', 'ParamsParser', 'ReqHeaderParser', 'BindBody', 'BindQueryParams', 'BindPathParams',
]);

/** Accessors on the request / framework object that yield its context, not request data. */
const CONTEXT_ACCESSORS = new Set(['Context', 'UserContext', 'WithContext', 'Done', 'Deadline', 'Err']);

/** What request-data search reads of a per-request function (request-scope's `RequestFunction` is one). */
export interface RequestDataRoots {
  readonly node: Node;
  readonly body: Node | null;
  /** 'grpc' handlers take their request as the second parameter. */
  readonly kind: string;
  readonly requestParam?: string;
  readonly frameworkParam?: string;
  readonly contextParam?: string;
  /** How the function's request context is spelled (`r.Context()`, `c.Request.Context()`). */
  readonly contextExpr?: string;
}

export function findRequestData(file: GoFile, fn: RequestDataRoots): RequestData {
  const roots = new Set<string>();
  const contextNames = new Set<string>();
  if (fn.requestParam) roots.add(fn.requestParam);
  if (fn.frameworkParam) roots.add(fn.frameworkParam);
  if (fn.contextParam) contextNames.add(fn.contextParam);
  if (fn.kind === 'grpc') {
    const req = params(fn.node, 'parameters').at(1);
    if (req?.name) roots.add(req.name);
  }
  if (fn.kind === 'callee') {
    // A callee's own parameters typed *http.Request / framework contexts are the request too.
    for (const p of params(fn.node, 'parameters')) {
      const t = typeRef(file, p.type);
      if (p.name && ((t.path === 'net/http' && t.name === 'Request') || /gin|echo|fiber/.test(t.path))) roots.add(p.name);
    }
  }
  const dataNames = new Set<string>();

  const isRootData = (id: Node): boolean => {
    // `r.Context()`, `c.Request.Context()`, `c.Request().Context()`, `c.UserContext()`: the context, not data.
    let n: Node = id;
    for (let p = n.parent; p && (p.type === 'selector_expression' || p.type === 'call_expression'); p = p.parent) {
      if (p.type === 'selector_expression') {
        if (p.childForFieldName('operand')?.id !== n.id) break;
        if (CONTEXT_ACCESSORS.has(p.childForFieldName('field')?.text ?? '')) return false;
      } else if (p.childForFieldName('function')?.id !== n.id) break;
      n = p;
    }
    // A bare framework context handed on (`svc.List(c)`) is used as a context.
    return !(n.id === id.id && fn.frameworkParam === id.text && id.parent?.type === 'argument_list');
  };

  const isData = (expr: Node): boolean => {
    for (const id of identifierNodesIn(file, expr)) {
      if (dataNames.has(id.text)) return true;
      if (roots.has(id.text) && isRootData(id)) return true;
    }
    return false;
  };
  const isScoped = (expr: Node): boolean =>
    isData(expr) || identifierNodesIn(file, expr).some((id) => roots.has(id.text) || contextNames.has(id.text));

  const markLeft = (left: Node | null | undefined, asContext: boolean): void => {
    if (!left) return;
    for (const id of left.type === 'identifier' ? [left] : left.namedChildren) {
      if (id?.type === 'identifier' && id.text !== '_') (asContext ? contextNames : dataNames).add(id.text);
    }
  };
  const isContextExpr = (expr: Node): boolean =>
    (fn.contextExpr !== undefined && expr.text === fn.contextExpr) ||
    (expr.type === 'call_expression' && identifierNodesIn(file, expr).some((id) => contextNames.has(id.text)) &&
      /^context\.With/.test(expr.childForFieldName('function')?.text ?? ''));

  // Two passes in source order reach values assigned before use and most loops' carried values.
  const body = fn.body;
  if (body) {
    for (let pass = 0; pass < 2; pass++) {
      for (const node of [body, ...nodesOfType(file, body, ['short_var_declaration', 'assignment_statement', 'var_spec', 'range_clause', 'call_expression'])]) {
        if (node.id === body.id) continue;
        if (node.type === 'call_expression') {
          const callee = node.childForFieldName('function');
          const method = callee?.type === 'selector_expression' ? callee.childForFieldName('field')?.text : undefined;
          if (!method || !DECODERS.has(method) || !isData(node)) continue;
          for (const arg of node.childForFieldName('arguments')?.namedChildren ?? []) {
            if (arg?.type === 'unary_expression' && arg.text.startsWith('&')) {
              const target = arg.childForFieldName('operand');
              if (target?.type === 'identifier') dataNames.add(target.text);
            }
          }
          continue;
        }
        const right = node.type === 'var_spec' ? node.childForFieldName('value') : node.childForFieldName('right');
        const left = node.type === 'var_spec' ? null : node.childForFieldName('left');
        if (!right) continue;
        const first = right.type === 'expression_list' ? right.namedChildren[0] : right;
        if (first && isContextExpr(first)) {
          if (node.type === 'var_spec') node.childrenForFieldName('name').forEach((n) => n && contextNames.add(n.text));
          else markLeft(left?.type === 'expression_list' ? left.namedChildren[0] : left, true);
          continue;
        }
        if (!isData(right)) continue;
        if (node.type === 'var_spec') node.childrenForFieldName('name').forEach((n) => n && n.text !== '_' && dataNames.add(n.text));
        else markLeft(left, false);
      }
    }
  }
  return { isData, isScoped };
}
