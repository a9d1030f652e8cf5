import type { Node } from 'web-tree-sitter';

/**
 * Shared Go syntax helpers for rules: navigation (enclosing function,
 * statement, next statement), call descriptions and common condition shapes.
 * Everything here is a pure function of a tree-sitter node and never walks
 * more than the subtree or ancestors it is given. Scopes and references live
 * in go-scope.ts, edit builders in go-edits.ts.
 */

/** Node types that open a function body: declarations, methods and func literals. */
export const FUNCTION_TYPES: ReadonlySet<string> = new Set(['function_declaration', 'method_declaration', 'func_literal']);

/** Node types of statements that loop. */
const LOOP_TYPES: ReadonlySet<string> = new Set(['for_statement']);

/** Nodes whose `statement_list` child holds statements: blocks and case clauses. */
const STATEMENT_LIST_HOLDERS: ReadonlySet<string> = new Set([
  'block', 'expression_case', 'default_case', 'type_case', 'communication_case',
]);

/** Named children without nulls (web-tree-sitter types them nullable). */
export function namedChildrenOf(node: Node | null | undefined): Node[] {
  if (!node) return [];
  const out: Node[] = [];
  for (const c of node.namedChildren) if (c) out.push(c);
  return out;
}

/** Same node (web-tree-sitter returns fresh wrapper objects on each access). */
export function sameNode(a: Node | null | undefined, b: Node | null | undefined): boolean {
  return !!a && !!b && a.id === b.id;
}

/** Is `inner` inside `outer` (or the same node)? */
export function isWithinNode(inner: Node, outer: Node): boolean {
  return inner.startIndex >= outer.startIndex && inner.endIndex <= outer.endIndex && inner.tree === outer.tree;
}

/** Strips parentheses: `((x))` → `x`. */
export function unparen(node: Node): Node {
  let n = node;
  while (n.type === 'parenthesized_expression') {
    const inner = n.namedChildren.find((c) => c && c.type !== 'comment');
    if (!inner) break;
    n = inner;
  }
  return n;
}

/** Nearest enclosing function declaration, method or func literal of `node` (not `node` itself). */
export function enclosingFunction(node: Node): Node | undefined {
  for (let n = node.parent; n; n = n.parent) if (FUNCTION_TYPES.has(n.type)) return n;
  return undefined;
}

/** The body block of a function declaration, method or func literal. */
export function functionBody(fn: Node): Node | undefined {
  return fn.childForFieldName('body') ?? undefined;
}

/** The statement that directly contains `node`: the ancestor-or-self whose parent is a statement list. */
export function enclosingStatement(node: Node): Node | undefined {
  for (let n: Node | null = node; n; n = n.parent) {
    const p = n.parent;
    if (p && p.type === 'statement_list') return n;
    if (n.type === 'source_file') return undefined;
  }
  return undefined;
}

/** The statement list holding a statement (a block's or a case clause's). */
export function statementListOf(stmt: Node): Node | undefined {
  const p = stmt.parent;
  return p && p.type === 'statement_list' ? p : undefined;
}

/** Statements of a block or case clause (comments excluded). */
export function statementsOf(holder: Node | null | undefined): Node[] {
  if (!holder) return [];
  const list = holder.type === 'statement_list' ? holder : holder.namedChildren.find((c) => c?.type === 'statement_list');
  return namedChildrenOf(list).filter((s) => s.type !== 'comment');
}

/** Does `node` hold statements directly (a block or a case clause)? */
export function holdsStatements(node: Node): boolean {
  return STATEMENT_LIST_HOLDERS.has(node.type);
}

/** The statement after `stmt` in its list (comments skipped), if any. */
export function nextStatement(stmt: Node): Node | undefined {
  for (let n = stmt.nextNamedSibling; n; n = n.nextNamedSibling) if (n.type !== 'comment') return n;
  return undefined;
}

/** The statements after `stmt` in its list (comments skipped). */
export function statementsAfter(stmt: Node): Node[] {
  const out: Node[] = [];
  for (let n = stmt.nextNamedSibling; n; n = n.nextNamedSibling) if (n.type !== 'comment') out.push(n);
  return out;
}

/** Is `node` inside a loop body of its own function (a loop outside an enclosing func literal does not count)? */
export function isInsideLoop(node: Node): boolean {
  return enclosingLoop(node) !== undefined;
}

/** Nearest `for` statement around `node` within its function, if any. */
export function enclosingLoop(node: Node): Node | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (FUNCTION_TYPES.has(n.type)) return undefined;
    if (LOOP_TYPES.has(n.type)) return n;
  }
  return undefined;
}

/** The statement an `if`/`switch` initializer belongs to, when `stmt` is one. */
export function initializerOwner(stmt: Node): Node | undefined {
  const p = stmt.parent;
  if (!p) return undefined;
  if (p.type === 'for_clause') return p.parent ?? undefined;
  const init = p.childForFieldName('initializer');
  return init && sameNode(init, stmt) ? p : undefined;
}

/** Callee of a call, described without a type checker. */
export interface CallInfo {
  call: Node;
  /** The `function` field: `http.Get`, `c.Do`, `f`, `s.client.Get`, `(&http.Client{}).Get`. */
  callee: Node;
  /** `Get` in `http.Get`, `f` in `f(x)`; '' for other shapes (func literals, index expressions). */
  name: string;
  /** The operand of a selector callee: `http`, `c`, `s.client`; undefined for plain identifiers. */
  receiver?: Node;
  /** Text of the receiver when it is an identifier or a selector chain (`s.client`), else undefined. */
  receiverPath?: string;
  args: Node[];
  /** True when the last argument is spread (`f(xs...)`): the argument count is unknown. */
  variadicSpread: boolean;
}

/** Describes a `call_expression`; undefined for other nodes. */
export function describeCall(call: Node): CallInfo | undefined {
  if (call.type !== 'call_expression') return undefined;
  const callee = call.childForFieldName('function');
  const argList = call.childForFieldName('arguments');
  if (!callee) return undefined;
  const args = namedChildrenOf(argList).filter((a) => a.type !== 'comment');
  const variadicSpread = args.some((a) => a.type === 'variadic_argument');
  const target = unparen(callee);
  if (target.type === 'identifier') return { call, callee, name: target.text, args, variadicSpread };
  if (target.type === 'selector_expression') {
    const operand = target.childForFieldName('operand');
    const field = target.childForFieldName('field');
    return {
      call, callee, name: field?.text ?? '', receiver: operand ?? undefined,
      receiverPath: operand ? selectorPath(operand) : undefined, args, variadicSpread,
    };
  }
  return { call, callee, name: '', args, variadicSpread };
}

/** `a.b.c` for an identifier or a chain of selectors on an identifier; undefined for anything else. */
export function selectorPath(node: Node): string | undefined {
  const n = unparen(node);
  if (n.type === 'identifier') return n.text;
  if (n.type !== 'selector_expression') return undefined;
  const operand = n.childForFieldName('operand');
  const field = n.childForFieldName('field');
  const head = operand ? selectorPath(operand) : undefined;
  return head !== undefined && field ? `${head}.${field.text}` : undefined;
}

/** `{ name, op }` when `expr` is `name != nil` / `name == nil` (either side, parentheses allowed). */
export function nilComparison(expr: Node | null | undefined): { name: string; op: '==' | '!=' } | undefined {
  if (!expr) return undefined;
  const e = unparen(expr);
  if (e.type !== 'binary_expression') return undefined;
  const op = e.childForFieldName('operator')?.text;
  if (op !== '==' && op !== '!=') return undefined;
  const left = e.childForFieldName('left');
  const right = e.childForFieldName('right');
  if (!left || !right) return undefined;
  const l = unparen(left);
  const r = unparen(right);
  if (r.type === 'nil' && l.type === 'identifier') return { name: l.text, op };
  if (l.type === 'nil' && r.type === 'identifier') return { name: r.text, op };
  return undefined;
}

/** Is `ifStmt` exactly `if err != nil { ... }` for `errName` (no initializer needed, none forbidden)? */
export function isErrNilCheck(ifStmt: Node, errName: string): boolean {
  if (ifStmt.type !== 'if_statement') return false;
  const c = nilComparison(ifStmt.childForFieldName('condition'));
  return c !== undefined && c.name === errName && c.op === '!=';
}

/** The operands of a chain of `&&` or `||` (one element when `expr` is not such a chain). */
export function logicalOperands(expr: Node, op: '&&' | '||'): Node[] {
  const e = unparen(expr);
  if (e.type === 'binary_expression' && e.childForFieldName('operator')?.text === op) {
    const left = e.childForFieldName('left');
    const right = e.childForFieldName('right');
    if (left && right) return [...logicalOperands(left, op), ...logicalOperands(right, op)];
  }
  return [e];
}

/** Calls that never return: `panic`, `os.Exit`, `log.Fatal*`, `t.Fatal*`/`b.Fatal*`, `t.Skip*`, `runtime.Goexit`. */
export function isNoReturnCall(node: Node): boolean {
  const info = describeCall(unparen(node));
  if (!info) return false;
  if (!info.receiver) return info.name === 'panic';
  const recv = info.receiverPath;
  if (recv === 'os' && info.name === 'Exit') return true;
  if (recv === 'runtime' && info.name === 'Goexit') return true;
  if (/^(Fatal|Fatalf|Fatalln|Panic|Panicf|Panicln)$/.test(info.name)) return true;
  return /^(FailNow|SkipNow|Skip|Skipf)$/.test(info.name);
}

/** Does control never fall through the end of `stmt` (return, panic, goto, break, continue, terminating if/else)? */
export function isTerminating(stmt: Node | undefined): boolean {
  if (!stmt) return false;
  switch (stmt.type) {
    case 'return_statement':
    case 'goto_statement':
    case 'break_statement':
    case 'continue_statement':
      return true;
    case 'expression_statement': {
      const e = stmt.namedChildren.find((c) => c && c.type !== 'comment');
      return !!e && isNoReturnCall(e);
    }
    case 'block':
      return isTerminating(statementsOf(stmt).at(-1));
    case 'labeled_statement':
      return isTerminating(stmt.namedChildren.find((c) => c && c.type !== 'label_name' && c.type !== 'comment') ?? undefined);
    case 'if_statement': {
      const alt = stmt.childForFieldName('alternative');
      return !!alt && isTerminating(stmt.childForFieldName('consequence') ?? undefined) && isTerminating(alt);
    }
    default:
      return false;
  }
}

/** Identifier names an assignment, `:=` or `var` spec binds on its left, in order (`_` kept). */
export function assignedNames(stmt: Node): Node[] {
  if (stmt.type === 'short_var_declaration' || stmt.type === 'assignment_statement' || stmt.type === 'range_clause') {
    return namedChildrenOf(stmt.childForFieldName('left')).filter((n) => n.type !== 'comment');
  }
  if (stmt.type === 'var_spec') return stmt.childrenForFieldName('name').filter((n): n is Node => !!n);
  return [];
}

/** The right-hand side expressions of an assignment, `:=` or `var` spec. */
export function assignedValues(stmt: Node): Node[] {
  const field = stmt.type === 'var_spec' ? 'value' : 'right';
  return namedChildrenOf(stmt.childForFieldName(field)).filter((n) => n.type !== 'comment');
}

/**
 * The specs a `var`, `const` or `import` declaration declares, in order: its own, directly or in its spec list,
 * read from its children (no walk), so not those of a function literal among its values, which declare nothing here.
 */
export function specsOf(decl: Node): Node[] {
  const out: Node[] = [];
  for (const c of namedChildrenOf(decl)) {
    if (SPEC_TYPES.has(c.type)) out.push(c);
    else if (c.type.endsWith('_spec_list')) for (const s of namedChildrenOf(c)) if (SPEC_TYPES.has(s.type)) out.push(s);
  }
  return out;
}
const SPEC_TYPES: ReadonlySet<string> = new Set(['var_spec', 'const_spec', 'import_spec']);
