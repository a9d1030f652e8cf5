import type { Node } from 'web-tree-sitter';
import { defineAnalysis, resultOf, type Analysis } from '../engine/analysis';
import { soloPackage, type GoPackage } from '../engine/go-package';
import type { GoFile } from './go';
import { DECL_INDEX, type GoPackageTypes } from './go-decl-index';
import { declarationScope, declaringScope, functionParamNames } from './go-scope';
import { FUNCTION_TYPES, assignedNames, assignedValues, namedChildrenOf, sameNode, unparen, type CallInfo } from './go-syntax';
import { isNamedType, literalTypeOf, namedTypeOf, typeExprOf, type TypeExpr } from './go-type-expr';

/** The type resolver of the file under analysis, reading its package's declarations as facts. */
export const GO_TYPES = defineAnalysis({
  id: 'go/type-resolver',
  on: 'go-package',
  requires: [DECL_INDEX],
  build: (pkg, pass) => new GoTypeResolver(pkg.file, pkg, pass.resultOf(DECL_INDEX)),
});

/**
 * Follows identifiers and field selectors to a declared type: locals (`c :=
 * &http.Client{}`, `var c *http.Client`), parameters and receivers, struct
 * fields (`s.client`, declared in this file or another file of the package),
 * package-level vars. Undefined whenever the syntax does not show the type.
 */
export class GoTypeResolver {
  private readonly pkg: GoPackage;
  private indexOrUndefined: GoPackageTypes | undefined;

  /** Without a package view, only `file`'s own declarations are known. */
  constructor(
    private readonly file: GoFile,
    pkg?: GoPackage,
    index?: GoPackageTypes,
  ) {
    this.pkg = pkg ?? soloPackage(file);
    this.indexOrUndefined = index;
  }

  /** The package's declaration index (built on first need without a package view). */
  private get index(): GoPackageTypes {
    return (this.indexOrUndefined ??= resultOf(DECL_INDEX, this.pkg));
  }

  /** Facts per analysis for this resolver. */
  private readonly factsById = new Map<string, unknown[]>();
  private readonly returning = new Map<string, Set<string>>();

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
      for (const d of this.index.layers()) {
        for (const decls of [d.funcs, d.methods]) {
          for (const [key, f] of Object.entries(decls)) if (isNamedType(f.results[0], typePath, typeName, pointer)) keys.add(key);
        }
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
    const recv = namedTypeOf(this.typeOf(info.receiver));
    return recv && recv.path === '' ? `${recv.name}.${info.name}` : undefined;
  }

  /** A field of a struct type of the package, when its type names a type (an embedded `*T` reads as `T`). */
  private structField(typeName: string, field: string): TypeExpr | undefined {
    const f = this.index.structType(typeName)?.fields.find((x) => x.name === field);
    if (!f) return undefined;
    return namedOnly(f.embedded && f.type.k === 'ptr' ? f.type.elem : f.type);
  }

  typeOf(expr: Node, depth = 0): TypeExpr | undefined {
    if (depth > 6) return undefined;
    const e = unparen(expr);
    const literal = literalTypeOf(e, this.file.imports);
    if (literal.k !== 'unknown') return literal;
    if (e.type === 'identifier') return this.typeOfIdentifier(e, depth);
    if (e.type === 'selector_expression') {
      const operand = e.childForFieldName('operand');
      const field = e.childForFieldName('field');
      if (!operand || !field) return undefined;
      if (operand.type === 'identifier' && this.file.imports.pathOf(operand.text) !== undefined && !this.isLocal(operand)) return undefined;
      const base = namedTypeOf(this.typeOf(operand, depth + 1));
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
  funcResults(key: string): readonly TypeExpr[] | undefined {
    return this.index.funcResults(key);
  }

  private typeOfIdentifier(ident: Node, depth: number): TypeExpr | undefined {
    const scope = declarationScope(ident);
    const name = ident.text;
    if (scope && FUNCTION_TYPES.has(scope.type) && functionParamNames(scope).includes(name)) {
      for (const field of ['receiver', 'parameters', 'result']) {
        for (const decl of namedChildrenOf(scope.childForFieldName(field))) {
          if (decl.childrenForFieldName('name').some((n) => n?.text === name)) return namedOnly(typeExprOf(decl.childForFieldName('type'), this.file.imports));
        }
      }
      return undefined;
    }
    if (scope && !FUNCTION_TYPES.has(scope.type)) return this.typeFromLocalDeclaration(scope, name, ident, depth);
    return this.index.knownVariable(name);
  }

  /** The `:=` or `var` that declares `name` in `scope` before `use`. */
  private typeFromLocalDeclaration(scope: Node, name: string, use: Node, depth: number): TypeExpr | undefined {
    const candidates = scope.type === 'statement_list' ? namedChildrenOf(scope) : [scope.childForFieldName('initializer')].filter((n): n is Node => !!n);
    let found: TypeExpr | undefined;
    for (const stmt of candidates) {
      if (stmt.startIndex > use.startIndex) break;
      const specs = stmt.type === 'var_declaration' ? stmt.descendantsOfType('var_spec').filter((s): s is Node => !!s) : stmt.type === 'short_var_declaration' ? [stmt] : [];
      for (const spec of specs) {
        const names = assignedNames(spec);
        const i = names.findIndex((n) => n.text === name);
        if (i < 0) continue;
        const declared = spec.type === 'var_spec' ? namedOnly(typeExprOf(spec.childForFieldName('type'), this.file.imports)) : undefined;
        const values = assignedValues(spec);
        const value = values.length === names.length ? values[i] : undefined;
        found = declared ?? (value && !sameNode(value, use) ? this.typeOf(value, depth + 1) : undefined);
      }
    }
    return found;
  }
}

/**
 * `t` when it names a type (`T`, `*pkg.T`, `T[int]`), else undefined: the
 * resolver follows declared types only that far (a local `var c any =
 * &http.Client{}` reads as its value's type).
 */
function namedOnly(t: TypeExpr): TypeExpr | undefined {
  return namedTypeOf(t) ? t : undefined;
}
