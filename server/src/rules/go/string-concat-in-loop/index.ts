/**
 * Flags `s += x`, `s = s + x` and `s = fmt.Sprintf("%s...", s, ...)` on a string
 * variable declared outside the enclosing `for` loop: each step copies the whole
 * string (quadratic). One finding per variable per loop.
 * Skips: variables whose declaration does not show a string (no type checker),
 * variables declared inside the loop, loops with a small constant trip count.
 *
 * Per declaration; what it reads outside one: the names of the file's
 * `string` struct fields and of its package-level variables that show a
 * string (a key split by name: a declaration depends on those it mentions),
 * and the request scope (an analysis with its key).
 */
import type { Node } from 'web-tree-sitter';
import { defineGoRule } from '../../../engine/rule';
import { defineAnalysis, namedKey } from '../../../core/analysis';
import { derivedFrom, perDeclaration } from '../../../languages/go/decl-memo';
import type { GoFile } from '../../../languages/go/parser';
import { REQUEST_SCOPE } from '../../../languages/go/model/request-scope';
import { constantTripCount } from '../../../languages/go/model/loops';
import { declarationScope, referencesTo } from '../../../languages/go/scope';

import { builderFix, type Append } from './builder-fix';
import { FUNCTION_TYPES } from '../../../languages/go/syntax';
import { nodesOfType, nodesOrNone } from '../../../languages/go/syntax-index';

const STRING_FUNCS: Record<string, RegExp> = {
  strings: /^(Join|Repeat|Replace|ReplaceAll|ToUpper|ToLower|ToTitle|Title|TrimSpace|Trim|TrimLeft|TrimRight|TrimPrefix|TrimSuffix|TrimFunc|Map|Clone)$/,
  fmt: /^(Sprint|Sprintf|Sprintln)$/,
  strconv: /^(Itoa|FormatInt|FormatUint|FormatFloat|FormatBool|Quote|QuoteToASCII|QuoteRune)$/,
};

/**
 * What {@link declarationOf} may find outside the declaration being checked,
 * as a key split by name (fields typed `string`, package-level variables
 * showing a string): a declaration is re-checked when a name it mentions
 * is added or removed. Built from one piece per top-level declaration.
 */
const OUTSIDE_NAMES = defineAnalysis({
  id: 'go/string-concat-in-loop#outside-names',
  on: 'go-file',
  build: () => true,
  declarationKey: (file: GoFile) => {
    const pieces = perDeclaration(file, 'go/string-concat-in-loop#outside', (decl) => ({
      fields: nodesOfType(file, decl, 'field_declaration').flatMap((fd) => (fd.childForFieldName('type')?.text === 'string' ? fd.childrenForFieldName('name').flatMap((n) => (n ? [n.text] : [])) : [])),
      vars: decl.type !== 'var_declaration' ? [] : nodesOfType(file, decl, 'var_spec').flatMap((spec) => spec.childrenForFieldName('name').flatMap((n) => (n && showsString(file, n) ? [n.text] : []))),
    }));
    return derivedFrom(file, 'go/string-concat-in-loop#outside-key', pieces, () => namedKey(pieces.flatMap((p) => [...p.fields.map((f): [string, string] => [f, 'field']), ...p.vars.map((v): [string, string] => [v, 'var'])])));
  },
});

export const rule = defineGoRule({
  id: 'go/string-concat-in-loop',
  meta: {
    title: 'String built by concatenation in a loop',
    description: 'A string grown with += (or s = s + x, or Sprintf of itself) inside a loop copies the whole string every iteration: quadratic time and garbage.',
    severity: 'info',
    fixable: true,
    messages: {
      concat: '{name} grows by concatenation in a loop: each step copies it (O(n²)); use a strings.Builder',
      concatNoFix: '{name} grows by concatenation in a loop (O(n²) copying); no fix: {why}',
    },
    options: {
      smallLoop: { type: 'integer', description: 'Loops with a constant trip count up to this many iterations are ignored.', default: 16, minimum: 0 },
    },
    figures: {
      iterations: { label: 'Iterations (the loop\'s constant bound)', unit: 'count' },
      appendedBytes: { label: 'Appended per iteration', unit: 'bytes' },
      bytesCopied: { label: 'Bytes copied in all (quadratic)', unit: 'bytes' },
      copiesPerByte: { label: 'Copies of each appended byte, on average', unit: 'count' },
    },
  },
  analyses: [REQUEST_SCOPE, OUTSIDE_NAMES],
  scope: 'declaration',
  queries: {
    assign: '(assignment_statement left: (expression_list . [(identifier) (selector_expression)] @target .) right: (expression_list . (_) @value .)) @assign',
  },
  check(ctx, file, matches) {
    if (matches.assign.length === 0) return;
    const smallLoop = ctx.options.smallLoop;
    const groups = new Map<string, { loop: Node; decl: Declared; appends: Append[] }>();
    for (const m of matches.assign) {
      const { assign, target, value } = m as { assign?: Node; target?: Node; value?: Node };
      if (!assign || !target || !value) continue;
      const append = appendOf(file, assign, target, value);
      if (!append) continue;
      const decl = declarationOf(file, target);
      if (!decl) continue;
      const loop = outermostLoopAfter(assign, decl.node);
      if (!loop) continue;
      const trips = constantTripCount(loop);
      if (trips !== undefined && trips <= smallLoop) continue;
      const key = `${decl.node.id}:${loop.id}`;
      const g = groups.get(key);
      if (g) g.appends.push(append);
      else groups.set(key, { loop, decl, appends: [append] });
    }
    if (groups.size === 0) return;
    const scope = ctx.resultOf(REQUEST_SCOPE);
    for (const { loop, decl, appends } of groups.values()) {
      const severity = scope.loopInput(loop) === 'request' ? 'warning' : undefined;
      const name = appends[0].target.text;
      const why = decl.kind !== 'local' ? `it is a ${decl.kind}` : undefined;
      const result = why ? { why } : builderFix(file, decl.node, loop, appends);
      ctx.report({
        node: appends[0].stmt,
        severity,
        ...quadraticFigures(constantTripCount(loop), appends),
        messageId: 'fix' in result ? 'concat' : 'concatNoFix',
        data: { name, why: 'why' in result ? result.why : '' },
        fixes: 'fix' in result ? [result.fix] : [],
      });
    }
  },
});

/**
 * The copy cost for a loop with a constant bound n: step k copies the k
 * pieces appended so far, so n(n+1)/2 piece copies in all; in bytes when every
 * piece is a string literal (its UTF-8 length). No bound, no figures.
 */
function quadraticFigures(trips: number | undefined, appends: readonly Append[]): { figures?: Record<string, number> } {
  if (trips === undefined || trips <= 0) return {};
  const pieces = trips * (trips + 1) / 2;
  const literal = appends.every((a) => a.kind === 'plus' && (a.added.type === 'interpreted_string_literal' || a.added.type === 'raw_string_literal'));
  const copiesPerByte = Math.round(((trips + 1) / 2) * 10) / 10;
  if (!literal) return { figures: { iterations: trips, copiesPerByte } };
  const appendedBytes = appends.reduce((sum, a) => sum + Buffer.byteLength(stringLiteralValue(a.added.text)), 0);
  return { figures: { iterations: trips, appendedBytes, bytesCopied: appendedBytes * pieces, copiesPerByte } };
}

/** The text of a Go string literal, escapes approximated by their length (figures only). */
function stringLiteralValue(literal: string): string {
  const body = literal.slice(1, -1);
  return literal.startsWith('`') ? body : body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|.)/g, '.');
}

interface Declared {
  /** The identifier where the variable is declared (or the field name of the struct declaration). */
  node: Node;
  kind: 'local' | 'parameter' | 'package variable' | 'field';
}

/** The string appended, or undefined when `assign` is not an append to its target. */
function appendOf(file: GoFile, assign: Node, target: Node, value: Node): Append | undefined {
  const op = assign.childForFieldName('operator')?.text;
  if (op === '+=') return { stmt: assign, target, kind: 'plus', added: value };
  if (op !== '=') return undefined;
  if (value.type === 'binary_expression') {
    // `s = s + a + b` parses as ((s + a) + b): find the leftmost operand.
    let left: Node = value;
    while (left.type === 'binary_expression' && left.childForFieldName('operator')?.text === '+') {
      const next = left.childForFieldName('left');
      if (!next) return undefined;
      if (next.text === target.text) return { stmt: assign, target, kind: 'plusChain', added: value, leftmost: left };
      left = next;
    }
    return undefined;
  }
  if (value.type === 'call_expression' && file.imports.resolves(value.childForFieldName('function') ?? value, 'fmt', 'Sprintf')) {
    const args = value.childForFieldName('arguments')?.namedChildren.filter((a): a is Node => !!a && a.type !== 'comment') ?? [];
    if (args.length >= 2 && /^"%s/.test(args[0].text) && args[1].text === target.text) return { stmt: assign, target, kind: 'sprintf', added: value };
  }
  return undefined;
}

/** The outermost `for` enclosing `site` but not `decl`, within the same function. */
function outermostLoopAfter(site: Node, decl: Node): Node | undefined {
  let found: Node | undefined;
  for (let n: Node | null = site.parent; n && !FUNCTION_TYPES.has(n.type); n = n.parent) {
    if (n.type !== 'for_statement') continue;
    if (decl.startIndex >= n.startIndex && decl.endIndex <= n.endIndex) break;
    found = n;
  }
  return found;
}

/** Where the target is declared, if the declaration shows a string. */
function declarationOf(file: GoFile, target: Node): Declared | undefined {
  if (target.type === 'selector_expression') {
    const field = target.childForFieldName('field')?.text;
    if (!field) return undefined;
    for (const fd of nodesOfType(file, file.root, 'field_declaration')) {
      if (fd.childForFieldName('type')?.text !== 'string') continue;
      const name = fd.childrenForFieldName('name').find((n) => n?.text === field);
      if (name) return { node: name, kind: 'field' };
    }
    return undefined;
  }
  const scope = declarationScope(target);
  if (!scope) return undefined;
  const decl = referencesTo(file, target).find((id) => isDeclarationSite(id));
  if (decl) {
    const owner = decl.parent?.type === 'expression_list' ? decl.parent.parent : decl.parent;
    if (owner?.type === 'parameter_declaration') return owner.childForFieldName('type')?.text === 'string' ? { node: decl, kind: 'parameter' } : undefined;
    return showsString(file, decl) ? { node: decl, kind: 'local' } : undefined;
  }
  // Not declared in a function: a package-level `var s string`.
  for (const spec of file.root.namedChildren.filter((c) => c?.type === 'var_declaration').flatMap((d) => nodesOrNone(file, d, 'var_spec'))) {
    const name = spec.childrenForFieldName('name').find((n) => n?.text === target.text);
    if (name && showsString(file, name)) return { node: name, kind: 'package variable' };
  }
  return undefined;
}

function isDeclarationSite(id: Node): boolean {
  const p = id.parent;
  if (!p) return false;
  if (p.type === 'parameter_declaration' || p.type === 'var_spec') return p.childrenForFieldName('name').some((n) => n?.id === id.id);
  return p.type === 'expression_list' && p.parent?.type === 'short_var_declaration' && p.parent.childForFieldName('left')?.id === p.id;
}

/** The declaration of `name` (a `var_spec` name or a `:=` left side) shows a string type or value. */
function showsString(file: GoFile, name: Node): boolean {
  const p = name.parent;
  let index = 0;
  let value: Node | null | undefined;
  if (p?.type === 'var_spec') {
    if (p.childForFieldName('type')?.text === 'string') return true;
    index = p.childrenForFieldName('name').findIndex((n) => n?.id === name.id);
    value = p.childForFieldName('value')?.namedChildren[index];
  } else if (p?.type === 'expression_list') {
    index = p.namedChildren.findIndex((n) => n?.id === name.id);
    const right = p.parent?.childForFieldName('right')?.namedChildren ?? [];
    if (right.length !== p.namedChildCount) return false;
    value = right[index];
  }
  return !!value && isStringExpr(file, value);
}

function isStringExpr(file: GoFile, expr: Node): boolean {
  if (expr.type === 'interpreted_string_literal' || expr.type === 'raw_string_literal') return true;
  if (expr.type === 'binary_expression' && expr.childForFieldName('operator')?.text === '+') {
    const l = expr.childForFieldName('left');
    const r = expr.childForFieldName('right');
    return (!!l && isStringExpr(file, l)) || (!!r && isStringExpr(file, r));
  }
  if (expr.type === 'call_expression') {
    const fn = expr.childForFieldName('function');
    if (fn?.type === 'identifier' && fn.text === 'string') return true;
    const q = fn ? file.imports.qualifiedName(fn) : undefined;
    return !!q && Object.entries(STRING_FUNCS).some(([pkg, re]) => q.path === pkg && re.test(q.name));
  }
  return false;
}
