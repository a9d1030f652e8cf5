/**
 * Goroutines started by `go` statements, seen from the function that starts
 * them: what the goroutine runs (a func literal, or a call whose arguments are
 * evaluated at once), and whether the starting function may return while it
 * still runs (nothing waits for it: no `Wait()`, no receive, no `select`, no
 * blocking loop or serve call after the `go` statement). Syntax only, pure
 * functions of the nodes given: read by go/request-escapes-handler,
 * go/context-cancelled-early and go/goroutine-shared-write.
 */
import type { Node } from 'web-tree-sitter';
import { FUNCTION_TYPES, describeCall, namedChildrenOf, unparen } from '../syntax';
import type { GoFile } from '../parser';
import { nodesOfType } from '../syntax-index';

export interface Goroutine {
  /** The `go_statement`. */
  go: Node;
  /** The call the statement starts: `func() {...}()` or `f(x)`. */
  call: Node;
  /** The func literal run, for `go func() {...}()`. */
  literal?: Node;
  /** Arguments of the call (evaluated by the starting goroutine, before the new one runs). */
  args: Node[];
  /** The function declaration, method or literal holding the `go` statement. */
  owner: Node;
}

export function goroutineOf(go: Node): Goroutine | undefined {
  const call = namedChildrenOf(go).find((c) => c.type === 'call_expression');
  if (!call) return undefined;
  const info = describeCall(call);
  if (!info) return undefined;
  let owner: Node | undefined;
  for (let n = go.parent; n; n = n.parent) if (FUNCTION_TYPES.has(n.type)) { owner = n; break; }
  if (!owner) return undefined;
  const callee = unparen(info.callee);
  return { go, call, literal: callee.type === 'func_literal' ? callee : undefined, args: info.args, owner };
}

/** Methods whose call blocks the caller for a while: waits, joins, serving loops. */
const BLOCKING_METHODS = new Set([
  'Wait', 'WaitContext', 'Join', 'Sleep', 'Serve', 'ServeTLS', 'ListenAndServe', 'ListenAndServeTLS', 'Run', 'RunContext',
  'Accept', 'Shutdown', 'GracefulStop', 'Stop', 'Wait4', 'Communicate',
]);

/**
 * The function holding `g.go` may return while the goroutine still runs: nothing after the
 * statement waits (a `Wait()`/blocking call, a receive, a `select`, an endless or conditional
 * loop, a range over a value the goroutine uses), no deferred wait, the goroutine does not
 * report to a WaitGroup (`wg.Done()`), and the statement is not inside an endless loop
 * (an accept or worker loop, whose goroutines are meant to live as long as it).
 */
export function outlivesOwner(file: GoFile, g: Goroutine): boolean {
  if (g.literal && reportsDone(file, g.literal)) return false;
  const used = g.literal ? identifierNames(file, g.literal) : new Set(g.args.flatMap((a) => [...identifierNames(file, a)]));
  for (let n: Node = g.go; n.id !== g.owner.id; ) {
    const parent = n.parent;
    if (!parent) break;
    if (parent.type === 'for_statement' && isOpenLoop(parent)) return false;
    for (let s = n.nextNamedSibling; s; s = s.nextNamedSibling) if (blocks(file, s, used)) return false;
    n = parent;
  }
  const body = g.owner.childForFieldName('body');
  return !namedChildrenOf(body).flatMap((c) => (c.type === 'statement_list' ? namedChildrenOf(c) : [c]))
    .some((s) => s.type === 'defer_statement' && blocks(file, s, used) && s.startIndex < g.go.startIndex);
}

/** `for { ... }` or `for cond { ... }`: no counted or ranged iteration (accept, worker and poll loops). */
function isOpenLoop(loop: Node): boolean {
  return !namedChildrenOf(loop).some((c) => c.type === 'for_clause' || c.type === 'range_clause');
}

/** Does `stmt` (outside nested func literals, except deferred ones) block or wait? */
function blocks(file: GoFile, stmt: Node, goroutineNames: ReadonlySet<string>): boolean {
  const stack: Node[] = [stmt];
  while (stack.length > 0) {
    const n = stack.pop();
    if (!n) break;
    if (n.type === 'func_literal' && n.parent?.parent?.type !== 'defer_statement') continue;
    switch (n.type) {
      case 'select_statement':
      case 'receive_statement':
        return true;
      case 'unary_expression':
        if (n.firstChild?.type === '<-') return true;
        break;
      case 'for_statement': {
        if (isOpenLoop(n)) return true;
        const range = namedChildrenOf(n).find((c) => c.type === 'range_clause');
        const right = range?.childForFieldName('right');
        // A range over what the goroutine feeds (`range results`, `range consume(ch)`) waits for it.
        if (right && [...identifierNames(file, right)].some((name) => goroutineNames.has(name))) return true;
        break;
      }
      case 'call_expression': {
        const fn = n.childForFieldName('function');
        const name = fn?.type === 'selector_expression' ? fn.childForFieldName('field')?.text : fn?.text;
        if (name && BLOCKING_METHODS.has(name)) return true;
        break;
      }
      default:
        break;
    }
    for (const c of namedChildrenOf(n)) stack.push(c);
  }
  return false;
}

/** The literal calls `X.Done()` as a statement (a WaitGroup or a similar joiner): someone waits for it. */
function reportsDone(file: GoFile, literal: Node): boolean {
  return nodesOfType(file, literal, 'call_expression').some((c) => {
    const fn = c.childForFieldName('function');
    if (fn?.type !== 'selector_expression' || fn.childForFieldName('field')?.text !== 'Done') return false;
    const p = c.parent;
    return p?.type === 'expression_statement' || p?.type === 'defer_statement';
  });
}

function identifierNames(file: GoFile, node: Node): Set<string> {
  const out = new Set<string>();
  if (node.type === 'identifier') out.add(node.text);
  for (const id of nodesOfType(file, node, 'identifier')) out.add(id.text);
  return out;
}

/**
 * Does a use of the context `use` (an identifier or `r.Context()` call inside a goroutine) only
 * observe its end or read its values — `ctx.Done()`, `ctx.Err()`, `ctx.Value(k)`,
 * `context.WithoutCancel(ctx)`, `trace.SpanFromContext(ctx)` — rather than hand it to work
 * that a cancellation would abort?
 */
export function onlyObservesContext(use: Node): boolean {
  const sel = use.parent;
  if (sel?.type === 'selector_expression' && sel.childForFieldName('operand')?.id === use.id) {
    const field = sel.childForFieldName('field')?.text ?? '';
    return ['Done', 'Err', 'Value', 'Deadline'].includes(field);
  }
  const args = use.parent;
  const call = args?.type === 'argument_list' ? args.parent : undefined;
  const fn = call?.childForFieldName('function');
  const name = fn?.type === 'selector_expression' ? fn.childForFieldName('field')?.text ?? '' : fn?.text ?? '';
  return name === 'WithoutCancel' || /FromContext$|FromIncomingContext$|FromOutgoingContext$/.test(name);
}

/** Nodes inside `root` that are not inside a nested `go` statement (their own goroutines). */
export function withinGoroutine(node: Node, literal: Node): boolean {
  for (let n = node.parent; n && n.id !== literal.id; n = n.parent) if (n.type === 'go_statement') return false;
  return true;
}

/** Calls that order the caller after another goroutine's work: waits and locks. */
const SYNC_METHODS = new Set(['Wait', 'WaitContext', 'Join', 'Lock', 'RLock', 'Do']);

/**
 * Is there a synchronising operation of `fn` itself (not of a nested func literal) that starts in
 * [start, end): a receive, a `select`, a `Wait()`/`Lock()` call?
 */
export function syncBetween(fn: Node, start: number, end: number): boolean {
  return syncNodes(fn).some((n) => n.startIndex >= start && n.startIndex < end);
}

/** Does `within` (a node of a func literal) hold a synchronising operation before offset `before`? */
export function syncBefore(within: Node, before: number): boolean {
  return syncNodes(within).some((n) => n.startIndex < before);
}

function syncNodes(root: Node): Node[] {
  const out: Node[] = [];
  const stack: Node[] = [...namedChildrenOf(root)];
  while (stack.length > 0) {
    const n = stack.pop();
    if (!n || n.type === 'func_literal' || n.type === 'go_statement') continue;
    if (n.type === 'select_statement' || n.type === 'receive_statement' || (n.type === 'unary_expression' && n.firstChild?.type === '<-')) out.push(n);
    else if (n.type === 'call_expression') {
      const fn = n.childForFieldName('function');
      if (fn?.type === 'selector_expression' && SYNC_METHODS.has(fn.childForFieldName('field')?.text ?? '')) out.push(n);
    }
    for (const c of namedChildrenOf(n)) stack.push(c);
  }
  return out;
}
