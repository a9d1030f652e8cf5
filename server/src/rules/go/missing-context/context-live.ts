/**
 * Is the context in scope at a point the caller's *live* context, the only one
 * a fix may pass on without changing what the program does? It is not when:
 * - it is or may be done there (`done`): after a receive from its `Done()`
 *   (a statement or a select case that does not return), inside a select case
 *   or an `if` that saw it done (`ctx.Err() != nil`, `context.Canceled`,
 *   `context.DeadlineExceeded`), after a call of its own cancel/stop func (or
 *   errgroup's `Wait`), inside `context.AfterFunc(ctx, ...)`;
 * - it is nil there (`nil`): inside `if ctx == nil {...}` or the `else` of
 *   `if ctx != nil` (a nil context is the caller's choice, and passing it panics);
 * - the point runs on the way out (`on-exit`): a deferred call, a func literal
 *   given to `RegisterOnShutdown` or `Cleanup`, or returned to the caller (a stop func);
 * - a fresh context gets a budget of its own (`own-budget`):
 *   `context.WithTimeout(context.Background(), ...)` while the context in scope
 *   is a local derived with its own deadline or cancel for other work (the
 *   primary call's shorter deadline, the signal context of a graceful shutdown).
 * Textual order stands in for control flow: a done point later in a loop body
 * is not seen (a documented limit).
 */
import type { Node } from 'web-tree-sitter';
import type { GoFile } from '../../../languages/go/parser';
import type { ContextInScope } from './context-calls';
import { FUNCTION_TYPES, holdsStatements, isWithinNode, nilComparison, statementsOf, unparen } from '../../../languages/go/syntax';
import { nodesOfType } from '../../../languages/go/syntax-index';

export type Liveness = 'live' | 'done' | 'nil' | 'on-exit' | 'own-budget';

/** Hooks whose func literal runs when the process or test winds down. */
const EXIT_HOOKS = new Set(['RegisterOnShutdown', 'Cleanup']);
/** Derivations that give a context its own deadline or cancel func. */
const DERIVED = /^With(Cancel|Timeout|Deadline)(Cause)?$/;

export function contextLiveness(file: GoFile, inScope: ContextInScope, at: Node): Liveness {
  const expr = inScope.expr;
  for (let n: Node | null = at.parent; n && n.id !== inScope.owner.id; n = n.parent) {
    if (n.type === 'defer_statement') return 'on-exit';
    if (n.type === 'func_literal') {
      // A func literal handed back to the caller (a shutdown or cleanup func) runs after this call is over.
      if (n.parent?.type === 'expression_list' && n.parent.parent?.type === 'return_statement') return 'on-exit';
      const hook = hookOf(file, n);
      if (hook === 'exit') return 'on-exit';
      if (hook === 'after' && firstArgument(n.parent?.parent)?.text === expr) return 'done';
    }
    if (n.type === 'communication_case' && isDoneReceive(n.childForFieldName('communication')?.childForFieldName('right'), expr)) {
      const comm = n.childForFieldName('communication');
      if (comm && !isWithinNode(at, comm)) return 'done';
    }
    if (n.type === 'block' && n.parent?.type === 'if_statement' && n.parent.childForFieldName('consequence')?.id === n.id &&
        conditionSeesDone(file, n.parent, expr)) return 'done';
    if (n.parent?.type === 'if_statement' && isNilBranch(n.parent, n, expr)) return 'nil';
  }
  if (hasDonePointBefore(file, inScope, at)) return 'done';
  if (isFreshWithOwnBudget(file, at) && isDerived(file, inScope.decl?.value)) return 'own-budget';
  return 'live';
}

function calleeName(call: Node | null | undefined): string | undefined {
  const fn = call?.type === 'call_expression' ? call.childForFieldName('function') : null;
  if (!fn) return undefined;
  if (fn.type === 'identifier') return fn.text;
  return fn.type === 'selector_expression' ? fn.childForFieldName('field')?.text : undefined;
}

function firstArgument(call: Node | null | undefined): Node | undefined {
  return call?.childForFieldName('arguments')?.namedChildren.find((a) => a && a.type !== 'comment') ?? undefined;
}

/** `srv.RegisterOnShutdown(func() {...})`, `t.Cleanup(...)` → exit; `context.AfterFunc(ctx, func() {...})` → after. */
function hookOf(file: GoFile, lit: Node): 'exit' | 'after' | undefined {
  const call = lit.parent?.type === 'argument_list' ? lit.parent.parent : null;
  const name = calleeName(call);
  if (!call || !name) return undefined;
  if (EXIT_HOOKS.has(name)) return 'exit';
  const fn = call.childForFieldName('function');
  return fn && file.imports.resolves(fn, 'context', 'AfterFunc') ? 'after' : undefined;
}

/** Is `branch` the part of `if` where `expr` is nil (`expr == nil` consequence, `expr != nil` alternative)? */
function isNilBranch(ifStmt: Node, branch: Node, expr: string): boolean {
  const c = nilComparison(ifStmt.childForFieldName('condition'));
  if (!c || c.name !== expr) return false;
  const side = ifStmt.childForFieldName(c.op === '==' ? 'consequence' : 'alternative');
  return side?.id === branch.id;
}

/** `<-expr.Done()` */
function isDoneReceive(node: Node | null | undefined, expr: string): boolean {
  if (!node || node.type !== 'unary_expression' || node.child(0)?.type !== '<-') return false;
  const call = node.childForFieldName('operand');
  const fn = call?.type === 'call_expression' ? call.childForFieldName('function') : null;
  return fn?.type === 'selector_expression' && fn.childForFieldName('field')?.text === 'Done' && fn.childForFieldName('operand')?.text === expr;
}

/** `if ctx.Err() != nil`, `if err := ctx.Err(); err != nil`, `if errors.Is(err, context.DeadlineExceeded)`. */
function conditionSeesDone(file: GoFile, ifStmt: Node, expr: string): boolean {
  const cond = ifStmt.childForFieldName('condition');
  if (!cond) return false;
  const parts = [cond, ifStmt.childForFieldName('initializer')].filter((x): x is Node => !!x);
  for (const part of parts) {
    for (const sel of [part, ...nodesOfType(file, part, 'selector_expression')]) {
      if (sel.type === 'selector_expression' && file.imports.resolves(sel, 'context', 'Canceled', 'DeadlineExceeded')) return true;
    }
  }
  const checksErr = parts.some((p) => nodesOfType(file, p, 'call_expression').some((c) => {
    const fn = c.childForFieldName('function');
    return fn?.type === 'selector_expression' && fn.childForFieldName('field')?.text === 'Err' && fn.childForFieldName('operand')?.text === expr;
  }));
  // `if ctx.Err() == nil {...}`: the body runs while it is live.
  return checksErr && !/==\s*nil\s*$/.test(unparen(cond).text);
}

/** Names whose call makes the context done: its cancel/stop func, or `g.Wait` of an errgroup. */
function cancelCalls(file: GoFile, inScope: ContextInScope): string[] {
  const value = inScope.decl?.value;
  const fn = value?.type === 'call_expression' ? value.childForFieldName('function') : null;
  const q = fn ? file.imports.qualifiedName(fn) : undefined;
  const names = inScope.decl?.names ?? [];
  if (!q) return [];
  if ((q.path === 'context' && DERIVED.test(q.name)) || (q.path === 'os/signal' && q.name === 'NotifyContext')) {
    return names[1] && names[1] !== '_' ? [names[1]] : [];
  }
  if (q.path === 'golang.org/x/sync/errgroup' && q.name === 'WithContext') return names[0] && names[0] !== '_' ? [`${names[0]}.Wait`] : [];
  return [];
}

/** A receive from its `Done()` or a call of its cancel func, before `at` and on the way to it. */
function hasDonePointBefore(file: GoFile, inScope: ContextInScope, at: Node): boolean {
  const from = inScope.decl?.value?.endIndex ?? inScope.owner.startIndex;
  const cancels = cancelCalls(file, inScope);
  const body = inScope.owner.childForFieldName('body');
  if (!body) return false;
  for (const d of nodesOfType(file, body, ['unary_expression', 'call_expression'])) {
    if (d.startIndex < from || d.startIndex >= at.startIndex) continue;
    const isPoint = d.type === 'unary_expression'
      ? isDoneReceive(d, inScope.expr)
      : cancels.includes(d.childForFieldName('function')?.text ?? '');
    if (isPoint && reaches(d, at)) return true;
  }
  return false;
}

/** Does control go on from `d` to the later `at`: not in another function, goroutine or deferred call, nor in a block that returns first? */
function reaches(d: Node, at: Node): boolean {
  for (let m: Node | null = d.parent; m && !isWithinNode(at, m); m = m.parent) {
    if (FUNCTION_TYPES.has(m.type) || m.type === 'go_statement' || m.type === 'defer_statement') return false;
    if (holdsStatements(m) && isTerminating(statementsOf(m).at(-1))) return false;
  }
  return true;
}

function isTerminating(stmt: Node | undefined): boolean {
  if (!stmt) return false;
  if (stmt.type === 'return_statement') return true;
  if (stmt.type !== 'expression_statement') return false;
  const call = stmt.namedChildren[0];
  const fn = call?.type === 'call_expression' ? call.childForFieldName('function') : null;
  return !!fn && /^(panic|os\.Exit|log\.Fatal\w*|log\.Panic\w*)$/.test(fn.text);
}

/** `context.Background()` / `context.TODO()` as the parent of a derivation with its own deadline or cancel. */
function isFreshWithOwnBudget(file: GoFile, at: Node): boolean {
  const call = at.parent?.type === 'argument_list' ? at.parent.parent : null;
  return !!call && firstArgument(call)?.id === at.id && isDerived(file, call);
}

function isDerived(file: GoFile, value: Node | undefined): boolean {
  const fn = value?.type === 'call_expression' ? value.childForFieldName('function') : null;
  const q = fn ? file.imports.qualifiedName(fn) : undefined;
  return !!q && ((q.path === 'context' && DERIVED.test(q.name)) || (q.path === 'os/signal' && q.name === 'NotifyContext'));
}
