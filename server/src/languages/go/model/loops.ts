/** How many times a Go `for` loop runs, as far as syntax shows. */
import type { Node } from 'web-tree-sitter';
import { assignedNames, enclosingFunction, isTerminating, logicalOperands, statementsOf, unparen } from '../syntax';
import type { GoFile } from '../parser';
import { nodesOfType } from '../syntax-index';

/**
 * - `request`: a `range` over request data (body, query, decoded payload, values built from them),
 *   a `range` over a count parsed from the request (`for range n`, Go 1.22), or a counted loop
 *   bounded by `len(<request data>)` or by request data itself (`for i := 0; i < n; i++` with
 *   `n, _ := strconv.Atoi(r.URL.Query().Get("n"))`) — unless that count is capped before the loop
 *   (`if n > max { n = max }`, `if n > max { return }`, `n = min(n, max)`);
 * - `constant`: the trip count is a literal (`for i := 0; i < 4; i++`, `range 4`, `range []T{a, b}`,
 *   a package `const`); see {@link constantTripCount};
 * - `other`: anything else (a channel, a slice of unknown origin, `for {}`).
 */
export type LoopInput = 'request' | 'constant' | 'other';

export function classifyLoop(file: GoFile, forNode: Node, isRequestData: (expr: Node) => boolean): LoopInput {
  if (constantTripCount(forNode) !== undefined) return 'constant';
  const range = forNode.namedChildren.find((c) => c?.type === 'range_clause');
  if (range) {
    const right = range.childForFieldName('right');
    return right && isRequestData(right) && !isCappedBefore(file, right, forNode) ? 'request' : 'other';
  }
  const cond = forClauseCondition(forNode);
  if (cond) {
    for (const call of [cond, ...nodesOfType(file, cond, 'call_expression')]) {
      if (call.type !== 'call_expression' || call.childForFieldName('function')?.text !== 'len') continue;
      const arg = call.childForFieldName('arguments')?.namedChildren[0];
      if (arg && isRequestData(arg)) return 'request';
    }
    // `i < n`, `n > i`: the bound compared with the loop variable is a count taken from the request.
    for (const bound of countBounds(forNode, cond)) {
      if (isRequestData(bound) && !isCappedBefore(file, bound, forNode)) return 'request';
    }
  }
  return 'other';
}

/** The operands a counted loop's condition compares its variable with (`n` in `i < n`, `n > i`, `i < n && ok`). */
export function countBounds(forNode: Node, cond: Node): Node[] {
  const clause = forNode.namedChildren.find((c) => c?.type === 'for_clause');
  const init = clause?.childForFieldName('initializer');
  const vars = new Set(init ? assignedNames(init).map((n) => n.text) : []);
  const out: Node[] = [];
  for (const part of logicalOperands(cond, '&&')) {
    if (part.type !== 'binary_expression' || !/^(<|<=|>|>=|!=)$/.test(part.childForFieldName('operator')?.text ?? '')) continue;
    const left = part.childForFieldName('left');
    const right = part.childForFieldName('right');
    if (!left || !right) continue;
    if (vars.has(unparen(left).text)) out.push(right);
    else if (vars.has(unparen(right).text)) out.push(left);
    else if (vars.size === 0) out.push(left, right); // `for n > 0 { n-- }`
  }
  return out;
}

/**
 * Is the count `expr` (an identifier) capped before `loop` in its function: `if n > max { n = max }`,
 * `if n < 1 || n > max { return }` (or http.Error and return, continue, panic), `n = min(n, max)`?
 * A cap by any value counts: the author chose a bound.
 */
export function isCappedBefore(file: GoFile, expr: Node, loop: Node): boolean {
  const e = unparen(expr);
  if (e.type === 'call_expression' && e.childForFieldName('function')?.text === 'min') return true;
  if (e.type !== 'identifier') return false;
  const name = e.text;
  const fn = enclosingFunction(loop);
  const body = fn?.childForFieldName('body');
  if (!body) return false;
  for (const stmt of nodesOfType(file, body, ['if_statement', 'assignment_statement', 'short_var_declaration'])) {
    if (stmt.startIndex >= loop.startIndex) continue;
    if (stmt.type !== 'if_statement') {
      // `n = min(n, 100)`
      const names = assignedNames(stmt);
      const i = names.findIndex((n) => n.text === name);
      const value = i >= 0 ? stmt.childForFieldName('right')?.namedChildren[i] : undefined;
      if (value?.type === 'call_expression' && value.childForFieldName('function')?.text === 'min') return true;
      continue;
    }
    const cond = stmt.childForFieldName('condition');
    if (!cond || !logicalOperands(cond, '||').some((c) => isUpperCheck(c, name))) continue;
    const then = stmt.childForFieldName('consequence');
    const assigns = then && nodesOfType(file, then, 'assignment_statement').some((a) => assignedNames(a).some((n) => n.text === name));
    if (assigns || isTerminating(statementsOf(then).at(-1))) return true;
  }
  return false;
}

/** `n > max`, `n >= max`, `max < n`, `max <= n`. */
function isUpperCheck(cmp: Node, name: string): boolean {
  const e = unparen(cmp);
  if (e.type !== 'binary_expression') return false;
  const op = e.childForFieldName('operator')?.text ?? '';
  const left = e.childForFieldName('left');
  const right = e.childForFieldName('right');
  if (left && unparen(left).text === name && (op === '>' || op === '>=')) return true;
  return !!right && unparen(right).text === name && (op === '<' || op === '<=');
}

/** Trip count when the loop's header shows it as a literal (or a package const of the file), else undefined. */
export function constantTripCount(forNode: Node): number | undefined {
  const range = forNode.namedChildren.find((c) => c?.type === 'range_clause');
  if (range) {
    const right = range.childForFieldName('right');
    if (!right) return undefined;
    if (right.type === 'int_literal' || right.type === 'identifier') return intValue(right);
    if (right.type === 'composite_literal') {
      const body = right.childForFieldName('body');
      const type = right.childForFieldName('type');
      if (type?.type === 'map_type') return undefined;
      return body ? body.namedChildren.filter((c) => c && c.type !== 'comment').length : undefined;
    }
    return undefined;
  }
  const clause = forNode.namedChildren.find((c) => c?.type === 'for_clause');
  const cond = clause?.childForFieldName('condition');
  if (!clause || !cond || cond.type !== 'binary_expression') return undefined;
  const op = cond.childForFieldName('operator')?.text;
  const right = cond.childForFieldName('right');
  const init = clause.childForFieldName('initializer');
  const start = init?.type === 'short_var_declaration' ? init.childForFieldName('right')?.namedChildren[0] : undefined;
  const from = start ? intValue(start) : undefined;
  const to = right ? intValue(right) : undefined;
  if (from === undefined || to === undefined || (op !== '<' && op !== '<=')) return undefined;
  return Math.max(0, to - from + (op === '<=' ? 1 : 0));
}

function forClauseCondition(forNode: Node): Node | null {
  const clause = forNode.namedChildren.find((c) => c?.type === 'for_clause');
  if (clause) return clause.childForFieldName('condition');
  // `for cond { }`: the condition is the statement's own child.
  return forNode.namedChildren.find((c) => c && c.type !== 'block' && c.type !== 'comment') ?? null;
}

/** Integer value of a literal or of an identifier declared `const X = <int>` at package level of the same file. */
export function intValue(node: Node): number | undefined {
  if (node.type === 'int_literal') {
    const v = Number(node.text.replace(/_/g, ''));
    return Number.isFinite(v) ? v : undefined;
  }
  if (node.type !== 'identifier') return undefined;
  const root = rootOf(node);
  for (const decl of root.namedChildren) {
    if (decl?.type !== 'const_declaration') continue;
    for (const spec of decl.namedChildren) {
      if (spec?.type !== 'const_spec') continue;
      const names = spec.childrenForFieldName('name');
      const i = names.findIndex((n) => n?.text === node.text);
      if (i < 0) continue;
      const value = spec.childForFieldName('value')?.namedChildren[i];
      return value?.type === 'int_literal' ? intValue(value) : undefined;
    }
  }
  return undefined;
}

function rootOf(node: Node): Node {
  let n = node;
  while (n.parent) n = n.parent;
  return n;
}
