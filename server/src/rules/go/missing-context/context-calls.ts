/**
 * Which context is in scope at a point of a Go function: a local context
 * variable declared before it, a `context.Context` parameter, or the request's
 * context of a per-request function (`r.Context()`, `c.Request.Context()`, ...),
 * looking outward through enclosing func literals (closures capture them).
 */
import type { Node } from 'web-tree-sitter';
import type { GoFile } from '../../../languages/go/parser';
import { isOnceArgument, type RequestScope } from '../../../languages/go/model/request-scope';
import { params, typeRef } from '../../../languages/go/func';
import { FUNCTION_TYPES } from '../../../languages/go/syntax';

export interface ContextInScope {
  /** Source text to pass as the context: `ctx`, `r.Context()`, ... */
  expr: string;
  /** The point runs in a goroutine (`go func() {...}()`) started below the context's owner: it may outlive it. */
  detached: boolean;
  /** The context is a variable named `expr` (a parameter or a local). */
  isVariable: boolean;
  /** The function whose parameter, local or request the context is. */
  owner: Node;
  /** The declaration of a local context (`ctx, cancel := ...`): its other names and its value. */
  decl?: { names: string[]; value?: Node };
}

/** Calls whose result is a context (a local assigned from one is a context variable). */
function contextValueIndex(file: GoFile, call: Node, contextExprs: readonly string[]): number | undefined {
  if (call.type !== 'call_expression') return undefined;
  const fn = call.childForFieldName('function');
  if (!fn) return undefined;
  if (contextExprs.includes(call.text)) return 0;
  const q = file.imports.qualifiedName(fn);
  if (q?.path === 'context' && /^(Background|TODO|With\w+)$/.test(q.name)) return 0;
  if (q?.path === 'golang.org/x/sync/errgroup' && q.name === 'WithContext') return 1;
  if (q?.path === 'os/signal' && q.name === 'NotifyContext') return 0;
  if (fn.type === 'selector_expression' && /^(Context|UserContext)$/.test(fn.childForFieldName('field')?.text ?? '') &&
      (call.childForFieldName('arguments')?.namedChildCount ?? 1) === 0) return 0;
  return undefined;
}

/** A local declared before `at` inside `fn` whose value is a context; nearest first. Also reports shadowing. */
function localContext(file: GoFile, at: Node, fn: Node, names: { context: string[]; shadowed: Set<string> }): { name: string; names: string[]; value?: Node } | undefined {
  const contextExprs = names.context;
  for (let n: Node | null = at; n && n.id !== fn.id; n = n.parent) {
    const list = n.parent;
    if (!list || (list.type !== 'statement_list' && list.type !== 'block')) continue;
    for (let s = n.previousNamedSibling; s; s = s.previousNamedSibling) {
      const decl = s.type === 'short_var_declaration' ? s : s.type === 'var_declaration' ? s.descendantsOfType('var_spec')[0] : null;
      if (!decl) continue;
      const lefts = decl.type === 'var_spec'
        ? decl.childrenForFieldName('name').filter((x): x is Node => !!x)
        : (decl.childForFieldName('left')?.namedChildren ?? []).filter((x): x is Node => !!x);
      const rightList = decl.type === 'var_spec' ? decl.childForFieldName('value') : decl.childForFieldName('right');
      const right = rightList?.namedChildren[0];
      const typeNode = decl.type === 'var_spec' ? decl.childForFieldName('type') : null;
      const typed = typeNode ? typeRef(file, typeNode) : undefined;
      const idx = typed?.path === 'context' && typed.name === 'Context' ? 0 : right ? contextValueIndex(file, right, contextExprs) : undefined;
      const ctxName = idx !== undefined ? lefts[idx]?.text : undefined;
      // `ctx := context.Background()` carries nothing to pass on (main's root context): look further out.
      if (ctxName && right && isEmptyContext(file, right)) continue;
      if (ctxName && ctxName !== '_') return { name: ctxName, names: lefts.map((l) => l.text), value: right ?? undefined };
      for (const l of lefts) names.shadowed.add(l.text);
    }
  }
  return undefined;
}

function isEmptyContext(file: GoFile, call: Node): boolean {
  const fn = call.type === 'call_expression' ? call.childForFieldName('function') : null;
  return !!fn && file.imports.resolves(fn, 'context', 'Background', 'TODO');
}

/** The context in scope at `at`, or undefined when none is (or it is shadowed by a non-context local). */
export function contextAt(file: GoFile, scope: RequestScope, at: Node): ContextInScope | undefined {
  let detached = false;
  const shadowed = new Set<string>();
  for (let fn: Node | null = at.parent; fn; fn = fn.parent) {
    if (!FUNCTION_TYPES.has(fn.type)) continue;
    const rf = scope.handlerOf(fn);
    const contextExprs = rf?.contextExpr ? [rf.contextExpr] : [];
    for (let n: Node | null = at; n && n.id !== fn.id; n = n.parent) if (n.type === 'go_statement') detached = true;
    const local = localContext(file, at, fn, { context: contextExprs, shadowed });
    if (local) return { expr: local.name, detached, isVariable: true, owner: fn, decl: { names: local.names, value: local.value } };
    const param = params(fn, 'parameters').find((p) => {
      const t = typeRef(file, p.type);
      return t.path === 'context' && t.name === 'Context' && !t.pointer;
    });
    if (param) {
      if (!param.name || shadowed.has(param.name)) return undefined;
      return { expr: param.name, detached, isVariable: true, owner: fn };
    }
    if (rf?.contextExpr) {
      const root = rf.contextExpr.split('.')[0];
      if (shadowed.has(root)) return undefined;
      return { expr: rf.contextExpr, detached, isVariable: false, owner: fn };
    }
    // `once.Do(func() {...})` runs once for the process: no request's context belongs there.
    if (fn.type !== 'func_literal' || isOnceArgument(fn)) return undefined;
    if (isGoStatementCallee(fn)) detached = true;
    at = fn;
  }
  return undefined;
}

/** `go func() {...}()`: the literal is the callee of a `go` statement's call. */
export function isGoStatementCallee(lit: Node): boolean {
  const call = lit.parent;
  return call?.type === 'call_expression' && call.childForFieldName('function')?.id === lit.id && call.parent?.type === 'go_statement';
}
