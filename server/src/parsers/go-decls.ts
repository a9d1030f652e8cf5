import type { Node } from 'web-tree-sitter';
import { defineAnalysis, resultOf, type Analysis } from '../engine/analysis';
import { soloPackage, type GoPackage } from '../engine/go-package';
import type { GoFile } from './go';
import { declarationScope, declaringScope, functionParamNames } from './go-scope';
import { FUNCTION_TYPES, assignedNames, assignedValues, describeCall, namedChildrenOf, sameNode, unparen, type CallInfo } from './go-syntax';

/**
 * Syntactic types without a type checker: what a declaration shows. A
 * `GoTypeRef` names a type by import path ('' for the file's own package)
 * and name, with one level of pointer. Package-level declarations (struct
 * fields, vars) are plain data (the {@link PACKAGE_DECLS} fact), so other
 * files of a package are read through the package view without their trees.
 */
export interface GoTypeRef {
  pointer: boolean;
  /** Import path; '' for a type of the same package. */
  path: string;
  name: string;
}

export interface PackageDecls {
  /** Struct type name → field name → field type (only fields whose type is a named type). */
  structFields: Record<string, Record<string, GoTypeRef>>;
  /** Package-level var name → its type, from its declared type or its initializer. */
  vars: Record<string, GoTypeRef>;
  /** Function `name` or method `Type.name` → its result types (unresolvable ones as `{path: '?'}`). */
  funcResults: Record<string, GoTypeRef[]>;
}


/** Package-level variables of other packages whose type is known (`http.DefaultClient`). */
const KNOWN_VARS: Readonly<Record<string, GoTypeRef>> = {
  'net/http.DefaultClient': { pointer: true, path: 'net/http', name: 'Client' },
};

/** Resolves a type node (`*http.Client`, `Client`, `http.Client`) of `file` to a ref. */
export function typeRefOf(file: GoFile, typeNode: Node | null | undefined): GoTypeRef | undefined {
  if (!typeNode) return undefined;
  let t = typeNode;
  let pointer = false;
  if (t.type === 'pointer_type') {
    pointer = true;
    const inner = t.namedChildren.find((c) => c && c.type !== 'comment');
    if (!inner) return undefined;
    t = inner;
  }
  if (t.type === 'parenthesized_type') return typeRefOf(file, t.namedChildren.find((c) => c && c.type !== 'comment'));
  if (t.type === 'type_identifier') return { pointer, path: '', name: t.text };
  if (t.type === 'qualified_type') {
    const q = file.imports.qualifiedName(t);
    return q ? { pointer, path: q.path, name: q.name } : undefined;
  }
  if (t.type === 'generic_type') return typeRefOf(file, t.childForFieldName('type'));
  return undefined;
}

/**
 * The type an expression evidently has from its syntax: `T{}`, `&T{}`,
 * `new(T)`, `pkg.KnownVar`. Identifiers and selectors are not followed here
 * (see {@link GoTypeResolver}).
 */
export function literalTypeOf(file: GoFile, expr: Node): GoTypeRef | undefined {
  const e = unparen(expr);
  if (e.type === 'composite_literal') return typeRefOf(file, e.childForFieldName('type'));
  if (e.type === 'unary_expression' && e.childForFieldName('operator')?.text === '&') {
    const operand = e.childForFieldName('operand');
    const inner = operand ? literalTypeOf(file, operand) : undefined;
    return inner && !inner.pointer && operand && unparen(operand).type === 'composite_literal' ? { ...inner, pointer: true } : undefined;
  }
  if (e.type === 'call_expression') {
    const info = describeCall(e);
    if (info && !info.receiver && info.name === 'new' && info.args.length === 1) {
      const inner = typeRefOf(file, info.args[0]) ?? typeRefOfExprType(file, info.args[0]);
      return inner && !inner.pointer ? { ...inner, pointer: true } : undefined;
    }
    return undefined;
  }
  if (e.type === 'selector_expression') {
    const q = file.imports.qualifiedName(e);
    return q ? KNOWN_VARS[`${q.path}.${q.name}`] : undefined;
  }
  return undefined;
}

/** `new(http.Client)` parses its argument as an expression (`http.Client` selector) or a type. */
function typeRefOfExprType(file: GoFile, node: Node): GoTypeRef | undefined {
  if (node.type === 'identifier') return { pointer: false, path: '', name: node.text };
  if (node.type === 'selector_expression') {
    const q = file.imports.qualifiedName(node);
    return q ? { pointer: false, path: q.path, name: q.name } : undefined;
  }
  return undefined;
}

/** Struct fields, package-level vars and function results of one file (a fact). */
export const PACKAGE_DECLS = defineAnalysis({ id: 'go/package-decls', on: 'go-file', fact: true, build: buildPackageDecls });

export function readPackageDecls(file: GoFile): PackageDecls {
  return resultOf(PACKAGE_DECLS, file);
}

function buildPackageDecls(file: GoFile): PackageDecls {
  const decls: PackageDecls = { structFields: {}, vars: {}, funcResults: {} };
  for (const top of namedChildrenOf(file.root)) {
    if (top.type === 'type_declaration') {
      for (const spec of top.descendantsOfType('type_spec')) {
        const name = spec?.childForFieldName('name')?.text;
        const body = spec?.childForFieldName('type');
        if (!name || body?.type !== 'struct_type') continue;
        const fields: Record<string, GoTypeRef> = {};
        for (const fd of body.descendantsOfType('field_declaration')) {
          // Only this struct's own fields, not those of nested anonymous structs.
          if (!fd || !sameNode(fd.parent?.parent, body)) continue;
          const ref = typeRefOf(file, fd.childForFieldName('type'));
          if (!ref) continue;
          const names = fd.childrenForFieldName('name').filter((n): n is Node => !!n);
          if (names.length === 0) fields[ref.name] = ref; // embedded field: named by its type
          for (const n of names) fields[n.text] = ref;
        }
        decls.structFields[name] = fields;
      }
    } else if (top.type === 'function_declaration' || top.type === 'method_declaration') {
      const name = top.childForFieldName('name')?.text;
      const results = resultTypes(file, top);
      if (!name || results.length === 0) continue;
      if (top.type === 'function_declaration') decls.funcResults[name] = results;
      else {
        const recv = namedChildrenOf(top.childForFieldName('receiver'))[0];
        const recvType = typeRefOf(file, recv?.childForFieldName('type'));
        if (recvType && recvType.path === '') decls.funcResults[`${recvType.name}.${name}`] = results;
      }
    } else if (top.type === 'var_declaration') {
      for (const spec of top.descendantsOfType('var_spec')) {
        if (!spec) continue;
        const declared = typeRefOf(file, spec.childForFieldName('type'));
        const names = assignedNames(spec);
        const values = assignedValues(spec);
        names.forEach((n, i) => {
          const ref = declared ?? (values.length === names.length ? literalTypeOf(file, values[i]) : undefined);
          if (ref) decls.vars[n.text] = ref;
        });
      }
    }
  }
  return decls;
}

/** The type resolver of the file under analysis, reading its package's declarations as facts. */
export const GO_TYPES = defineAnalysis({ id: 'go/type-resolver', on: 'go-package', build: (pkg) => new GoTypeResolver(pkg.file, pkg) });

/**
 * Follows identifiers and field selectors to a declared type: locals (`c :=
 * &http.Client{}`, `var c *http.Client`), parameters and receivers, struct
 * fields (`s.client`, declared in this file or another file of the package),
 * package-level vars. Undefined whenever the syntax does not show the type.
 */
export class GoTypeResolver {
  private readonly pkg: GoPackage;

  /** Without a package view, only `file`'s own declarations are known. */
  constructor(
    private readonly file: GoFile,
    pkg?: GoPackage,
  ) {
    this.pkg = pkg ?? soloPackage(file);
  }

  private packageDecls: PackageDecls[] | undefined;
  /** Facts per analysis for this resolver. */
  private readonly factsById = new Map<string, unknown[]>();
  private readonly returning = new Map<string, Set<string>>();

  /** Declarations of this file, then of the other files of its package. */
  private allDecls(): PackageDecls[] {
    this.packageDecls ??= this.packageFact(PACKAGE_DECLS);
    return this.packageDecls;
  }

  /** A fact of this file and of the other files of its package (the package view: their trees are never kept). */
  packageFact<T>(analysis: Analysis<T, 'go-file'>): T[] {
    const cached = this.factsById.get(analysis.id);
    if (cached) return cached as T[];
    const out = this.pkg.factsOf(analysis);
    this.factsById.set(analysis.id, out);
    return out;
  }

  /**
   * Keys (`name`, `Type.name`) of the package's functions and methods whose first
   * result is `path`.`name` (pointer or not, per `pointer`); memoised per resolver.
   */
  funcsReturning(typePath: string, typeName: string, pointer: boolean): ReadonlySet<string> {
    const memo = `${pointer ? '*' : ''}${typePath}.${typeName}`;
    let keys = this.returning.get(memo);
    if (!keys) {
      keys = new Set();
      for (const d of this.allDecls()) {
        for (const [key, results] of Object.entries(d.funcResults)) if (isTypeRef(results[0], typePath, typeName, pointer)) keys.add(key);
      }
      this.returning.set(memo, keys);
    }
    return keys;
  }

  /** `name` for a call of a package-level function, `Type.name` for a method of a local type; else undefined. */
  funcKeyOf(info: CallInfo): string | undefined {
    const callee = unparen(info.callee);
    if (!info.name) return undefined;
    if (!info.receiver) return callee.type === 'identifier' && !this.isLocal(callee) ? info.name : undefined;
    const recv = this.typeOf(info.receiver);
    return recv && recv.path === '' ? `${recv.name}.${info.name}` : undefined;
  }

  private structField(typeName: string, field: string): GoTypeRef | undefined {
    for (const d of this.allDecls()) {
      const fields = d.structFields[typeName];
      if (fields) return fields[field];
    }
    return undefined;
  }

  private packageVar(name: string): GoTypeRef | undefined {
    for (const d of this.allDecls()) if (d.vars[name]) return d.vars[name];
    return undefined;
  }

  typeOf(expr: Node, depth = 0): GoTypeRef | undefined {
    if (depth > 6) return undefined;
    const e = unparen(expr);
    const literal = literalTypeOf(this.file, e);
    if (literal) return literal;
    if (e.type === 'identifier') return this.typeOfIdentifier(e, depth);
    if (e.type === 'selector_expression') {
      const operand = e.childForFieldName('operand');
      const field = e.childForFieldName('field');
      if (!operand || !field) return undefined;
      if (operand.type === 'identifier' && this.file.imports.pathOf(operand.text) !== undefined && !this.isLocal(operand)) return undefined;
      const base = this.typeOf(operand, depth + 1);
      if (!base || base.path !== '') return undefined;
      return this.structField(base.name, field.text);
    }
    return undefined;
  }

  /** Is `ident` declared in a function scope (so it shadows any import or package-level name)? */
  isLocal(ident: Node): boolean {
    return declaringScope(ident) !== undefined;
  }

  /** Result types of a function (`name`) or method (`Type.name`) declared in this package. */
  funcResults(key: string): readonly GoTypeRef[] | undefined {
    for (const d of this.allDecls()) if (d.funcResults[key]) return d.funcResults[key];
    return undefined;
  }

  private typeOfIdentifier(ident: Node, depth: number): GoTypeRef | undefined {
    const scope = declarationScope(ident);
    const name = ident.text;
    if (scope && FUNCTION_TYPES.has(scope.type) && functionParamNames(scope).includes(name)) {
      for (const field of ['receiver', 'parameters', 'result']) {
        for (const decl of namedChildrenOf(scope.childForFieldName(field))) {
          if (decl.childrenForFieldName('name').some((n) => n?.text === name)) return typeRefOf(this.file, decl.childForFieldName('type'));
        }
      }
      return undefined;
    }
    if (scope && !FUNCTION_TYPES.has(scope.type)) return this.typeFromLocalDeclaration(scope, name, ident, depth);
    return this.packageVar(name);
  }

  /** The `:=` or `var` that declares `name` in `scope` before `use`. */
  private typeFromLocalDeclaration(scope: Node, name: string, use: Node, depth: number): GoTypeRef | undefined {
    const candidates = scope.type === 'statement_list' ? namedChildrenOf(scope) : [scope.childForFieldName('initializer')].filter((n): n is Node => !!n);
    let found: GoTypeRef | undefined;
    for (const stmt of candidates) {
      if (stmt.startIndex > use.startIndex) break;
      const specs = stmt.type === 'var_declaration' ? stmt.descendantsOfType('var_spec').filter((s): s is Node => !!s) : stmt.type === 'short_var_declaration' ? [stmt] : [];
      for (const spec of specs) {
        const names = assignedNames(spec);
        const i = names.findIndex((n) => n.text === name);
        if (i < 0) continue;
        const declared = spec.type === 'var_spec' ? typeRefOf(this.file, spec.childForFieldName('type')) : undefined;
        const values = assignedValues(spec);
        const value = values.length === names.length ? values[i] : undefined;
        found = declared ?? (value && !sameNode(value, use) ? this.typeOf(value, depth + 1) : undefined);
      }
    }
    return found;
  }
}

/** Is `ref` the type `path`.`name` (pointer or not, unless `pointer` is given)? */
export function isTypeRef(ref: GoTypeRef | undefined, typePath: string, name: string, pointer?: boolean): boolean {
  return !!ref && ref.path === typePath && ref.name === name && (pointer === undefined || ref.pointer === pointer);
}

const UNKNOWN_TYPE: GoTypeRef = { pointer: false, path: '?', name: '?' };

/** Result types of a function declaration, method or func literal, one per result value. */
export function resultTypes(file: GoFile, fn: Node): GoTypeRef[] {
  const result = fn.childForFieldName('result');
  if (!result) return [];
  if (result.type !== 'parameter_list') return [typeRefOf(file, result) ?? UNKNOWN_TYPE];
  const out: GoTypeRef[] = [];
  for (const decl of namedChildrenOf(result)) {
    if (decl.type !== 'parameter_declaration') continue;
    const ref = typeRefOf(file, decl.childForFieldName('type')) ?? UNKNOWN_TYPE;
    const names = decl.childrenForFieldName('name').filter((n) => !!n).length;
    for (let i = 0; i < Math.max(1, names); i++) out.push(ref);
  }
  return out;
}
