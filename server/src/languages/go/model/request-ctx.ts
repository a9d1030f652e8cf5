/**
 * The context an `*http.Request` carries, read from the function that builds
 * it: `http.NewRequestWithContext(ctx, ...)`, then `req = req.WithContext(ctx)`
 * or `req.Clone(ctx)` (the last one before the point wins), or a request given
 * its context in place (`c.Do(req.WithContext(ctx))`). And whether a context
 * carries a deadline: a local derived with `context.WithTimeout/WithDeadline`
 * (or derived in turn from one, which inherits it). Textual order within one
 * function stands in for control flow.
 */
import type { Node } from 'web-tree-sitter';
import type { GoFile } from '../parser';
import { assignedNames, assignedValues, describeCall, enclosingFunction, unparen } from '../syntax';
import { nodesOfType } from '../syntax-index';

const WITH_CONTEXT = new Set(['WithContext', 'Clone']);

/** `req.WithContext(ctx)` / `req.Clone(ctx)`: the request operand and the context argument. */
function withContextCall(node: Node): { req: Node; ctx: Node } | undefined {
  const e = unparen(node);
  const info = e.type === 'call_expression' ? describeCall(e) : undefined;
  if (!info?.receiver || !WITH_CONTEXT.has(info.name) || info.args.length !== 1) return undefined;
  return { req: info.receiver, ctx: info.args[0] };
}

/** Assignments and `:=`/`var` declarations of `name` in `fn` before `at`, in source order, with their value. */
function valuesAssignedBefore(file: GoFile, fn: Node, name: string, at: number): Node[] {
  const out: Node[] = [];
  for (const stmt of nodesOfType(file, fn, ['short_var_declaration', 'assignment_statement', 'var_spec'])) {
    if (stmt.startIndex >= at) continue;
    const names = assignedNames(stmt);
    const values = assignedValues(stmt);
    const i = names.findIndex((n) => n.text === name);
    if (i < 0) continue;
    // `req, err := f()`: one call, several results: the request is its first.
    const value = values.length === names.length ? values[i] : i === 0 ? values[0] : undefined;
    if (value) out.push(value);
  }
  return out;
}

/** The context expression the request `reqExpr` carries at its use, when the function shows it. */
export function contextOfRequest(file: GoFile, reqExpr: Node): Node | undefined {
  const direct = withContextCall(reqExpr);
  if (direct) return direct.ctx;
  const e = unparen(reqExpr);
  const fn = enclosingFunction(e);
  if (e.type !== 'identifier' || !fn) return undefined;
  const value = valuesAssignedBefore(file, fn, e.text, e.startIndex).at(-1);
  if (!value) return undefined;
  const w = withContextCall(value);
  if (w) return w.ctx;
  const call = unparen(value);
  const callee = call.type === 'call_expression' ? call.childForFieldName('function') : null;
  if (callee && file.imports.resolves(callee, 'net/http', 'NewRequestWithContext')) return describeCall(call)?.args[0];
  return undefined;
}

/** Does `ctxExpr` carry a deadline: a local made by WithTimeout/WithDeadline, or derived from one? */
export function hasDeadline(file: GoFile, ctxExpr: Node, depth = 0): boolean {
  const e = unparen(ctxExpr);
  const fn = enclosingFunction(e);
  if (depth > 4 || e.type !== 'identifier' || !fn) return false;
  const value = valuesAssignedBefore(file, fn, e.text, e.startIndex).at(-1);
  const call = value ? unparen(value) : undefined;
  const callee = call?.type === 'call_expression' ? call.childForFieldName('function') : null;
  const q = callee ? file.imports.qualifiedName(callee) : undefined;
  if (!call || q?.path !== 'context') return false;
  if (/^With(Timeout|Deadline)(Cause)?$/.test(q.name)) return true;
  const parent = describeCall(call)?.args[0];
  return /^With(Cancel|CancelCause|Value)$/.test(q.name) && !!parent && hasDeadline(file, parent, depth + 1);
}

/** Is a request built without a context (`req, err := http.NewRequest(...)`) given one later in its function? */
export function requestGetsContextLater(file: GoFile, reqName: Node): boolean {
  const fn = enclosingFunction(reqName);
  if (!fn || reqName.type !== 'identifier') return false;
  return nodesOfType(file, fn, 'call_expression').some((c) => {
    if (c.startIndex < reqName.endIndex) return false;
    const w = withContextCall(c);
    return !!w && unparen(w.req).type === 'identifier' && w.req.text === reqName.text;
  });
}
