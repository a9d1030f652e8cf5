import type { GoPackageSource } from '../package';
import * as path from 'node:path';
import { defineAnalysis, resultOf } from '../../../core/analysis';
import type { GoFile } from '../parser';
import { PREDECLARED, STD_LAYOUTS, type Layout } from './type-std';
import { evalConst, TYPE_FACTS, typeSizerKey, UNKNOWN, type ConstExpr, type TypeDecl, type TypeExpr } from './type-expr';
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
 * Types of other packages are known when a {@link ForeignScope} reads their
 * declarations (`workspace/go-foreign-types.ts`: the module's own packages,
 * `vendor/`, the module cache); standard-library types come from the table.
 */

/** Reads the declarations of packages other than the one under analysis. */
export interface ForeignPackages {
  /** The declaration index of the package with this import path, or undefined when its files cannot be read. */
  packageTypes(importPath: string): GoPackageTypes | undefined;
}

/**
 * The sizers of the other packages one analysis reached (built lazily, one per import path, for this
 * scope's life: the caller owns it), and the qualified types being laid out across them, so that an
 * import cycle (invalid Go, but a workspace may hold one) ends as "unknown".
 */
export class ForeignScope {
  private readonly sizers = new Map<string, TypeSizer | undefined>();
  readonly visiting = new Set<string>();

  constructor(private readonly packages: ForeignPackages) {}

  sizerOf(importPath: string): TypeSizer | undefined {
    if (!this.sizers.has(importPath)) {
      const pkg = this.packages.packageTypes(importPath);
      this.sizers.set(importPath, pkg && new TypeSizer(pkg, this));
    }
    return this.sizers.get(importPath);
  }
}

type Subst = ReadonlyMap<string, TypeExpr>;
const NO_SUBST: Subst = new Map();

export class TypeSizer {
  private readonly memo = new Map<string, Layout | undefined>();
  private readonly visiting = new Set<string>();

  constructor(readonly pkg: GoPackageTypes, readonly foreign?: ForeignScope) {}

  /** The same package's sizer that also reads other packages' declarations through `scope`. */
  withForeign(scope: ForeignScope): TypeSizer {
    return new TypeSizer(this.pkg, scope);
  }

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
      case 'qual': {
        const key = `${t.path}.${t.name}`;
        if (Object.hasOwn(STD_LAYOUTS, key)) return STD_LAYOUTS[key];
        // A generic type of another package: its type arguments are spelled in this package's names.
        return t.args?.length ? undefined : this.foreignLayout(t.path, t.name);
      }
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
    if (t.k === 'qual') {
      const sizer = t.args?.length ? undefined : this.foreign?.sizerOf(t.path);
      const decl = sizer?.pkg.type(t.name);
      if (!sizer || !decl || decl.typeParams.length > 0) return t;
      return this.underlying(qualify(decl.type, t.path, sizer), depth + 1);
    }
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

  private foreignLayout(importPath: string, name: string): Layout | undefined {
    const scope = this.foreign;
    const sizer = scope?.sizerOf(importPath);
    const key = `${importPath}.${name}`;
    if (!scope || !sizer || scope.visiting.has(key)) return undefined;
    scope.visiting.add(key);
    try {
      return sizer.layoutOf({ k: 'name', name });
    } finally {
      scope.visiting.delete(key);
    }
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

/**
 * A type expression of another package's declaration, spelled so that this package can read it: its own
 * names become qualified by `importPath` (predeclared names stay), and array lengths are evaluated with
 * that package's constants.
 */
function qualify(t: TypeExpr, importPath: string, sizer: TypeSizer): TypeExpr {
  const q = (x: TypeExpr): TypeExpr => qualify(x, importPath, sizer);
  switch (t.k) {
    case 'name':
      if (!sizer.pkg.type(t.name) && Object.hasOwn(PREDECLARED, t.name)) return t;
      return { k: 'qual', path: importPath, name: t.name, ...(t.args ? { args: t.args.map(q) } : {}) };
    case 'qual': return t.args ? { ...t, args: t.args.map(q) } : t;
    case 'ptr': case 'slice': case 'chan': return { ...t, elem: q(t.elem) };
    case 'array': {
      const n = sizer.arrayLength(t.len);
      return { k: 'array', len: n === undefined ? { k: 'unknown' } : { k: 'int', v: n }, elem: q(t.elem) };
    }
    case 'map': return { k: 'map', key: q(t.key), value: q(t.value) };
    case 'struct': return { k: 'struct', fields: t.fields.map((f) => ({ ...f, type: q(f.type) })) };
    default: return t;
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
  // The declaration index's key and, per struct type, its layout (field types in order): a field added or
  // retyped re-checks what sizes the struct; a field renamed, only what selects it.
  declarationKey: (pkg) => typeSizerKey(pkg.file, pkg.otherFacts(TYPE_FACTS)),
});

export function packageTypeSizer(workspace: GoPackageSource, file: GoFile): TypeSizer {
  return resultOf(TYPE_SIZER, workspace.goPackage(file));
}
