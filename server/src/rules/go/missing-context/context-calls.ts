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
import { nodesOfType } from '../../../languages/go/syntax-index';

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
  /**
   * Names of contexts made here from a fresh one (`context.WithTimeout(context.Background(), d)`)
   * visible at the point: the code chose to detach some work from the caller, so which work
   * should follow the caller is a guess.
   */
  freshLocals: string[];
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

interface LocalDecl {
  names: string[];
  /** The name of the context it declares ('' when none). */
  ctxName: string;
  value?: Node;
  /** `defer cancel()` follows in the same block: the context governs the rest of it. */
  cancelDeferred: boolean;
}

/** Declarations visible at `at` inside `fn` (statements before it in enclosing blocks), in source order. */
function visibleDecls(file: GoFile, at: Node, fn: Node, contextExprs: readonly string[]): LocalDecl[] {
  const out: LocalDecl[] = [];
  for (let n: Node | null = at; n && n.id !== fn.id; n = n.parent) {
    const list = n.parent;
    if (!list || (list.type !== 'statement_list' && list.type !== 'block')) continue;
    for (let s = n.previousNamedSibling; s; s = s.previousNamedSibling) {
      const decl = s.type === 'short_var_declaration' ? s : s.type === 'var_declaration' ? nodesOfType(file, s, 'var_spec')[0] : null;
      if (!decl) continue;
      const lefts = decl.type === 'var_spec'
        ? decl.childrenForFieldName('name').filter((x): x is Node => !!x)
        : (decl.childForFieldName('left')?.namedChildren ?? []).filter((x): x is Node => !!x);
      const rightList = decl.type === 'var_spec' ? decl.childForFieldName('value') : decl.childForFieldName('right');
      const right = rightList?.namedChildren[0] ?? undefined;
      const typeNode = decl.type === 'var_spec' ? decl.childForFieldName('type') : null;
      const typed = typeNode ? typeRef(file, typeNode) : undefined;
      const idx = typed?.path === 'context' && typed.name === 'Context' ? 0 : right ? contextValueIndex(file, right, contextExprs) : undefined;
      const ctxName = idx !== undefined ? lefts[idx]?.text ?? '' : '';
      const cancel = lefts[1]?.text;
      const cancelDeferred = !!cancel && cancel !== '_' && statementsAfterIn(s, n).some((st) =>
        st.type === 'defer_statement' && st.namedChildren[0]?.text.replace(/\s+/g, '') === `${cancel}()`);
      out.push({ names: lefts.map((l) => l.text), ctxName: ctxName === '_' ? '' : ctxName, value: right, cancelDeferred });
    }
  }
  return out.reverse();
}

/** Statements after `s` up to (not including) `until`, in their list. */
function statementsAfterIn(s: Node, until: Node): Node[] {
  const out: Node[] = [];
  for (let x = s.nextNamedSibling; x && x.id !== until.id; x = x.nextNamedSibling) out.push(x);
  return out;
}

/** Derivations that give a context a deadline of its own: a budget for the work it was made for. */
const OWN_DEADLINE = /^With(Timeout|Deadline)(Cause)?$/;

/** The parent context of a derivation (`context.WithX(parent, ...)`, `signal.NotifyContext(parent, ...)`, errgroup). */
export function derivationOf(file: GoFile, value: Node | undefined): { parent: Node; ownDeadline: boolean } | undefined {
  const fn = value?.type === 'call_expression' ? value.childForFieldName('function') : null;
  const q = fn ? file.imports.qualifiedName(fn) : undefined;
  if (!q || !value) return undefined;
  const derives = (q.path === 'context' && /^With\w+$/.test(q.name)) || (q.path === 'os/signal' && q.name === 'NotifyContext') ||
    (q.path === 'golang.org/x/sync/errgroup' && q.name === 'WithContext');
  const parent = value.childForFieldName('arguments')?.namedChildren.find((a) => a && a.type !== 'comment');
  return derives && parent ? { parent, ownDeadline: q.path === 'context' && OWN_DEADLINE.test(q.name) } : undefined;
}

/**
 * The local that is the context in scope at `at`, nearest first, by provenance:
 * - `var ctx context.Context` without a value is nil until assigned: not one;
 * - `ctx := context.Background()` carries nothing to pass on: look further out;
 * - a context rooted in a fresh one (`context.WithCancel(context.Background())`,
 *   `signal.NotifyContext(context.Background(), ...)`, or derived from such a
 *   local) was made here for some work; the function has no caller's context
 *   through it, and it hides any outer one of the same name;
 * - a context derived with a deadline of its own under another name
 *   (`tctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)`) is the
 *   budget of the work it was made for: look further out, to its parent.
 *   Re-deriving under the same name (`ctx, cancel = context.WithTimeout(ctx, d)`)
 *   replaces the function's context: that one is in scope.
 * Names declared by other locals hide outer contexts of the same name (`shadowed`).
 */
function localContext(file: GoFile, at: Node, fn: Node, names: { context: string[]; shadowed: Set<string>; fresh: Set<string> }): LocalDecl | undefined {
  const decls = visibleDecls(file, at, fn, names.context);
  const fresh = new Set<string>();
  const isFresh = (n: Node): boolean => isEmptyContext(file, n) || (n.type === 'identifier' && fresh.has(n.text));
  const skip = new Set<LocalDecl>();
  for (const d of decls) {
    if (!d.ctxName) continue;
    if (!d.value) {
      skip.add(d); // nil until assigned
      continue;
    }
    if (isEmptyContext(file, d.value)) {
      fresh.add(d.ctxName);
      skip.add(d);
      continue;
    }
    const derived = derivationOf(file, d.value);
    if (derived && isFresh(derived.parent)) {
      fresh.add(d.ctxName);
      skip.add(d);
    } else if (derived?.ownDeadline && derived.parent.text !== d.ctxName && !d.cancelDeferred) {
      skip.add(d);
    } else {
      fresh.delete(d.ctxName);
    }
  }
  for (const f of fresh) names.fresh.add(f);
  for (let i = decls.length - 1; i >= 0; i--) {
    const d = decls[i];
    if (d.ctxName && !skip.has(d)) return d;
    // `ctx := context.Background()` hides nothing that matters: the fix drops it (see missing-context).
    if (d.ctxName && d.value && isEmptyContext(file, d.value)) continue;
    // A fresh or nil context, or any other local, hides an outer context of the same name;
    // an own-deadline derivation does not (its parent is what it points to).
    if (d.ctxName && skip.has(d) && !fresh.has(d.ctxName) && d.value) continue;
    for (const name of d.names) names.shadowed.add(name);
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
  const fresh = new Set<string>();
  for (let fn: Node | null = at.parent; fn; fn = fn.parent) {
    if (!FUNCTION_TYPES.has(fn.type)) continue;
    const rf = scope.handlerOf(fn);
    const contextExprs = rf?.contextExpr ? [rf.contextExpr] : [];
    for (let n: Node | null = at; n && n.id !== fn.id; n = n.parent) if (n.type === 'go_statement') detached = true;
    const local = localContext(file, at, fn, { context: contextExprs, shadowed, fresh });
    if (local) return { expr: local.ctxName, detached, isVariable: true, owner: fn, decl: { names: local.names, value: local.value }, freshLocals: [...fresh] };
    const param = params(fn, 'parameters').find((p) => {
      const t = typeRef(file, p.type);
      return t.path === 'context' && t.name === 'Context' && !t.pointer;
    });
    if (param) {
      // `_` or `_ctx`: the author says the function does not use it.
      if (!param.name || param.name.startsWith('_') || shadowed.has(param.name)) return undefined;
      return { expr: param.name, detached, isVariable: true, owner: fn, freshLocals: [...fresh] };
    }
    if (rf?.contextExpr) {
      const root = rf.contextExpr.split('.')[0];
      if (shadowed.has(root)) return undefined;
      return { expr: rf.contextExpr, detached, isVariable: false, owner: fn, freshLocals: [...fresh] };
    }
    // `once.Do(func() {...})` runs once for the process: no request's context belongs there.
    if (fn.type !== 'func_literal' || isOnceArgument(fn)) return undefined;
    if (isGoStatementCallee(fn) || isTimerCallback(file, fn)) detached = true;
    at = fn;
  }
  return undefined;
}

/** `time.AfterFunc(d, func() {...})`: the literal runs later, in a goroutine of its own. */
function isTimerCallback(file: GoFile, lit: Node): boolean {
  const call = lit.parent?.type === 'argument_list' ? lit.parent.parent : null;
  const fn = call?.childForFieldName('function');
  return !!fn && file.imports.resolves(fn, 'time', 'AfterFunc');
}

/** `go func() {...}()`: the literal is the callee of a `go` statement's call. */
export function isGoStatementCallee(lit: Node): boolean {
  const call = lit.parent;
  return call?.type === 'call_expression' && call.childForFieldName('function')?.id === lit.id && call.parent?.type === 'go_statement';
}
