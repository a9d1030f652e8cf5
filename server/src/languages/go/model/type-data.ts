// The Go type model's plain data (facts kept after trees are freed): types only, so that
// the modules building and keying them (`type-expr.ts`, `type-keys.ts`) both read it.

/**
 * A Go type expression detached from the syntax tree: plain data, so the
 * declarations of a package's other files can be kept as facts after their
 * trees are freed (the `go/type-facts` fact of `type-expr.ts`, read through the package view). Only what sizes and element
 * types need is kept; anything else is `unknown`.
 */
export type TypeExpr =
  /** A name declared in the package, a predeclared type, or a type parameter. */
  | { k: 'name'; name: string; args?: TypeExpr[] }
  /** A type of another package, its import path resolved. */
  | { k: 'qual'; path: string; name: string; args?: TypeExpr[] }
  | { k: 'ptr'; elem: TypeExpr }
  | { k: 'slice'; elem: TypeExpr }
  | { k: 'array'; len: ConstExpr; elem: TypeExpr }
  | { k: 'map'; key: TypeExpr; value: TypeExpr }
  | { k: 'chan'; elem: TypeExpr }
  | { k: 'func' }
  | { k: 'iface' }
  | { k: 'struct'; fields: StructField[] }
  | { k: 'unknown' };

export interface StructField {
  /** Field name; for an embedded field, the type's name. */
  name: string;
  embedded: boolean;
  type: TypeExpr;
}

/** An untyped integer constant expression, kept unevaluated until the package's constants are known. */
export type ConstExpr =
  | { k: 'int'; v: number }
  | { k: 'ref'; name: string }
  | { k: 'bin'; op: string; l: ConstExpr; r: ConstExpr }
  | { k: 'unknown' };

export interface TypeDecl {
  type: TypeExpr;
  /** Names of the type parameters of a generic declaration, in order. */
  typeParams: string[];
  isAlias: boolean;
}

/** A function's (or method's) declared results, for `x := f()` inference. */
export interface FuncDecl {
  results: TypeExpr[];
}

/** What one file declares at package level. Plain data (the `go/type-facts` fact). */
export interface FileTypeFacts {
  packageName: string;
  types: Record<string, TypeDecl>;
  consts: Record<string, ConstExpr>;
  vars: Record<string, TypeExpr>;
  funcs: Record<string, FuncDecl>;
  /** Methods by `Receiver.name` (receiver base type name without `*`). */
  methods: Record<string, FuncDecl>;
}
