/**
 * Names that denote database/sql (or sqlx) handles and `*http.Client`s in a package, without a type
 * checker (clients: declared `http.Client`/`*http.Client`, or assigned an `http.Client{...}` literal). SQL handles: variables, parameters and struct fields declared with a `*sql.DB`,
 * `*sql.Tx`, `*sql.Stmt`, `*sql.Conn` (or sqlx `DB`/`Tx`/`Stmt`/`Conn`) type, and
 * locals assigned from `sql.Open`, `sqlx.Open/Connect/MustConnect`, `x.Begin*()`,
 * `x.Prepare*()`, `x.Conn()` on such a handle. Read from the package's other
 * files as facts, through the package view (`HANDLE_NAMES`).
 */
import type { Node } from 'web-tree-sitter';
import { defineAnalysis, resultOf } from '../../../core/analysis';
import { soloPackage, type GoPackageSource } from '../../../languages/go/package';
import type { GoFile } from '../../../languages/go/parser';
import { typeRef } from '../../../languages/go/func';

export type SqlFlavour = 'sql' | 'sqlx' | 'http-client';

export interface SqlNames {
  /** name → flavour of the handle it denotes (`db`, `tx`, field `s.db` → `db`). */
  readonly byName: ReadonlyMap<string, SqlFlavour>;
}

const SQL_PATHS: Record<string, SqlFlavour> = { 'database/sql': 'sql', 'github.com/jmoiron/sqlx': 'sqlx' };
const HANDLE_TYPES = new Set(['DB', 'Tx', 'Stmt', 'Conn', 'NamedStmt']);

function flavourOfType(file: GoFile, type: Node | null): SqlFlavour | undefined {
  const t = typeRef(file, type);
  if (t.path === 'net/http' && t.name === 'Client') return 'http-client';
  const f = t.path ? SQL_PATHS[t.path] : undefined;
  return f && HANDLE_TYPES.has(t.name) ? f : undefined;
}

/** Names declared in one file (a fact: no nodes kept). */
function extract(file: GoFile): [string, SqlFlavour][] {
  const out = new Map<string, SqlFlavour>();
  for (const decl of file.root.descendantsOfType(['parameter_declaration', 'field_declaration', 'var_spec'])) {
    if (!decl) continue;
    const f = flavourOfType(file, decl.childForFieldName('type'));
    if (!f) continue;
    for (const n of decl.childrenForFieldName('name')) if (n && n.text !== '_') out.set(n.text, f);
  }
  // Locals assigned from an opener, or derived from a known handle (two passes for tx from db).
  for (let pass = 0; pass < 2; pass++) {
    for (const decl of file.root.descendantsOfType(['short_var_declaration', 'assignment_statement', 'var_spec'])) {
      const isSpec = decl?.type === 'var_spec';
      const right = decl?.childForFieldName(isSpec ? 'value' : 'right')?.namedChildren[0];
      const left = isSpec ? decl?.childForFieldName('name') : decl?.childForFieldName('left')?.namedChildren[0];
      if (!right || !left) continue;
      const literal = right.type === 'unary_expression' ? right.childForFieldName('operand') : right;
      if (literal?.type === 'composite_literal' && flavourOfType(file, literal.childForFieldName('type')) === 'http-client') {
        const name = left.type === 'selector_expression' ? left.childForFieldName('field')?.text : left.text;
        if (name && name !== '_') out.set(name, 'http-client');
        continue;
      }
      if (right.type !== 'call_expression') continue;
      const fn = right.childForFieldName('function');
      if (!fn) continue;
      const q = file.imports.qualifiedName(fn);
      let f: SqlFlavour | undefined;
      if (q && q.path === 'database/sql' && q.name === 'Open') f = 'sql';
      else if (q && q.path === 'github.com/jmoiron/sqlx' && /^(Open|Connect|MustConnect|MustOpen|NewDb)$/.test(q.name)) f = 'sqlx';
      else if (fn.type === 'selector_expression' && /^(Begin|BeginTx|Beginx|BeginTxx|MustBegin|Prepare|PrepareContext|Preparex|Conn)$/.test(fn.childForFieldName('field')?.text ?? '')) {
        f = out.get(lastName(fn.childForFieldName('operand')) ?? '');
      }
      const name = left.type === 'selector_expression' ? left.childForFieldName('field')?.text : left.text;
      if (f && name && name !== '_') out.set(name, f);
    }
  }
  return [...out];
}

/** The last identifier or field of a receiver chain: `db` in `s.db`, `db`. */
export function lastName(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'identifier') return node.text;
  if (node.type === 'selector_expression') return node.childForFieldName('field')?.text;
  if (node.type === 'parenthesized_expression') return lastName(node.namedChildren[0]);
  return undefined;
}

/** Names of database and HTTP client handles declared in one file (a fact). */
export const HANDLE_NAME_FACTS = defineAnalysis({ id: 'go/handle-names', on: 'go-file', fact: true, build: extract });

/**
 * Handle names of the package: this file's first, then those of every other
 * file of the directory (the package view's `directoryFacts` exception: names
 * are matched by spelling, and the pre-v2 lookup read test files and external
 * test packages too; behaviour is kept until that is decided).
 */
export const HANDLE_NAMES = defineAnalysis({
  id: 'go/package-handle-names',
  on: 'go-package',
  requires: [HANDLE_NAME_FACTS],
  build: (pkg, pass): SqlNames => {
    const byName = new Map<string, SqlFlavour>(pass.resultOf(HANDLE_NAME_FACTS));
    for (const facts of pkg.directoryFacts(HANDLE_NAME_FACTS)) for (const [n, f] of facts) if (!byName.has(n)) byName.set(n, f);
    return { byName };
  },
});

export function handleNames(file: GoFile, workspace?: GoPackageSource): SqlNames {
  return resultOf(HANDLE_NAMES, workspace ? workspace.goPackage(file) : soloPackage(file));
}
