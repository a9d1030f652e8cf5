import type { ConstExpr, FileTypeFacts, TypeExpr } from './type-data';

/**
 * What the package-level declarations of one file contribute to the
 * declaration keys split by name (`NamedKey`) of the declaration index and of
 * the type sizer, as (name, fingerprint) pairs.
 *
 * A struct type is split: its entry `T` holds what a reader of `T` itself
 * needs (type parameters, alias or not, the kind, the embedded fields through
 * which fields and methods are promoted), and each field has a member entry
 * `T::f`, which the runner's walk (`NamedDependencies`) counts only for a
 * declaration that reaches `T` and spells `f` (a selector `x.f`, a key `f:`):
 * editing one field re-checks what selects it, not every declaration that
 * mentions the struct. The sizer adds a second entry `T` for a struct: its
 * field types in order (the layout), so that a field added or retyped
 * re-checks what sizes the struct, and a field renamed only what selects it.
 *
 * The walk follows every word of a fingerprint, so a fingerprint's only words
 * are the names it refers to: a kind tag of punctuation (`=` type, `{}`
 * struct, `.` field, `@` layout, `#` const, `$` var, `()` func, `(.)` method),
 * then a Go-like type spelling (`*T`, `[N]byte`, `map[string]T`; keywords such
 * as `map` cannot name a declaration). Another package's types name nothing of
 * this package and are spelled as character codes, without words.
 */
export interface DeclKeyEntries {
  /** Entries of the declaration index (and the type resolver built on it). */
  readonly index: readonly [string, string][];
  /** Extra entries of the type sizer: the field types of each struct type. */
  readonly sizes: readonly [string, string][];
}

export function declKeyEntries(facts: Omit<FileTypeFacts, 'packageName'>): DeclKeyEntries {
  const index: [string, string][] = [];
  const sizes: [string, string][] = [];
  for (const [name, decl] of Object.entries(facts.types)) {
    const params = decl.typeParams.length > 0 ? `[${decl.typeParams.join(',')}]` : '';
    const t = decl.type;
    if (decl.isAlias || t.k !== 'struct') {
      index.push([name, `${decl.isAlias ? '==' : '='} ${params}${typeSig(t)}`]);
      continue;
    }
    index.push([name, `{} ${params} ${t.fields.filter((f) => f.embedded).map((f) => typeSig(f.type)).join(';')}`]);
    // One member entry per field (embedded fields too: `x.Mutex` selects one); no position, so a field
    // inserted above another leaves the other's entry as it was.
    for (const f of t.fields) index.push([`${name}::${f.name}`, `.${f.embedded ? '~' : ''} ${typeSig(f.type)}`]);
    sizes.push([name, `@ ${t.fields.map((f) => typeSig(f.type)).join(';')}`]);
  }
  for (const [name, c] of Object.entries(facts.consts)) index.push([name, `# ${constSig(c)}`]);
  for (const [name, v] of Object.entries(facts.vars)) index.push([name, `$ ${typeSig(v)}`]);
  for (const [name, f] of Object.entries(facts.funcs)) index.push([name, `() ${f.results.map(typeSig).join(',')}`]);
  for (const [name, f] of Object.entries(facts.methods)) index.push([name, `(.) ${f.results.map(typeSig).join(',')}`]);
  return { index, sizes };
}

/** A type expression spelled as Go would, another package's types without words (one spelling per expression). */
export function typeSig(t: TypeExpr): string {
  switch (t.k) {
    case 'name': return t.args ? `${t.name}[${t.args.map(typeSig).join(',')}]` : t.name;
    case 'qual': return `<${wordless(t.path)}.${wordless(t.name)}>${t.args ? `[${t.args.map(typeSig).join(',')}]` : ''}`;
    case 'ptr': return `*${typeSig(t.elem)}`;
    case 'slice': return `[]${typeSig(t.elem)}`;
    case 'array': return `[${constSig(t.len)}]${typeSig(t.elem)}`;
    case 'map': return `map[${typeSig(t.key)}]${typeSig(t.value)}`;
    case 'chan': return `chan (${typeSig(t.elem)})`;
    case 'func': return 'func';
    case 'iface': return 'interface';
    case 'struct': return `struct{${t.fields.map((f) => `${f.embedded ? '~' : ''}${f.name} ${typeSig(f.type)}`).join(';')}}`;
    case 'unknown': return '?';
  }
}

/** `text` as character codes (`80-114-111`): the same text, the same spelling, and no word in it. */
function wordless(text: string): string {
  return Array.from(text, (c) => c.codePointAt(0)).join('-');
}

function constSig(c: ConstExpr): string {
  switch (c.k) {
    case 'int': return String(c.v);
    case 'ref': return c.name;
    case 'bin': return `(${constSig(c.l)} ${c.op} ${constSig(c.r)})`;
    case 'unknown': return '?';
  }
}
