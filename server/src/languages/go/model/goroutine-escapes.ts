/**
 * What a goroutine that its starting function does not wait for takes with
 * it: the handler's request (`r.Body`, `r.Context()`, `r` itself), its
 * `http.ResponseWriter`, a gin/echo/fiber context, the request's context or
 * one derived from it, or a context that the starting function cancels with
 * `defer cancel()`. One classification read by two rules, so that a goroutine
 * gets one finding: go/request-escapes-handler when it takes request values,
 * go/context-cancelled-early when all it takes is a context cancelled on return.
 */
import type { Node } from 'web-tree-sitter';
import type { GoFile } from '../parser';
import type { RequestFunction, RequestScope } from './request-scope';
import { params, typeRef } from '../func';
import { declaringScope } from '../scope';
import { FUNCTION_TYPES, assignedNames, assignedValues, describeCall, isWithinNode, namedChildrenOf, unparen } from '../syntax';
import { goroutineOf, onlyObservesContext, outlivesOwner, withinGoroutine, type Goroutine } from './goroutines';
import { nodesOfType, type IndexedType } from '../syntax-index';

/**
 * `body`: the request body (closed on return); `writer`: the ResponseWriter; `framework`: a pooled
 * gin/echo/fiber context; `requestContext`: the request's context or one derived from it; `request`:
 * the `*http.Request` handed on whole; `cancelledContext`: a context the owner cancels when it returns.
 */
export type EscapeKind = 'body' | 'writer' | 'framework' | 'requestContext' | 'request' | 'cancelledContext';

export interface EscapeUse {
  /** The expression the goroutine uses: `r.Body`, `r.Context()`, `ctx`, `c`. */
  node: Node;
  kind: EscapeKind;
  /** For a derived context: its declaration's cancel function and `defer` statement. */
  cancel?: CancelledContext;
}

export interface CancelledContext {
  /** The context variable and its cancel function, as declared. */
  ctx: string;
  cancel: string;
  decl: Node;
  /** The `defer cancel()` statement. */
  defer: Node;
}

export interface GoroutineEscape {
  goroutine: Goroutine;
  /** The handler starting it, when it is one (net/http, gin, echo, fiber, gRPC). */
  handler?: RequestFunction;
  uses: EscapeUse[];
}

/** Methods of `*http.Request` that read the body. */
const BODY_READERS = new Set(['FormValue', 'PostFormValue', 'FormFile', 'ParseForm', 'ParseMultipartForm', 'MultipartReader']);
const CANCELLING = /^With(Cancel|Timeout|Deadline)(Cause)?$/;

/** The escapes of the goroutine `go` starts, when its owner may return before it ends; undefined otherwise. */
export function goroutineEscapes(file: GoFile, scope: RequestScope, go: Node): GoroutineEscape | undefined {
  const g = goroutineOf(go);
  if (!g || !outlivesOwner(file, g)) return undefined;
  const direct = scope.handlerOf(g.owner);
  // net/http handlers return nothing: a function of that shape with results is a helper whose
  // caller keeps the request alive (it may hand back a function that waits).
  const handler = direct?.kind === 'net/http' && g.owner.childForFieldName('result') ? undefined : direct;
  const cancelled = cancelledContexts(file, g.owner);
  const requestContexts = handler ? requestContextLocals(file, g.owner, handler) : new Set<string>();
  const writer = handler?.kind === 'net/http' ? writerParam(file, g.owner) : undefined;
  const uses: EscapeUse[] = [];
  const roots = g.literal ? [g.literal] : g.args;
  for (const root of roots) {
    for (const id of root.type === 'identifier' ? [root] : nodesOfType(file, root, 'identifier')) {
      if ((g.literal && !withinGoroutine(id, g.literal))) continue;
      const decl = declaringScope(id);
      // Only the owner's own names: parameters and locals declared outside the goroutine.
      if (!decl || (g.literal && isWithinNode(decl, g.literal)) || !isWithinNode(g.go, decl)) continue;
      if (enclosingFunctionOf(decl) !== g.owner.id) continue;
      const use = classify(id, handler, writer, requestContexts, cancelled);
      if (use) uses.push(use);
    }
  }
  const kept = uses.filter((u) => !isContextUse(u) || !(watches(file, roots, u.node.text) || handsOnCancel(file, roots, u) || valueOnlyCallee(file, u.node)));
  return kept.length > 0 ? { goroutine: g, handler, uses: kept } : undefined;
}

function isContextUse(u: EscapeUse): boolean {
  return u.kind === 'requestContext' || u.kind === 'cancelledContext';
}

/** The goroutine waits for the context's end (`<-ctx.Done()`): a watcher, meant to run until then. */
function watches(file: GoFile, roots: readonly Node[], ctxText: string): boolean {
  return roots.some((root) => nodesOfType(file, root, 'unary_expression').some((u) =>
    u.firstChild?.type === '<-' && u.childForFieldName('operand')?.text === `${ctxText}.Done()`));
}

/** The goroutine gets the cancel function too (`go c.read(ctx, conn, cancel)`): it takes part in the context's lifetime. */
function handsOnCancel(file: GoFile, roots: readonly Node[], u: EscapeUse): boolean {
  const cancel = u.cancel?.cancel;
  return !!cancel && roots.some((root) => (root.type === 'identifier' ? root.text === cancel : nodesOfType(file, root, 'identifier').some((id) => id.text === cancel)));
}

/**
 * `f(ctx, ...)` where `f` is a function or method of this file that uses that parameter only to
 * read values or watch its end (`ctx.Value(k)`): the cancellation does not cut its work short.
 */
function valueOnlyCallee(file: GoFile, use: Node): boolean {
  const args = use.parent;
  const call = args?.type === 'argument_list' ? args.parent : undefined;
  const info = call ? describeCall(call) : undefined;
  if (!info || !info.name) return false;
  const index = info.args.findIndex((a) => a.id === use.id);
  const decls = namedChildrenOf(file.root).filter((d) =>
    (d.type === 'function_declaration' && !info.receiver) || (d.type === 'method_declaration' && !!info.receiver)).filter((d) => d.childForFieldName('name')?.text === info.name);
  if (decls.length !== 1 || index < 0) return false;
  const param = params(decls[0], 'parameters').at(index);
  const body = decls[0].childForFieldName('body');
  if (!param?.name || !body) return false;
  const refs = nodesOfType(file, body, 'identifier').filter((id): id is Node => id.text === param.name);
  return refs.every((id) => onlyObservesContext(id));
}

function enclosingFunctionOf(scope: Node): number | undefined {
  for (let n: Node | null = scope; n; n = n.parent) if (FUNCTION_TYPES.has(n.type)) return n.id;
  return undefined;
}

function classify(
  id: Node, handler: RequestFunction | undefined, writer: string | undefined,
  requestContexts: ReadonlySet<string>, cancelled: ReadonlyMap<string, CancelledContext>,
): EscapeUse | undefined {
  const name = id.text;
  const parentSel = id.parent?.type === 'selector_expression' && id.parent.childForFieldName('operand')?.id === id.id ? id.parent : undefined;
  const field = parentSel?.childForFieldName('field')?.text;
  if (handler?.requestParam === name) {
    if (field === 'Body') return { node: parentSel ?? id, kind: 'body' };
    const call = parentSel?.parent?.type === 'call_expression' ? parentSel.parent : undefined;
    if (field === 'Context' && call) return onlyObservesContext(call) ? undefined : { node: call, kind: 'requestContext' };
    if (field && BODY_READERS.has(field) && call) return { node: call, kind: 'body' };
    // `r` handed on whole: the callee may read the body or the context.
    if (!parentSel && id.parent?.type === 'argument_list') return { node: id, kind: 'request' };
    return undefined;
  }
  if (writer === name) return { node: id, kind: 'writer' };
  if (handler?.frameworkParam === name) return { node: id, kind: 'framework' };
  const c = cancelled.get(name);
  if (c) return onlyObservesContext(id) ? undefined : { node: id, kind: 'cancelledContext', cancel: c };
  if (requestContexts.has(name) || (handler?.kind === 'grpc' && handler.contextParam === name)) {
    return onlyObservesContext(id) ? undefined : { node: id, kind: 'requestContext' };
  }
  return undefined;
}

/** The `http.ResponseWriter` parameter's name. */
function writerParam(file: GoFile, fn: Node): string | undefined {
  return params(fn, 'parameters').find((p) => {
    const t = typeRef(file, p.type);
    return t.path === 'net/http' && t.name === 'ResponseWriter';
  })?.name || undefined;
}

/** Statements of `fn` outside nested func literals, in source order. */
function ownStatements(file: GoFile, fn: Node, types: readonly IndexedType[]): Node[] {
  const body = fn.childForFieldName('body');
  if (!body) return [];
  return nodesOfType(file, body, types).filter((n) => {
    for (let p = n.parent; p; p = p.parent) if (FUNCTION_TYPES.has(p.type)) return p.id === fn.id;
    return false;
  });
}

/** Locals of a handler holding the request's context or one derived from it (`ctx := r.Context()`). */
function requestContextLocals(file: GoFile, fn: Node, handler: RequestFunction): Set<string> {
  const out = new Set<string>();
  if (handler.contextParam) out.add(handler.contextParam);
  const isRequestCtx = (e: Node): boolean => {
    const v = unparen(e);
    if (handler.contextExpr && v.text === handler.contextExpr) return true;
    if (v.type === 'identifier') return out.has(v.text);
    const info = v.type === 'call_expression' ? describeCall(v) : undefined;
    const q = info ? file.imports.qualifiedName(unparen(info.callee)) : undefined;
    // `context.WithoutCancel(r.Context())` keeps the values and drops the cancellation.
    if (!info || q?.path !== 'context' || q.name === 'WithoutCancel') return false;
    return !!info.args[0] && isRequestCtx(info.args[0]);
  };
  for (let pass = 0; pass < 2; pass++) {
    for (const s of ownStatements(file, fn, ['short_var_declaration', 'assignment_statement', 'var_spec'])) {
      const values = assignedValues(s);
      const names = assignedNames(s);
      if (values.length >= 1 && names[0] && names[0].text !== '_' && isRequestCtx(values[0])) out.add(names[0].text);
    }
  }
  out.delete(handler.requestParam ?? '');
  return out;
}

/** `ctx, cancel := context.WithTimeout(...)` with a `defer cancel()` in the same function, by context name. */
function cancelledContexts(file: GoFile, fn: Node): Map<string, CancelledContext> {
  const out = new Map<string, CancelledContext>();
  const defers = ownStatements(file, fn, ['defer_statement']);
  if (defers.length === 0) return out;
  for (const decl of ownStatements(file, fn, ['short_var_declaration', 'assignment_statement'])) {
    const names = assignedNames(decl);
    const value = assignedValues(decl).at(0);
    if (names.length !== 2 || !value || value.type !== 'call_expression') continue;
    const callee = unparen(value.childForFieldName('function') ?? value);
    const q = file.imports.qualifiedName(callee);
    if (q?.path !== 'context' || !CANCELLING.test(q.name)) continue;
    const [ctx, cancel] = [names[0].text, names[1].text];
    if (ctx === '_' || cancel === '_') continue;
    const d = defers.find((s) => s.startIndex > decl.startIndex && isDeferredCall(s, cancel));
    if (d) out.set(ctx, { ctx, cancel, decl, defer: d });
  }
  return out;
}

/** `defer cancel()` / `defer cancel(nil)` / `defer func() { cancel() }()`. */
function isDeferredCall(stmt: Node, name: string): boolean {
  const call = namedChildrenOf(stmt).find((c) => c.type === 'call_expression');
  const fn = call ? unparen(call.childForFieldName('function') ?? call) : undefined;
  if (fn?.type === 'identifier') return fn.text === name;
  if (fn?.type === 'func_literal') {
    const stmts = namedChildrenOf(namedChildrenOf(fn.childForFieldName('body')).find((c) => c.type === 'statement_list'));
    return stmts.length === 1 && stmts[0].type === 'expression_statement' && /^(\w+)\(/.exec(stmts[0].text)?.[1] === name;
  }
  return false;
}

/** The `go` statements of a file that may escape: every rule of this family starts from them. */
export const GO_STATEMENT_QUERY = '(go_statement) @go';
