import type { GoPackageSource } from '../package';
import * as path from 'node:path';
import { defineAnalysis, resultOf } from '../../../core/analysis';
import type { GoFile } from '../parser';
import { PREDECLARED, STD_LAYOUTS, type Layout } from './type-std';
import { evalConst, UNKNOWN, type ConstExpr, type TypeDecl, type TypeExpr } from './type-expr';
import { DECL_INDEX, type GoPackageTypes } from './decl-index';

export type { Layout } from './type-std';

/**
 * Go's memory layout on 64-bit platforms (the gc compiler's rules): a struct
 * field sits at the next multiple of its alignment, a struct's alignment is
 * its largest field's, its size is rounded up to that alignment, and a
 * non-empty struct ending in a zero-size field gets one byte of padding
 * (issue 9401). Arrays are `len × elem`. Anything the model cannot see —
 * types of packages outside the standard table, type parameters, cycles,
 * array lengths that are not constant — is unknown (undefined), never 0.
 */

type Subst = ReadonlyMap<string, TypeExpr>;
const NO_SUBST: Subst = new Map();

export class TypeSizer {
  private readonly memo = new Map<string, Layout | undefined>();
  private readonly visiting = new Set<string>();

  constructor(readonly pkg: GoPackageTypes) {}

  /** Size and alignment of `t`, or undefined when any part is unknown. */
  layoutOf(t: TypeExpr, subst: Subst = NO_SUBST): Layout | undefined {
    switch (t.k) {
      case 'ptr': case 'map': case 'chan': case 'func':
        return { size: 8, align: 8 };
      case 'slice':
        return { size: 24, align: 8 };
      case 'iface':
        return { size: 16, align: 8 };
      case 'array': {
        const n = this.arrayLength(t.len);
        const elem = this.layoutOf(t.elem, subst);
        if (n === undefined || n < 0 || !elem) return undefined;
        return { size: n * elem.size, align: elem.align };
      }
      case 'struct':
        return this.structLayout(t.fields.map((f) => f.type), subst);
      case 'qual':
        return STD_LAYOUTS[`${t.path}.${t.name}`];
      case 'name':
        return this.namedLayout(t, subst);
      default:
        return undefined;
    }
  }

  /** Value of an array length expression, from the package's constants. */
  arrayLength(len: ConstExpr): number | undefined {
    return evalConst(len, (name) => this.pkg.const(name));
  }

  /** The declared type behind names and aliases (`type Orders []Order` → `[]Order`), with type arguments substituted. */
  underlying(t: TypeExpr, depth = 0): TypeExpr {
    if (depth > 20) return UNKNOWN;
    if (t.k !== 'name') return t;
    const decl = this.pkg.type(t.name);
    if (!decl) return t;
    const subst = bindTypeParams(decl, t.args);
    return this.underlying(subst ? substitute(decl.type, subst) : UNKNOWN, depth + 1);
  }

  private namedLayout(t: Extract<TypeExpr, { k: 'name' }>, subst: Subst): Layout | undefined {
    const bound = subst.get(t.name);
    if (bound) return this.layoutOf(bound);
    const decl = this.pkg.type(t.name);
    if (!decl) return Object.hasOwn(PREDECLARED, t.name) ? PREDECLARED[t.name] : undefined;
    const inner = bindTypeParams(decl, t.args?.map((a) => substitute(a, subst)));
    if (!inner) return undefined; // generic used without (or with the wrong number of) type arguments
    const key = t.args && t.args.length > 0 ? `${t.name}[${JSON.stringify(t.args.map((a) => substitute(a, subst)))}]` : t.name;
    if (this.memo.has(key)) return this.memo.get(key);
    if (this.visiting.has(key)) return undefined; // invalid recursive type
    this.visiting.add(key);
    const layout = this.layoutOf(decl.type, inner);
    this.visiting.delete(key);
    this.memo.set(key, layout);
    return layout;
  }

  private structLayout(fields: TypeExpr[], subst: Subst): Layout | undefined {
    let offset = 0;
    let align = 1;
    let lastSize = -1;
    for (const f of fields) {
      const l = this.layoutOf(f, subst);
      if (!l) return undefined;
      offset = alignUp(offset, l.align) + l.size;
      align = Math.max(align, l.align);
      lastSize = l.size;
    }
    if (offset > 0 && lastSize === 0) offset++;
    return { size: alignUp(offset, align), align };
  }
}

function alignUp(n: number, align: number): number {
  return Math.ceil(n / align) * align;
}

/** Type parameter bindings for an instantiation; undefined when the argument count does not match. */
function bindTypeParams(decl: TypeDecl, args: readonly TypeExpr[] | undefined): Subst | undefined {
  const n = args?.length ?? 0;
  if (decl.typeParams.length !== n) return undefined;
  if (n === 0) return NO_SUBST;
  return new Map(decl.typeParams.map((p, i) => [p, args?.[i] ?? UNKNOWN]));
}

/** Replaces type-parameter names in `t` by their bindings. */
export function substitute(t: TypeExpr, subst: Subst): TypeExpr {
  if (subst.size === 0) return t;
  switch (t.k) {
    case 'name': {
      const bound = subst.get(t.name);
      if (bound && !t.args) return bound;
      return t.args ? { ...t, args: t.args.map((a) => substitute(a, subst)) } : t;
    }
    case 'qual': return t.args ? { ...t, args: t.args.map((a) => substitute(a, subst)) } : t;
    case 'ptr': case 'slice': case 'chan': return { ...t, elem: substitute(t.elem, subst) };
    case 'array': return { ...t, elem: substitute(t.elem, subst) };
    case 'map': return { ...t, key: substitute(t.key, subst), value: substitute(t.value, subst) };
    case 'struct': return { ...t, fields: t.fields.map((f) => ({ ...f, type: substitute(f.type, subst) })) };
    default: return t;
  }
}

/** Human-readable spelling of a type expression (messages). */
export function typeName(t: TypeExpr): string {
  switch (t.k) {
    case 'name': return t.args?.length ? `${t.name}[${t.args.map(typeName).join(', ')}]` : t.name;
    case 'qual': return `${path.posix.basename(t.path)}.${t.name}`;
    case 'ptr': return `*${typeName(t.elem)}`;
    case 'slice': return `[]${typeName(t.elem)}`;
    case 'array': return `[${t.len.k === 'int' ? t.len.v : t.len.k === 'ref' ? t.len.name : '?'}]${typeName(t.elem)}`;
    case 'map': return `map[${typeName(t.key)}]${typeName(t.value)}`;
    case 'chan': return `chan ${typeName(t.elem)}`;
    case 'func': return 'func';
    case 'iface': return 'interface';
    case 'struct': return 'struct{...}';
    default: return '?';
  }
}

/** The type sizer of the file under analysis's package, over its declaration index. */
export const TYPE_SIZER = defineAnalysis({
  id: 'go/type-sizer',
  on: 'go-package',
  requires: [DECL_INDEX],
  build: (_pkg, pass): TypeSizer => new TypeSizer(pass.resultOf(DECL_INDEX)),
});

export function packageTypeSizer(workspace: GoPackageSource, file: GoFile): TypeSizer {
  return resultOf(TYPE_SIZER, workspace.goPackage(file));
}
