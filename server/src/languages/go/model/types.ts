import type { Node } from 'web-tree-sitter';
import { declarationKeyOf, defineAnalysis, resultOf, type Analysis } from '../../../core/analysis';
import { soloPackage, type GoPackage } from '../package';
import type { GoFile } from '../parser';
import type { GoImports } from '../imports';
import { declaringScope } from '../scope';
import { FUNCTION_TYPES, assignedNames, namedChildrenOf, sameNode, specsOf, unparen, type CallInfo } from '../syntax';
import { collectDecl, isNamedType, literalTypeOf, namedTypeOf, typeExprOf, UNKNOWN, type FileTypeFacts, type NamedType, type TypeExpr } from './type-expr';
import { TYPE_SIZER, TypeSizer } from './type-size';
import { DECL_INDEX } from './decl-index';
import { nodesOrNone } from '../syntax-index';

/**
 * The one `typeOf` of Go expressions, without a type checker: what the code
 * spells out. An identifier's type comes from its declaration (found with the
 * scope model of `go-scope.ts`: a parameter or receiver, `var x T`, `x :=
 * T{}` / `make(T)` / `new(T)` / `f()`, a range value), else the package's
 * variables; selectors follow struct fields (and promoted ones); calls use the
 * declared results of the package's functions and methods. Package-level
 * names come from the package's declaration index (`go/decl-index`, facts of
 * every member file), never another file's tree. Anything else is `UNKNOWN`.
 *
 * One policy switch, `callResults`: whether a call's type is its callee's
 * declared result. The resolver of `GO_TYPES` (read by `go/unclosed-body`
 * through `go-http.ts` and `go-body-ownership.ts`) leaves it off, because
 * that is what those rules saw before the type models were merged: turning it
 * on adds a finding in the Go 1.23 standard library
 * (`net/http/httptest/server_test.go`: `res, err := cst.Client().Get(url)`,
 * a true leak). That is a behaviour change to make on purpose, in its own
 * commit.
 */
export interface TypeOfPolicy {
  /** Type a call (`f()`, `s.client()`, `a, b := f()`) by the callee's declared results. */
  callResults: boolean;
}
export class GoTypeResolver {
  private sizerOrUndefined: TypeSizer | undefined;
  /** Facts per analysis for this resolver. */
  private readonly factsById = new Map<string, unknown[]>();
  private readonly returning = new Map<string, Set<string>>();

  /** Without `sizer`, the package's type sizer (its declaration index) is read from `pkg` on first need. */
  constructor(
    private readonly imports: GoImports,
    private readonly policy: TypeOfPolicy,
    private readonly pkg?: GoPackage,
    sizer?: TypeSizer,
  ) {
    this.sizerOrUndefined = sizer;
  }

  /** A resolver of `file` alone (no package view: only its own declarations are known), with the policy of {@link GO_TYPES}. */
  static of(file: GoFile): GoTypeResolver {
    return new GoTypeResolver(file.imports, GO_TYPES_POLICY, soloPackage(file));
  }

  /** A resolver that also sees the type and const declarations local to the function(s) around `node`. */
  static forScope(file: GoFile, sizer: TypeSizer, imports: GoImports, node: Node): GoTypeResolver {
    const local: Pick<FileTypeFacts, 'types' | 'consts' | 'vars'> = { types: {}, consts: {}, vars: {} };
    let found = false;
    for (let n: Node | null = node.parent; n; n = n.parent) {
      if (!FUNCTION_TYPES.has(n.type)) continue;
      for (const d of nodesOrNone(file, n.childForFieldName('body'), ['type_declaration', 'const_declaration'])) {
        collectDecl(d, imports, local);
        found = true;
      }
    }
    return new GoTypeResolver(imports, { callResults: true }, undefined, found ? new TypeSizer(sizer.pkg.withLocal(local), sizer.foreign) : sizer);
  }

  /** Sizes and underlying types over the package's declaration index. */
  get sizer(): TypeSizer {
    if (this.sizerOrUndefined) return this.sizerOrUndefined;
    if (!this.pkg) throw new Error('GoTypeResolver: neither a sizer nor a package view');
    return (this.sizerOrUndefined = resultOf(TYPE_SIZER, this.pkg));
  }

  /**
   * A fact of this file and of the other files of its package (the package view: their trees are never kept).
   * Not part of {@link GO_TYPES}' declaration key: a declaration-scoped rule that reads one lists an analysis keyed on it.
   */
  packageFact<T>(analysis: Analysis<T, 'go-file'>): T[] {
    if (!this.pkg) throw new Error(`GoTypeResolver: no package view to read ${analysis.id} from`);
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
      for (const d of this.sizer.pkg.layers()) {
        for (const decls of [d.funcs, d.methods]) {
          for (const [key, f] of Object.entries(decls)) if (isNamedType(f.results[0], typePath, typeName, pointer)) keys.add(key);
        }
      }
      this.returning.set(memo, keys);
    }
    return keys;
  }

  /** Result types of a function (`name`) or method (`Type.name`) declared in this package. */
  funcResults(key: string): readonly TypeExpr[] | undefined {
    return this.sizer.pkg.funcResults(key);
  }

  /** `name` for a call of a package-level function, `Type.name` for a method of a local type; else undefined. */
  funcKeyOf(info: CallInfo): string | undefined {
    const callee = unparen(info.callee);
    if (!info.name) return undefined;
    if (!info.receiver) return callee.type === 'identifier' && !this.isLocal(callee) ? info.name : undefined;
    const recv = namedTypeOf(this.typeOf(info.receiver));
    return recv && recv.path === '' ? `${recv.name}.${info.name}` : undefined;
  }

  /** Is `ident` declared in a function scope (so it shadows any import or package-level name)? */
  isLocal(ident: Node): boolean {
    return declaringScope(ident) !== undefined;
  }

  typeOf(expr: Node | null | undefined, depth = 0): TypeExpr {
    if (!expr || depth > 12) return UNKNOWN;
    const e = unparen(expr);
    const literal = literalTypeOf(e, this.imports);
    if (literal.k !== 'unknown' || e.type === 'composite_literal') return literal;
    switch (e.type) {
      case 'identifier':
        return this.typeOfIdentifier(e, depth);
      case 'call_expression':
        return this.policy.callResults ? this.typeOfCall(e, depth)[0] ?? UNKNOWN : UNKNOWN;
      case 'unary_expression': {
        const op = e.childForFieldName('operator')?.text;
        const operand = e.childForFieldName('operand');
        if (op === '&') return { k: 'ptr', elem: this.typeOf(operand, depth + 1) };
        if (op === '*') {
          const t = this.sizer.underlying(this.typeOf(operand, depth + 1));
          return t.k === 'ptr' ? t.elem : UNKNOWN;
        }
        return UNKNOWN;
      }
      case 'selector_expression':
        return this.typeOfSelector(e, depth);
      case 'index_expression': {
        const t = this.deref(this.sizer.underlying(this.typeOf(e.childForFieldName('operand'), depth + 1)));
        if (t.k === 'slice' || t.k === 'array') return t.elem;
        if (t.k === 'map') return t.value;
        return UNKNOWN;
      }
      case 'slice_expression': {
        const t = this.sizer.underlying(this.typeOf(e.childForFieldName('operand'), depth + 1));
        const d = this.deref(t);
        return d.k === 'array' ? { k: 'slice', elem: d.elem } : t;
      }
      default:
        return UNKNOWN;
    }
  }

  /**
   * The named type whose method `name` a value of type `t` calls: the package's own type when it
   * declares the method, else the type of an embedded field that provides it (promotion), else
   * another package's type as written (its methods are not known here). Undefined when unknown.
   */
  methodOwner(t: TypeExpr, name: string, depth = 0): NamedType | undefined {
    if (depth > 4) return undefined;
    const named = namedTypeOf(t);
    if (!named) return undefined;
    if (named.path !== '') return named;
    if (this.sizer.pkg.method(named.name, name)) return named;
    const u = this.sizer.underlying(this.deref(t));
    if (u.k !== 'struct') return undefined;
    for (const f of u.fields) {
      if (!f.embedded) continue;
      const owner = this.methodOwner(f.type, name, depth + 1);
      if (owner) return owner;
    }
    return undefined;
  }

  /** Element type when ranging over a value of type `t` (slice, array, pointer to array); undefined otherwise. */
  rangeElement(t: TypeExpr): TypeExpr | undefined {
    const u = this.deref(this.sizer.underlying(t));
    return u.k === 'slice' || u.k === 'array' ? u.elem : undefined;
  }

  /** Type of a struct field (or promoted field of an embedded struct) of `t` (pointers followed once). */
  fieldType(t: TypeExpr, field: string, depth = 0): TypeExpr | undefined {
    if (depth > 4) return undefined;
    const u = this.sizer.underlying(this.deref(this.sizer.underlying(t)));
    if (u.k !== 'struct') return undefined;
    const direct = u.fields.find((f) => f.name === field);
    if (direct) return direct.type;
    for (const f of u.fields) {
      if (!f.embedded) continue;
      const promoted = this.fieldType(f.type, field, depth + 1);
      if (promoted) return promoted;
    }
    return undefined;
  }

  /** Declared result types of a call to a package function or a method of a package type. */
  typeOfCall(call: Node, depth = 0): TypeExpr[] {
    const fn = call.childForFieldName('function');
    if (fn?.type === 'identifier') return this.isLocal(fn) ? [] : this.sizer.pkg.func(fn.text)?.results ?? [];
    if (fn?.type === 'selector_expression') {
      const operand = fn.childForFieldName('operand');
      const name = fn.childForFieldName('field')?.text;
      if (!operand || !name) return [];
      let recv = this.typeOf(operand, depth + 1);
      if (recv.k === 'ptr') recv = recv.elem;
      if (recv.k === 'name') return this.sizer.pkg.method(recv.name, name)?.results ?? [];
    }
    return [];
  }

  private deref(t: TypeExpr): TypeExpr {
    return t.k === 'ptr' ? this.sizer.underlying(t.elem) : t;
  }

  private typeOfSelector(expr: Node, depth: number): TypeExpr {
    const operand = expr.childForFieldName('operand');
    const field = expr.childForFieldName('field')?.text;
    if (!operand || !field) return UNKNOWN;
    if (operand.type === 'identifier' && this.imports.pathOf(operand.text) !== undefined && !this.isLocal(operand)) return UNKNOWN;
    return this.fieldType(this.typeOf(operand, depth + 1), field) ?? UNKNOWN;
  }

  private typeOfIdentifier(id: Node, depth: number): TypeExpr {
    const decl = this.declarationOf(id);
    if (decl) return this.typeFromDeclaration(decl, id.text, depth);
    if (this.isLocal(id)) return UNKNOWN;
    return this.sizer.pkg.knownVariable(id.text) ?? UNKNOWN;
  }

  /**
   * The node that declares `id` (a parameter declaration, a `var` or `:=`
   * statement, a range clause), in the scope `go-scope.ts` finds for it;
   * undefined for package-level names and declarations without a type to read.
   */
  declarationOf(id: Node): Node | undefined {
    const scope = declaringScope(id);
    if (!scope) return undefined;
    const name = id.text;
    if (FUNCTION_TYPES.has(scope.type)) {
      for (const field of ['receiver', 'parameters', 'result']) {
        for (const p of namedChildrenOf(scope.childForFieldName(field))) if (p.childrenForFieldName('name').some((x) => x?.text === name)) return p;
      }
      return undefined;
    }
    if (scope.type === 'statement_list') {
      let found: Node | undefined;
      for (const stmt of namedChildrenOf(scope)) {
        if (stmt.startIndex > id.startIndex) break;
        // Go scopes begin after the declaration: `x := f(x)` reads an outer x (unless `id` is the declared x itself).
        const names = declaredNames(stmt);
        if (names.some((n) => n.text === name) && (stmt.endIndex <= id.startIndex || names.some((n) => sameNode(n, id)))) found = stmt;
      }
      return found;
    }
    if (scope.type === 'for_statement') {
      for (const c of namedChildrenOf(scope)) {
        if (c.type === 'range_clause' && assignedNames(c).some((n) => n.text === name)) return c;
        const init = c.type === 'for_clause' ? c.childForFieldName('initializer') : null;
        if (init && declaredNames(init).some((n) => n.text === name)) return init;
      }
      return undefined;
    }
    const init = scope.type === 'type_case' ? null : scope.childForFieldName('initializer');
    return init && declaredNames(init).some((n) => n.text === name) ? init : undefined;
  }

  private typeFromDeclaration(decl: Node, name: string, depth: number): TypeExpr {
    switch (decl.type) {
      case 'parameter_declaration':
        return typeExprOf(decl.childForFieldName('type'), this.imports);
      case 'variadic_parameter_declaration':
        return { k: 'slice', elem: typeExprOf(decl.childForFieldName('type'), this.imports) };
      case 'var_declaration':
        for (const spec of specsOf(decl)) {
          const names = spec.childrenForFieldName('name');
          const i = names.findIndex((n) => n?.text === name);
          if (i < 0) continue;
          const t = spec.childForFieldName('type');
          return t ? typeExprOf(t, this.imports) : this.typeOfAssigned(spec.childForFieldName('value'), i, names.length, depth);
        }
        return UNKNOWN;
      case 'short_var_declaration': {
        const left = namedChildrenOf(decl.childForFieldName('left'));
        const i = left.findIndex((n) => n.text === name);
        return i < 0 ? UNKNOWN : this.typeOfAssigned(decl.childForFieldName('right'), i, left.length, depth);
      }
      case 'range_clause': {
        const left = namedChildrenOf(decl.childForFieldName('left'));
        if (left.findIndex((n) => n.text === name) !== 1) return UNKNOWN;
        const over = this.sizer.underlying(this.typeOf(decl.childForFieldName('right'), depth + 1));
        if (over.k === 'map') return over.value;
        return this.rangeElement(over) ?? UNKNOWN;
      }
      default:
        return UNKNOWN;
    }
  }

  private typeOfAssigned(values: Node | null, index: number, count: number, depth: number): TypeExpr {
    const exprs = namedChildrenOf(values);
    if (exprs.length === count) return this.typeOf(exprs[index], depth + 1);
    if (this.policy.callResults && exprs.length === 1 && exprs[0].type === 'call_expression') return this.typeOfCall(exprs[0], depth + 1)[index] ?? UNKNOWN;
    return UNKNOWN;
  }
}

/** Names a `var` or `:=` statement declares. */
function declaredNames(stmt: Node): Node[] {
  if (stmt.type === 'short_var_declaration') return assignedNames(stmt);
  if (stmt.type !== 'var_declaration') return [];
  return specsOf(stmt).flatMap((s) => s.childrenForFieldName('name').filter((n): n is Node => !!n));
}

const GO_TYPES_POLICY: TypeOfPolicy = { callResults: false };

/** The type resolver of the file under analysis, over its package's declaration index (calls not followed: see {@link TypeOfPolicy}). */
export const GO_TYPES = defineAnalysis({
  id: 'go/type-resolver',
  on: 'go-package',
  requires: [TYPE_SIZER],
  build: (pkg, pass) => new GoTypeResolver(pkg.file.imports, GO_TYPES_POLICY, pkg, pass.resultOf(TYPE_SIZER)),
  // Facts read through `packageFact` are not covered: a declaration-scoped rule lists an analysis keyed on them.
  // Nor are sizes (the layouts of structs, which depend on every field): a rule that sizes types lists TYPE_SIZER.
  declarationKey: (pkg) => declarationKeyOf(DECL_INDEX, pkg),
});

/**
 * The same resolver with calls typed by their callee's declared results (`srv := newServer()`):
 * for rules that ask which type's method a call is (`srv.ListenAndServe()`), where an unknown
 * type means silence and knowing more only removes guesses.
 */
export const GO_TYPES_CALLS = defineAnalysis({
  id: 'go/type-resolver-calls',
  on: 'go-package',
  requires: [TYPE_SIZER],
  build: (pkg, pass) => new GoTypeResolver(pkg.file.imports, { callResults: true }, pkg, pass.resultOf(TYPE_SIZER)),
  // Call results are the declared results of the package's functions and methods: its declaration index, as for GO_TYPES.
  declarationKey: (pkg) => declarationKeyOf(TYPE_SIZER, pkg),
});
