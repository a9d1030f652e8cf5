/** How many times a Go `for` loop runs, as far as syntax shows. */
import type { Node } from 'web-tree-sitter';

/**
 * - `request`: a `range` over request data (body, query, decoded payload, values built from them),
 *   or a counted loop bounded by `len(<request data>)`;
 * - `constant`: the trip count is a literal (`for i := 0; i < 4; i++`, `range 4`, `range []T{a, b}`,
 *   a package `const`); see {@link constantTripCount};
 * - `other`: anything else (a channel, a slice of unknown origin, `for {}`).
 */
export type LoopInput = 'request' | 'constant' | 'other';

export function classifyLoop(forNode: Node, isRequestData: (expr: Node) => boolean): LoopInput {
  if (constantTripCount(forNode) !== undefined) return 'constant';
  const range = forNode.namedChildren.find((c) => c?.type === 'range_clause');
  if (range) {
    const right = range.childForFieldName('right');
    return right && isRequestData(right) ? 'request' : 'other';
  }
  const cond = forClauseCondition(forNode);
  if (cond) {
    for (const call of [cond, ...cond.descendantsOfType('call_expression')]) {
      if (call?.type !== 'call_expression' || call.childForFieldName('function')?.text !== 'len') continue;
      const arg = call.childForFieldName('arguments')?.namedChildren[0];
      if (arg && isRequestData(arg)) return 'request';
    }
  }
  return 'other';
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
