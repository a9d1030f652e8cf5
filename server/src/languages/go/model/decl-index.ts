import { defineAnalysis } from '../../../core/analysis';
import { TYPE_FACTS, typeFactsKey, type ConstExpr, type FileTypeFacts, type FuncDecl, type TypeDecl, type TypeExpr } from './type-expr';

/** Declarations of one file (or a function body's local overlay), as the index reads them. */
type Layer = Pick<FileTypeFacts, 'types' | 'consts' | 'vars' | 'funcs' | 'methods'>;

/**
 * The declaration index of one Go package: the `go/type-facts` of the file
 * under analysis (and local overlays) first, then those of the package's
 * other files, read through the package view only when a name is not
 * declared in the first layers (reading another file costs a parse the first
 * time). The one place every type question about package-level names goes:
 * the type sizer, the type resolver and its `typeOf`.
 */
export class GoPackageTypes {
  private loaded: Layer[] | undefined;

  constructor(
    private readonly first: readonly Layer[],
    private readonly more: () => readonly Layer[] = () => [],
  ) {}

  /** A view with extra declarations (e.g. a function body's local types) looked up first. */
  withLocal(local: Pick<FileTypeFacts, 'types' | 'consts' | 'vars'>): GoPackageTypes {
    return new GoPackageTypes([{ funcs: {}, methods: {}, ...local }, ...this.first], () => this.rest());
  }

  private rest(): readonly Layer[] {
    return (this.loaded ??= [...this.more()]);
  }

  /** Layers declaring something `has` accepts: the first layers' when any does, else the others'. */
  private *layersFor(has: (l: Layer) => boolean): Generator<Layer> {
    for (const l of this.first) if (has(l)) yield l;
    if (this.first.some(has)) return;
    for (const l of this.rest()) if (has(l)) yield l;
  }

  /** Every layer, first layers first. */
  *layers(): Generator<Layer> {
    yield* this.first;
    yield* this.rest();
  }

  type(name: string): TypeDecl | undefined {
    for (const l of this.layersFor((x) => Object.hasOwn(x.types, name))) return l.types[name];
    return undefined;
  }
  const(name: string): ConstExpr | undefined {
    for (const l of this.layersFor((x) => Object.hasOwn(x.consts, name))) return l.consts[name];
    return undefined;
  }
  variable(name: string): TypeExpr | undefined {
    for (const l of this.layersFor((x) => Object.hasOwn(x.vars, name))) return l.vars[name];
    return undefined;
  }
  func(name: string): FuncDecl | undefined {
    for (const l of this.layersFor((x) => Object.hasOwn(x.funcs, name))) return l.funcs[name];
    return undefined;
  }
  method(receiverType: string, name: string): FuncDecl | undefined {
    const key = `${receiverType}.${name}`;
    for (const l of this.layersFor((x) => Object.hasOwn(x.methods, key))) return l.methods[key];
    return undefined;
  }

  /** The first struct (not alias) declaration named `name`, whichever files declare other kinds of `name`. */
  structType(name: string): Extract<TypeExpr, { k: 'struct' }> | undefined {
    for (const l of this.layersFor((x) => Object.hasOwn(x.types, name) && isStructDecl(x.types[name]))) {
      const t = l.types[name].type;
      if (t.k === 'struct') return t;
    }
    return undefined;
  }

  /** The first declaration of package var `name` whose type is known. */
  knownVariable(name: string): TypeExpr | undefined {
    for (const l of this.layersFor((x) => Object.hasOwn(x.vars, name) && x.vars[name].k !== 'unknown')) return l.vars[name];
    return undefined;
  }

  /** Results of function `name` or method `Type.name`: the first declaration that has results. */
  funcResults(key: string): readonly TypeExpr[] | undefined {
    const pick = (l: Layer): FuncDecl | undefined => (key.includes('.') ? l.methods[key] : l.funcs[key]);
    const hasResults = (l: Layer): boolean => (Object.hasOwn(key.includes('.') ? l.methods : l.funcs, key) && (pick(l)?.results.length ?? 0) > 0);
    for (const l of this.layersFor(hasResults)) return pick(l)?.results;
    return undefined;
  }
}

function isStructDecl(d: TypeDecl): boolean {
  return !d.isAlias && d.type.k === 'struct';
}

/** The declaration index of the file under analysis's package (see {@link GoPackageTypes}). */
export const DECL_INDEX = defineAnalysis({
  id: 'go/decl-index',
  on: 'go-package',
  requires: [TYPE_FACTS],
  build: (pkg, pass): GoPackageTypes => new GoPackageTypes([pass.resultOf(TYPE_FACTS)], () => pkg.otherFacts(TYPE_FACTS)),
  // The package-level declarations of every file of the package, by name: a declaration depends on those it names.
  declarationKey: (pkg) => typeFactsKey(pkg.file, pkg.otherFacts(TYPE_FACTS)),
});
