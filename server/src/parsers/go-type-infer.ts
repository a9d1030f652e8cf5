import type { Node } from 'web-tree-sitter';
import type { GoImports } from './go-imports';
import { collectDecl, literalTypeOf, typeExprOf, UNKNOWN, type FileTypeFacts, type TypeExpr } from './go-type-expr';
import { TypeSizer } from './go-type-size';

/**
 * Declared types of expressions, without a type checker: what the code spells
 * out. An identifier's type comes from the nearest declaration before it
 * (`var x T`, `x := T{}` / `make(T)` / `new(T)` / `f()`, a parameter, a
 * receiver, a range variable), then the package's variables; selectors follow
 * struct fields (and embedded ones); calls use the declared results of the
 * package's functions and methods. Anything else is `unknown`.
 */
export class GoTypeInference {
  constructor(
    readonly sizer: TypeSizer,
    private readonly imports: GoImports,
  ) {}

  /** A sizer that also sees the type declarations local to the function(s) around `node`. */
  static forScope(sizer: TypeSizer, imports: GoImports, node: Node): GoTypeInference {
    const local: Pick<FileTypeFacts, 'types' | 'consts' | 'vars'> = { types: {}, consts: {}, vars: {} };
    let found = false;
    for (let n: Node | null = node.parent; n; n = n.parent) {
      if (!isFunctionNode(n)) continue;
      const body = n.childForFieldName('body');
      for (const d of body?.descendantsOfType(['type_declaration', 'const_declaration']) ?? []) {
        if (d) {
          collectDecl(d, imports, local);
          found = true;
        }
      }
    }
    return new GoTypeInference(found ? new TypeSizer(sizer.pkg.withLocal(local)) : sizer, imports);
  }

  typeOf(expr: Node | null | undefined, depth = 0): TypeExpr {
    if (!expr || depth > 12) return UNKNOWN;
    switch (expr.type) {
      case 'identifier':
        return this.typeOfIdentifier(expr, depth);
      case 'parenthesized_expression':
        return this.typeOf(expr.namedChildren[0], depth + 1);
      case 'composite_literal':
      case 'call_expression': {
        const lit = literalTypeOf(expr, this.imports);
        if (lit.k !== 'unknown' || expr.type === 'composite_literal') return lit;
        return this.typeOfCall(expr, depth)[0] ?? UNKNOWN;
      }
      case 'unary_expression': {
        const op = expr.childForFieldName('operator')?.text;
        const operand = expr.childForFieldName('operand');
        if (op === '&') return { k: 'ptr', elem: this.typeOf(operand, depth + 1) };
        if (op === '*') {
          const t = this.sizer.underlying(this.typeOf(operand, depth + 1));
          return t.k === 'ptr' ? t.elem : UNKNOWN;
        }
        return UNKNOWN;
      }
      case 'selector_expression':
        return this.typeOfSelector(expr, depth);
      case 'index_expression': {
        const t = this.deref(this.sizer.underlying(this.typeOf(expr.childForFieldName('operand'), depth + 1)));
        if (t.k === 'slice' || t.k === 'array') return t.elem;
        if (t.k === 'map') return t.value;
        return UNKNOWN;
      }
      case 'slice_expression': {
        const t = this.sizer.underlying(this.typeOf(expr.childForFieldName('operand'), depth + 1));
        const d = this.deref(t);
        if (d.k === 'array') return { k: 'slice', elem: d.elem };
        return t;
      }
      default:
        return UNKNOWN;
    }
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

  private deref(t: TypeExpr): TypeExpr {
    return t.k === 'ptr' ? this.sizer.underlying(t.elem) : t;
  }

  private typeOfSelector(expr: Node, depth: number): TypeExpr {
    const operand = expr.childForFieldName('operand');
    const field = expr.childForFieldName('field')?.text;
    if (!operand || !field) return UNKNOWN;
    if (operand.type === 'identifier' && this.imports.pathOf(operand.text) !== undefined && !this.declarationOf(operand)) return UNKNOWN;
    return this.fieldType(this.typeOf(operand, depth + 1), field) ?? UNKNOWN;
  }

  /** Declared result types of a call to a package function or a method of a package type. */
  typeOfCall(call: Node, depth = 0): TypeExpr[] {
    const fn = call.childForFieldName('function');
    if (fn?.type === 'identifier') return this.sizer.pkg.func(fn.text)?.results ?? [];
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

  private typeOfIdentifier(id: Node, depth: number): TypeExpr {
    const decl = this.declarationOf(id);
    if (decl) return this.typeFromDeclaration(decl, id.text, depth);
    return this.sizer.pkg.variable(id.text) ?? UNKNOWN;
  }

  /** The node that declares `id` in its function (parameter, var spec, short var decl, range clause), searching outwards. */
  declarationOf(id: Node): Node | undefined {
    const name = id.text;
    let child: Node = id;
    for (let n: Node | null = id.parent; n; child = n, n = n.parent) {
      if (n.type === 'statement_list' || n.type === 'block' || n.type === 'source_file') {
        if (n.type === 'source_file') return undefined;
        for (const stmt of n.namedChildren) {
          if (!stmt || stmt.startIndex >= child.startIndex) break;
          if (declaresName(stmt, name)) return stmt;
        }
      } else if (n.type === 'for_statement' || n.type === 'if_statement' || n.type === 'expression_switch_statement' || n.type === 'type_switch_statement') {
        for (const c of n.namedChildren) {
          if (!c || c.startIndex >= child.startIndex || c === child) continue;
          if (c.type === 'range_clause' || c.type === 'for_clause' || c.type === 'short_var_declaration' || c.type === 'var_declaration') {
            if (declaresName(c, name)) return c;
          }
        }
      } else if (isFunctionNode(n)) {
        for (const field of ['receiver', 'parameters', 'result']) {
          const list = n.childForFieldName(field);
          for (const p of list?.type === 'parameter_list' ? list.namedChildren : []) {
            if (p && p.childrenForFieldName('name').some((x) => x?.text === name)) return p;
          }
        }
        if (n.type === 'func_literal') continue;
        return undefined;
      }
    }
    return undefined;
  }

  private typeFromDeclaration(decl: Node, name: string, depth: number): TypeExpr {
    switch (decl.type) {
      case 'parameter_declaration':
        return typeExprOf(decl.childForFieldName('type'), this.imports);
      case 'variadic_parameter_declaration':
        return { k: 'slice', elem: typeExprOf(decl.childForFieldName('type'), this.imports) };
      case 'var_declaration': {
        for (const spec of decl.descendantsOfType('var_spec')) {
          if (!spec) continue;
          const names = spec.childrenForFieldName('name');
          const i = names.findIndex((n) => n?.text === name);
          if (i < 0) continue;
          const t = spec.childForFieldName('type');
          if (t) return typeExprOf(t, this.imports);
          return this.typeOfAssigned(spec.childForFieldName('value'), i, names.length, depth);
        }
        return UNKNOWN;
      }
      case 'short_var_declaration': {
        const left = decl.childForFieldName('left')?.namedChildren ?? [];
        const i = left.findIndex((n) => n?.text === name);
        return i < 0 ? UNKNOWN : this.typeOfAssigned(decl.childForFieldName('right'), i, left.length, depth);
      }
      case 'range_clause': {
        const left = decl.childForFieldName('left')?.namedChildren ?? [];
        const i = left.findIndex((n) => n?.text === name);
        if (i !== 1) return UNKNOWN;
        const over = this.sizer.underlying(this.typeOf(decl.childForFieldName('right'), depth + 1));
        if (over.k === 'map') return over.value;
        return this.rangeElement(over) ?? UNKNOWN;
      }
      default:
        return UNKNOWN;
    }
  }

  private typeOfAssigned(values: Node | null, index: number, count: number, depth: number): TypeExpr {
    const exprs = values?.namedChildren ?? [];
    if (exprs.length === count) return this.typeOf(exprs[index], depth + 1);
    if (exprs.length === 1 && exprs[0]?.type === 'call_expression') return this.typeOfCall(exprs[0], depth + 1)[index] ?? UNKNOWN;
    return UNKNOWN;
  }
}

function isFunctionNode(n: Node): boolean {
  return n.type === 'function_declaration' || n.type === 'method_declaration' || n.type === 'func_literal';
}

/** Does a statement (or range/for clause) declare `name` in the enclosing scope? */
function declaresName(stmt: Node, name: string): boolean {
  switch (stmt.type) {
    case 'short_var_declaration':
    case 'range_clause': {
      if (stmt.type === 'range_clause' && !stmt.children.some((c) => c?.type === ':=')) return false;
      return (stmt.childForFieldName('left')?.namedChildren ?? []).some((n) => n?.text === name);
    }
    case 'var_declaration':
      return stmt.descendantsOfType('var_spec').some((s) => s?.childrenForFieldName('name').some((n) => n?.text === name));
    case 'for_clause': {
      const init = stmt.childForFieldName('initializer');
      return init ? declaresName(init, name) : false;
    }
    default:
      return false;
  }
}

