import type { Node } from 'web-tree-sitter';
import type { GoFile } from '../parser';
import type { GoImports } from '../imports';
import { specsOf } from '../syntax';
import { defineAnalysis, namedKey, resultOf, type NamedKey } from '../../../core/analysis';
import { derivedFrom, perDeclaration } from '../decl-memo';
import { declKeyEntries, type DeclKeyEntries } from './type-keys';
import type { ConstExpr, FileTypeFacts, FuncDecl, StructField, TypeExpr } from './type-data';

export type { ConstExpr, FileTypeFacts, FuncDecl, StructField, TypeDecl, TypeExpr } from './type-data';

export const UNKNOWN: TypeExpr = { k: 'unknown' };

/** The type expression a type node denotes. `typeParams` are names that stand for type parameters in this context. */
export function typeExprOf(node: Node | null | undefined, imports: GoImports): TypeExpr {
  if (!node) return UNKNOWN;
  switch (node.type) {
    case 'type_identifier':
    case 'identifier':
      return { k: 'name', name: node.text };
    case 'qualified_type': {
      const pkg = node.childForFieldName('package')?.text;
      const name = node.childForFieldName('name')?.text;
      const path = pkg === undefined ? undefined : imports.pathOf(pkg);
      return path === undefined || name === undefined ? UNKNOWN : { k: 'qual', path, name };
    }
    case 'generic_type': {
      const base = typeExprOf(node.childForFieldName('type'), imports);
      const argsNode = node.childForFieldName('type_arguments');
      const args = (argsNode?.namedChildren ?? []).map((a) => typeExprOf(a?.type === 'type_elem' ? a.namedChildren[0] : a, imports));
      if (base.k === 'name' || base.k === 'qual') return { ...base, args };
      return UNKNOWN;
    }
    case 'type_elem':
      return node.namedChildCount === 1 ? typeExprOf(node.namedChildren[0], imports) : UNKNOWN;
    case 'parenthesized_type':
      return typeExprOf(node.namedChildren[0], imports);
    case 'pointer_type':
      return { k: 'ptr', elem: typeExprOf(node.namedChildren[0], imports) };
    case 'slice_type':
      return { k: 'slice', elem: typeExprOf(node.childForFieldName('element'), imports) };
    case 'array_type':
      return { k: 'array', len: constExprOf(node.childForFieldName('length'), imports), elem: typeExprOf(node.childForFieldName('element'), imports) };
    case 'map_type':
      return { k: 'map', key: typeExprOf(node.childForFieldName('key'), imports), value: typeExprOf(node.childForFieldName('value'), imports) };
    case 'channel_type':
      return { k: 'chan', elem: typeExprOf(node.childForFieldName('value'), imports) };
    case 'function_type':
      return { k: 'func' };
    case 'interface_type':
      return { k: 'iface' };
    case 'struct_type':
      return { k: 'struct', fields: structFields(node, imports) };
    default:
      return UNKNOWN;
  }
}

function structFields(structNode: Node, imports: GoImports): StructField[] {
  const list = structNode.namedChildren.find((c) => c?.type === 'field_declaration_list');
  const fields: StructField[] = [];
  for (const decl of list?.namedChildren ?? []) {
    if (!decl || decl.type !== 'field_declaration') continue;
    const typeNode = decl.childForFieldName('type');
    const names = decl.childrenForFieldName('name').filter((n): n is Node => n !== null);
    if (names.length > 0) {
      const type = typeExprOf(typeNode, imports);
      for (const n of names) fields.push({ name: n.text, embedded: false, type });
      continue;
    }
    // Embedded field: `T`, `*T`, `pkg.T`, `*pkg.T`, `T[int]`; the `*` is an anonymous child.
    const isPointer = decl.children.some((c) => c?.type === '*');
    const base = typeExprOf(typeNode, imports);
    const name = base.k === 'name' || base.k === 'qual' ? base.name : '?';
    fields.push({ name, embedded: true, type: isPointer ? { k: 'ptr', elem: base } : base });
  }
  return fields;
}

/** An integer constant expression (array lengths, constants). `iota` is substituted by the caller's value. */
export function constExprOf(node: Node | null | undefined, imports: GoImports, iota?: number): ConstExpr {
  if (!node) return { k: 'unknown' };
  switch (node.type) {
    case 'int_literal': {
      const v = parseGoInt(node.text);
      return v === undefined ? { k: 'unknown' } : { k: 'int', v };
    }
    case 'iota':
      return iota === undefined ? { k: 'unknown' } : { k: 'int', v: iota };
    case 'identifier':
      return { k: 'ref', name: node.text };
    case 'parenthesized_expression':
      return constExprOf(node.namedChildren[0], imports, iota);
    case 'binary_expression': {
      const op = node.childForFieldName('operator')?.text ?? '';
      return { k: 'bin', op, l: constExprOf(node.childForFieldName('left'), imports, iota), r: constExprOf(node.childForFieldName('right'), imports, iota) };
    }
    case 'call_expression': {
      // A conversion such as `int(4)` keeps the value.
      const args = node.childForFieldName('arguments')?.namedChildren ?? [];
      const fn = node.childForFieldName('function');
      if (fn?.type === 'identifier' && /^u?int(8|16|32|64)?$|^uintptr$/.test(fn.text) && args.length === 1) return constExprOf(args[0], imports, iota);
      return { k: 'unknown' };
    }
    default:
      return { k: 'unknown' };
  }
}

export function parseGoInt(text: string): number | undefined {
  const t = text.replace(/_/g, '');
  let v: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) v = parseInt(t.slice(2), 16);
  else if (/^0[bB][01]+$/.test(t)) v = parseInt(t.slice(2), 2);
  else if (/^0[oO]?[0-7]+$/.test(t)) v = parseInt(t.replace(/^0[oO]?/, ''), 8);
  else if (/^[0-9]+$/.test(t)) v = parseInt(t, 10);
  else return undefined;
  return Number.isSafeInteger(v) ? v : undefined;
}

/** Evaluates a constant expression; `lookup` yields the expression of a named constant. Undefined when not an integer. */
export function evalConst(expr: ConstExpr, lookup: (name: string) => ConstExpr | undefined, depth = 0): number | undefined {
  if (depth > 50) return undefined;
  switch (expr.k) {
    case 'int':
      return expr.v;
    case 'ref': {
      const e = lookup(expr.name);
      return e === undefined ? undefined : evalConst(e, lookup, depth + 1);
    }
    case 'bin': {
      const l = evalConst(expr.l, lookup, depth + 1);
      const r = evalConst(expr.r, lookup, depth + 1);
      if (l === undefined || r === undefined) return undefined;
      const v = applyOp(expr.op, l, r);
      return v !== undefined && Number.isSafeInteger(v) ? v : undefined;
    }
    default:
      return undefined;
  }
}

function applyOp(op: string, l: number, r: number): number | undefined {
  switch (op) {
    case '+': return l + r;
    case '-': return l - r;
    case '*': return l * r;
    case '/': return r === 0 ? undefined : Math.trunc(l / r);
    case '%': return r === 0 ? undefined : l % r;
    case '<<': return r > 52 ? undefined : l * 2 ** r;
    case '>>': return Math.floor(l / 2 ** r);
    case '|': return l < 2 ** 31 && r < 2 ** 31 ? l | r : undefined;
    case '&': return l < 2 ** 31 && r < 2 ** 31 ? l & r : undefined;
    default: return undefined;
  }
}

/** Names of a declaration's type parameters. */
export function typeParamNames(spec: Node): string[] {
  const list = spec.childForFieldName('type_parameters');
  const names: string[] = [];
  for (const d of list?.namedChildren ?? []) {
    if (d?.type !== 'type_parameter_declaration') continue;
    for (const n of d.childrenForFieldName('name')) if (n) names.push(n.text);
  }
  return names;
}

/** Declarations of `type_declaration` / `const_declaration` / `var_declaration` nodes, into `out`. Used at package level and in function bodies. */
export function collectDecl(decl: Node, imports: GoImports, out: Pick<FileTypeFacts, 'types' | 'consts' | 'vars'>): void {
  if (decl.type === 'type_declaration') {
    for (const spec of decl.namedChildren) {
      if (!spec || (spec.type !== 'type_spec' && spec.type !== 'type_alias')) continue;
      const name = spec.childForFieldName('name')?.text;
      if (!name) continue;
      out.types[name] = { type: typeExprOf(spec.childForFieldName('type'), imports), typeParams: typeParamNames(spec), isAlias: spec.type === 'type_alias' };
    }
  } else if (decl.type === 'const_declaration') {
    // Implicit repetition: a spec without values repeats the previous spec's expressions with the next iota.
    let previous: Node[] = [];
    let iota = 0;
    for (const spec of decl.namedChildren) {
      if (!spec || spec.type !== 'const_spec') continue;
      const values = spec.childForFieldName('value')?.namedChildren.filter((v): v is Node => v !== null) ?? [];
      if (values.length > 0) previous = values;
      spec.childrenForFieldName('name').forEach((n, i) => {
        if (n && n.text !== '_') out.consts[n.text] = constExprOf(previous[i], imports, iota);
      });
      iota++;
    }
  } else if (decl.type === 'var_declaration') {
    for (const spec of specsOf(decl)) {
      const typeNode = spec.childForFieldName('type');
      const values = spec.childForFieldName('value')?.namedChildren ?? [];
      spec.childrenForFieldName('name').forEach((n, i) => {
        if (!n || n.text === '_') return;
        out.vars[n.text] = typeNode ? typeExprOf(typeNode, imports) : literalTypeOf(values[i], imports);
      });
    }
  }
}

/** Package-level variables of other packages whose type is known (`http.DefaultClient`). */
const KNOWN_VARS: Readonly<Record<string, TypeExpr>> = {
  'net/http.DefaultClient': { k: 'ptr', elem: { k: 'qual', path: 'net/http', name: 'Client' } },
};

/**
 * The type an expression spells out: `T{}`, `&T{}`, `new(T)`, `make(T, ...)`,
 * a known variable of another package (`http.DefaultClient`). Identifiers
 * and selectors are not followed here (see `GoTypeResolver.typeOf`, `go-types.ts`).
 */
export function literalTypeOf(expr: Node | null | undefined, imports: GoImports): TypeExpr {
  const e = expr ? unparenExpr(expr) : undefined;
  if (!e) return UNKNOWN;
  if (e.type === 'composite_literal') return typeExprOf(e.childForFieldName('type'), imports);
  if (e.type === 'unary_expression' && e.childForFieldName('operator')?.text === '&') {
    const operand = e.childForFieldName('operand');
    const inner = operand ? unparenExpr(operand) : undefined;
    if (inner?.type === 'composite_literal') return { k: 'ptr', elem: typeExprOf(inner.childForFieldName('type'), imports) };
    return UNKNOWN;
  }
  if (e.type === 'call_expression') {
    const fn = e.childForFieldName('function');
    const args = e.childForFieldName('arguments')?.namedChildren.filter((a): a is Node => !!a && a.type !== 'comment') ?? [];
    if (fn?.type !== 'identifier' || args.length === 0) return UNKNOWN;
    if (fn.text === 'make') return typeExprOf(args[0], imports);
    // `new(http.Client)` parses its argument as an expression (a selector) or a type.
    if (fn.text === 'new' && args.length === 1) return { k: 'ptr', elem: args[0].type === 'selector_expression' ? qualifiedOf(args[0], imports) : typeExprOf(args[0], imports) };
    return UNKNOWN;
  }
  if (e.type === 'selector_expression') {
    const q = qualifiedOf(e, imports);
    return q.k === 'qual' ? KNOWN_VARS[`${q.path}.${q.name}`] ?? UNKNOWN : UNKNOWN;
  }
  return UNKNOWN;
}

function qualifiedOf(selector: Node, imports: GoImports): TypeExpr {
  const operand = selector.childForFieldName('operand');
  const field = selector.childForFieldName('field');
  const path = operand?.type === 'identifier' ? imports.pathOf(operand.text) : undefined;
  return path === undefined || !field ? UNKNOWN : { k: 'qual', path, name: field.text };
}

function unparenExpr(n: Node): Node | undefined {
  let e: Node | undefined = n;
  while (e?.type === 'parenthesized_expression') e = e.namedChildren.find((c): c is Node => !!c && c.type !== 'comment');
  return e;
}

/**
 * A named type read out of a type expression, one pointer level deep
 * (`*http.Request`, `Store`, `error`): how rules match parameter, field and
 * result types. `path` is '' for the package's own types and predeclared ones.
 * A view of a {@link TypeExpr}, never stored.
 */
export interface NamedType {
  pointer: boolean;
  path: string;
  name: string;
}

export function namedTypeOf(t: TypeExpr | undefined): NamedType | undefined {
  if (!t) return undefined;
  const pointer = t.k === 'ptr';
  const base = t.k === 'ptr' ? t.elem : t;
  if (base.k === 'name') return { pointer, path: '', name: base.name };
  if (base.k === 'qual') return { pointer, path: base.path, name: base.name };
  return undefined;
}

/** Is `t` the named type `path`.`name` (pointer or not, unless `pointer` is given)? */
export function isNamedType(t: TypeExpr | undefined, typePath: string, name: string, pointer?: boolean): boolean {
  const n = namedTypeOf(t);
  return !!n && n.path === typePath && n.name === name && (pointer === undefined || n.pointer === pointer);
}

/** Result types of a function declaration, method or func literal, one per result value. */
export function resultTypes(fn: Node, imports: GoImports): TypeExpr[] {
  return funcDecl(fn, imports).results;
}

function funcDecl(fn: Node, imports: GoImports): FuncDecl {
  const result = fn.childForFieldName('result');
  if (!result) return { results: [] };
  if (result.type !== 'parameter_list') return { results: [typeExprOf(result, imports)] };
  const results: TypeExpr[] = [];
  for (const p of result.namedChildren) {
    if (p?.type !== 'parameter_declaration') continue;
    const t = typeExprOf(p.childForFieldName('type'), imports);
    const n = Math.max(1, p.childrenForFieldName('name').length);
    for (let i = 0; i < n; i++) results.push(t);
  }
  return { results };
}

/** Base type name of a method receiver (`(s *Store)` → `Store`, `(l List[T])` → `List`). */
export function receiverTypeName(method: Node): string | undefined {
  const param = method.childForFieldName('receiver')?.namedChildren.find((c) => c?.type === 'parameter_declaration');
  let t = param?.childForFieldName('type') ?? null;
  while (t && (t.type === 'pointer_type' || t.type === 'parenthesized_type')) t = t.namedChildren[0];
  if (t?.type === 'generic_type') t = t.childForFieldName('type');
  return t?.type === 'type_identifier' ? t.text : undefined;
}

/** Package-level declarations of one file (a fact: its result holds no tree node). */
const TYPE_FACTS_ID = 'go/type-facts';

export const TYPE_FACTS = defineAnalysis({
  id: TYPE_FACTS_ID,
  on: 'go-file',
  fact: true,
  build: extractFileTypeFacts,
  declarationKey: (file) => {
    const entries = typeFactEntries(file).index;
    return derivedFrom(file, `${TYPE_FACTS_ID}#key`, [entries], () => namedKey(entries));
  },
});

/**
 * The package-level declarations of a file under analysis and of other files (facts) as a key split by
 * name: a declaration depends on those it names (transitively) other than by a local of the same name (the
 * index is read by scope: `'free'`), a struct's fields each as a member entry (`type-keys.ts`). The file's entries are built per top-level declaration, so typing in a body
 * serialises that declaration's facts only.
 */
export function typeFactsKey(file: GoFile, others: readonly FileTypeFacts[]): NamedKey {
  const own = typeFactEntries(file).index;
  return derivedFrom(file, `${TYPE_FACTS_ID}#package-key`, [own, ...others], () => namedKey([...own, ...others.flatMap((o) => declKeyEntries(o).index)], 'free'));
}

/** {@link typeFactsKey} and, for each struct type, its layout (field types in order): what a type sizer reads. */
export function typeSizerKey(file: GoFile, others: readonly FileTypeFacts[]): NamedKey {
  const own = typeFactEntries(file);
  return derivedFrom(file, `${TYPE_FACTS_ID}#sizer-key`, [own.index, own.sizes, ...others], () => {
    const theirs = others.map(declKeyEntries);
    return namedKey([...own.index, ...theirs.flatMap((o) => o.index), ...own.sizes, ...theirs.flatMap((o) => o.sizes)], 'free');
  });
}

/** The file's key entries (the same arrays while no declaration's entries changed). */
function typeFactEntries(file: GoFile): DeclKeyEntries {
  const pieces = perDeclaration(file, `${TYPE_FACTS_ID}#entries`, (decl) => declKeyEntries(declTypeFacts(decl, file.imports)));
  const index = derivedFrom(file, `${TYPE_FACTS_ID}#entries`, pieces, () => pieces.flatMap((p) => p.index));
  const sizes = derivedFrom(file, `${TYPE_FACTS_ID}#sizes`, pieces, () => pieces.flatMap((p) => p.sizes));
  return { index, sizes };
}

export function readTypeFacts(file: GoFile): FileTypeFacts {
  return resultOf(TYPE_FACTS, file);
}

export function extractFileTypeFacts(file: GoFile): FileTypeFacts {
  // Built per top-level declaration: typing in one body re-reads that declaration only (and keeps the fact).
  const pieces = perDeclaration(file, TYPE_FACTS_ID, (decl) => declTypeFacts(decl, file.imports));
  return derivedFrom(file, TYPE_FACTS_ID, [file.packageName, ...pieces], () => {
    const facts: FileTypeFacts = { packageName: file.packageName, types: {}, consts: {}, vars: {}, funcs: {}, methods: {} };
    for (const piece of pieces) {
      Object.assign(facts.types, piece.types);
      Object.assign(facts.consts, piece.consts);
      Object.assign(facts.vars, piece.vars);
      Object.assign(facts.funcs, piece.funcs);
      Object.assign(facts.methods, piece.methods);
    }
    return facts;
  });
}

/** The package-level declarations of one top-level declaration (depends on it and the file's imports only). */
function declTypeFacts(decl: Node, imports: GoImports): Omit<FileTypeFacts, 'packageName'> {
  const facts: Omit<FileTypeFacts, 'packageName'> = { types: {}, consts: {}, vars: {}, funcs: {}, methods: {} };
  if (decl.type === 'function_declaration') {
    const name = decl.childForFieldName('name')?.text;
    if (name) facts.funcs[name] = funcDecl(decl, imports);
  } else if (decl.type === 'method_declaration') {
    const recv = receiverTypeName(decl);
    const name = decl.childForFieldName('name')?.text;
    if (recv && name) facts.methods[`${recv}.${name}`] = funcDecl(decl, imports);
  } else {
    collectDecl(decl, imports, facts);
  }
  return facts;
}


