import type { Node } from 'web-tree-sitter';
import { derivedFrom, perDeclaration } from '../../../languages/go/decl-memo';
import { defineAnalysis, namedKey, resultOf } from '../../../core/analysis';
import type { GoFile } from '../../../languages/go/parser';
import type { GoTypeResolver } from '../../../languages/go/model/types';
import { namedTypeOf, typeExprOf, type NamedType } from '../../../languages/go/model/type-expr';
import { referencesTo } from '../../../languages/go/scope';
import { assignedNames, assignedValues, describeCall, namedChildrenOf, sameNode, unparen } from '../../../languages/go/syntax';

/**
 * What a reference to an `*http.Response` (or to its Body, or to any
 * io.Closer-like value) does with it: releases it (`.Body.Close()`,
 * `.Close()`), hands it over (returned, stored, sent, passed to a function
 * that keeps it), or only reads it (`io.ReadAll(resp.Body)`, `fmt.Println(resp)`).
 *
 * Passing a value to a function of the same package counts as a hand-over
 * only when that function's body shows it may take ownership: a helper that
 * merely reads (`process(resp)` doing `io.ReadAll(resp.Body)`) does not.
 * That one level of look-through uses facts of the package's files.
 */
export type OwnershipEvent = 'release' | 'move' | undefined;

/** 'resp': an *http.Response (its Body is closed); 'closer': the body or another io.Closer (closed itself). */
export type ValueLevel = 'resp' | 'closer';

/** Calls that read a body or log a value without taking ownership of it (matched by name). */
const NON_OWNING_CALLS: ReadonlySet<string> = new Set([
  'ReadAll', 'ReadFull', 'ReadAtLeast', 'Copy', 'CopyN', 'CopyBuffer', 'LimitReader', 'TeeReader', 'MultiReader', 'NopCloser',
  'NewDecoder', 'NewReader', 'NewReaderSize', 'NewScanner', 'ReadFrom', 'DumpResponse', 'Parse', 'NewDocumentFromReader',
  'Print', 'Printf', 'Println', 'Sprint', 'Sprintf', 'Fprint', 'Fprintf', 'Fprintln', 'Errorf',
  'Info', 'Infof', 'Infow', 'Debug', 'Debugf', 'Debugw', 'Warn', 'Warnf', 'Warnw', 'Error', 'Errorw', 'Log', 'Logf',
]);
const NON_OWNING_PACKAGES: ReadonlySet<string> = new Set(['fmt', 'log', 'log/slog', 'errors']);


/** Function `name` or method `Type.name` → per parameter: may it take ownership of what it is given? */
export type ParamOwnership = Record<string, boolean[]>;

export interface OwnershipContext {
  file: GoFile;
  /** The function the value lives in: func literals between a reference and it matter. */
  owner: Node | undefined;
  level: ValueLevel;
  /** Resolves same-package callees; without it, every call taking the value is a hand-over. */
  types?: GoTypeResolver;
}

/** Classifies one reference of the tracked variable. */
export function classifyReference(ctx: OwnershipContext, ref: Node): OwnershipEvent {
  if (isInDiscardedFuncLiteral(ref, ctx.owner)) return undefined;
  let e: Node = ref;
  let up = parentOf(e);
  if (up?.type === 'selector_expression' && sameNode(up.childForFieldName('operand'), e)) {
    const field = up.childForFieldName('field')?.text;
    if (ctx.level === 'closer') return field === 'Close' ? 'release' : undefined;
    if (field === 'Write') return parentOf(up)?.type === 'call_expression' ? 'release' : undefined; // Response.Write closes Body
    if (field !== 'Body') return undefined;
    e = up;
    up = parentOf(e);
    if (up?.type === 'selector_expression' && sameNode(up.childForFieldName('operand'), e)) {
      return up.childForFieldName('field')?.text === 'Close' ? 'release' : undefined;
    }
  }
  // `rwc := resp.Body.(io.ReadWriteCloser)` aliases the body: follow the assertion.
  while (up?.type === 'type_assertion_expression' && sameNode(up.childForFieldName('operand'), e)) {
    e = up;
    up = parentOf(e);
  }
  if (!up) return undefined;
  switch (up.type) {
    case 'argument_list': {
      const call = up.parent;
      if (!call || isNonOwningCall(ctx.file, call)) return undefined;
      const index = namedChildrenOf(up).filter((a) => a.type !== 'comment').findIndex((a) => sameNode(a, e));
      return ctx.types && mayNotOwn(ctx, call, index) ? undefined : 'move';
    }
    case 'expression_list': {
      const stmt = up.parent;
      if (stmt?.type === 'return_statement') return 'move';
      if (stmt && ['short_var_declaration', 'assignment_statement', 'var_spec'].includes(stmt.type)) {
        const right = stmt.childForFieldName(stmt.type === 'var_spec' ? 'value' : 'right');
        return right && sameNode(right, up) ? 'move' : undefined;
      }
      return undefined;
    }
    case 'literal_element':
    case 'send_statement':
    case 'return_statement':
      return 'move';
    case 'unary_expression':
      return up.childForFieldName('operator')?.text === '&' ? 'move' : undefined;
    default:
      return undefined;
  }
}

function parentOf(node: Node): Node | null {
  let p = node.parent;
  while (p?.type === 'parenthesized_expression') p = p.parent;
  return p;
}

/** A func literal that is only assigned to `_` never runs: a close inside it closes nothing. */
function isInDiscardedFuncLiteral(ref: Node, owner: Node | undefined): boolean {
  for (let n = ref.parent; n && !sameNode(n, owner); n = n.parent) {
    if (n.type !== 'func_literal') continue;
    const list = parentOf(n);
    const stmt = list?.type === 'expression_list' ? list.parent : undefined;
    if (stmt && (stmt.type === 'assignment_statement' || stmt.type === 'short_var_declaration')) {
      const names = assignedNames(stmt);
      const i = assignedValues(stmt).findIndex((v) => sameNode(v, n));
      if (i >= 0 && names[i]?.text === '_') return true;
    }
    return false;
  }
  return false;
}

function isNonOwningCall(file: GoFile, call: Node): boolean {
  const info = describeCall(call);
  if (!info) return false;
  if (NON_OWNING_CALLS.has(info.name)) return true;
  const q = file.imports.qualifiedName(unparen(info.callee));
  return !!q && NON_OWNING_PACKAGES.has(q.path);
}

/** Does the callee's body show that parameter `index` never takes ownership (neither closed, kept nor passed on)? */
function mayNotOwn(ctx: OwnershipContext, call: Node, index: number): boolean {
  const info = describeCall(call);
  const types = ctx.types;
  if (!info || !types || index < 0 || info.variadicSpread) return false;
  const callee = unparen(info.callee);
  // `false` means "known not to take ownership"; past the declared parameters (undefined) nothing is known.
  if (callee.type === 'func_literal') return (paramOwnership(ctx.file, callee)[index] as boolean | undefined) === false;
  const key = types.funcKeyOf(info);
  if (key === undefined) return false;
  return types.packageFact(PARAM_OWNERSHIP).some((facts) => {
    const owned = facts[key] as (boolean | undefined)[] | undefined;
    return owned?.[index] === false;
  });
}

/** For every function and method of a file: which parameters may take ownership of a response or body (a fact). */
export const PARAM_OWNERSHIP = defineAnalysis({ id: 'go/param-ownership', on: 'go-file', fact: true, build: buildParamOwnership });

/**
 * The package's parameter ownership, as {@link mayNotOwn} reads it through the
 * type resolver: listed by the rule so that its declaration key covers it.
 */
export const PACKAGE_PARAM_OWNERSHIP = defineAnalysis({
  id: 'go/package-param-ownership',
  on: 'go-package',
  build: (pkg) => pkg.factsOf(PARAM_OWNERSHIP),
  // By function or `Type.method` name: a declaration depends on the ownership of those it names.
  declarationKey: (pkg) => {
    const facts = pkg.factsOf(PARAM_OWNERSHIP);
    return derivedFrom(pkg.file, 'go/package-param-ownership#key', facts, () => namedKey(facts.flatMap((f) => Object.entries(f).map(([name, owns]): [string, string] => [name, owns.join()]))));
  },
});

export function readParamOwnership(file: GoFile): ParamOwnership {
  return resultOf(PARAM_OWNERSHIP, file);
}

function buildParamOwnership(file: GoFile): ParamOwnership {
  // Per top-level declaration: typing in one body re-reads that declaration only (and keeps the fact).
  const pieces = perDeclaration(file, 'go/param-ownership', (top) => declParamOwnership(file, top));
  return derivedFrom(file, 'go/param-ownership', pieces, () => {
    const out: ParamOwnership = {};
    for (const piece of pieces) if (piece) out[piece[0]] = piece[1];
    return out;
  });
}

function declParamOwnership(file: GoFile, top: Node): [string, boolean[]] | undefined {
  if (top.type !== 'function_declaration' && top.type !== 'method_declaration') return undefined;
  const name = top.childForFieldName('name')?.text;
  if (!name) return undefined;
  let key = name;
  if (top.type === 'method_declaration') {
    const recv = namedTypeOf(typeExprOf(namedChildrenOf(top.childForFieldName('receiver'))[0]?.childForFieldName('type'), file.imports));
    if (!recv || recv.path !== '') return undefined;
    key = `${recv.name}.${name}`;
  }
  return [key, paramOwnership(file, top)];
}

/** Per parameter of one function: true unless its type is a response/reader and its body provably keeps nothing. */
function paramOwnership(file: GoFile, fn: Node): boolean[] {
  const out: boolean[] = [];
  for (const decl of namedChildrenOf(fn.childForFieldName('parameters'))) {
    if (decl.type === 'variadic_parameter_declaration') {
      out.push(true);
      continue;
    }
    if (decl.type !== 'parameter_declaration') continue;
    const type = namedTypeOf(typeExprOf(decl.childForFieldName('type'), file.imports));
    const level = levelOf(type);
    const names = decl.childrenForFieldName('name').filter((n): n is Node => !!n);
    if (names.length === 0) out.push(level === undefined); // unnamed: never used, so it owns nothing
    for (const n of names) {
      if (level === undefined) out.push(true);
      else out.push(referencesTo(file, n).some((r) => !sameNode(r, n) && classifyReference({ file, owner: fn, level }, r) !== undefined));
    }
  }
  return out;
}

function levelOf(type: NamedType | undefined): ValueLevel | undefined {
  if (type && type.pointer && type.path === 'net/http' && type.name === 'Response') return 'resp';
  if (type && type.path === 'io' && !type.pointer && ['Reader', 'ReadCloser', 'Closer', 'ReadWriteCloser'].includes(type.name)) return 'closer';
  return undefined;
}
