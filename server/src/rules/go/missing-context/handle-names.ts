/**
 * Names that denote database/sql (or sqlx) handles and `*http.Client`s in a package, without a type
 * checker (clients: declared `http.Client`/`*http.Client`, or assigned an `http.Client{...}` literal). SQL handles: variables, parameters and struct fields declared with a `*sql.DB`,
 * `*sql.Tx`, `*sql.Stmt`, `*sql.Conn` (or sqlx `DB`/`Tx`/`Stmt`/`Conn`) type, and
 * locals assigned from `sql.Open`, `sqlx.Open/Connect/MustConnect`, `x.Begin*()`,
 * `x.Prepare*()`, `x.Conn()` on such a handle. Read from the package's other
 * files as facts, through the package view (`HANDLE_NAMES`).
 */
import type { Node } from 'web-tree-sitter';
import { defineAnalysis, namedKey, resultOf, type NamedKey } from '../../../core/analysis';
import { derivedFrom, perDeclaration } from '../../../languages/go/decl-memo';
import { soloPackage, type GoPackageSource } from '../../../languages/go/package';
import type { GoFile } from '../../../languages/go/parser';
import { typeRef } from '../../../languages/go/func';
import { nodesOfType } from '../../../languages/go/syntax-index';

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

/** What one top-level declaration says of handle names: typed names, then assignments in source order. */
interface DeclHandles {
  typed: [string, SqlFlavour][];
  /** `name = opener(...)` (a flavour) or `name = from.Begin(...)` (derived from the handle named `from`). */
  assigned: { name: string; flavour?: SqlFlavour; from?: string }[];
}

/** Names declared in one file (a fact: no nodes kept), read per top-level declaration. */
function extract(file: GoFile): readonly [string, SqlFlavour][] {
  const pieces = perDeclaration(file, 'go/handle-names', (decl) => declHandles(file, decl));
  return derivedFrom(file, 'go/handle-names', pieces, () => namesOf(pieces));
}

function namesOf(pieces: readonly DeclHandles[]): [string, SqlFlavour][] {
  const out = new Map<string, SqlFlavour>();
  for (const p of pieces) for (const [n, f] of p.typed) out.set(n, f);
  // Locals assigned from an opener, or derived from a known handle (two passes for tx from db).
  for (let pass = 0; pass < 2; pass++) {
    for (const p of pieces) {
      for (const a of p.assigned) {
        const f = a.flavour ?? out.get(a.from ?? '');
        if (f) out.set(a.name, f);
      }
    }
  }
  return [...out];
}

function declHandles(file: GoFile, top: Node): DeclHandles {
  const typed: [string, SqlFlavour][] = [];
  for (const decl of nodesOfType(file, top, ['parameter_declaration', 'field_declaration', 'var_spec'])) {
    const f = flavourOfType(file, decl.childForFieldName('type'));
    if (!f) continue;
    for (const n of decl.childrenForFieldName('name')) if (n && n.text !== '_') typed.push([n.text, f]);
  }
  const assigned: DeclHandles['assigned'] = [];
  for (const decl of nodesOfType(file, top, ['short_var_declaration', 'assignment_statement', 'var_spec'])) {
    const isSpec = decl.type === 'var_spec';
    const right = decl.childForFieldName(isSpec ? 'value' : 'right')?.namedChildren[0];
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- tree-sitter node lists may hold null at run time
    const left = isSpec ? decl?.childForFieldName('name') : decl?.childForFieldName('left')?.namedChildren[0];
    if (!right || !left) continue;
    const name = left.type === 'selector_expression' ? left.childForFieldName('field')?.text : left.text;
    const literal = right.type === 'unary_expression' ? right.childForFieldName('operand') : right;
    if (literal?.type === 'composite_literal' && flavourOfType(file, literal.childForFieldName('type')) === 'http-client') {
      if (name && name !== '_') assigned.push({ name, flavour: 'http-client' });
      continue;
    }
    if (right.type !== 'call_expression') continue;
    const fn = right.childForFieldName('function');
    if (!fn || !name || name === '_') continue;
    const q = file.imports.qualifiedName(fn);
    if (q && q.path === 'database/sql' && q.name === 'Open') assigned.push({ name, flavour: 'sql' });
    else if (q && q.path === 'github.com/jmoiron/sqlx' && /^(Open|Connect|MustConnect|MustOpen|NewDb)$/.test(q.name)) assigned.push({ name, flavour: 'sqlx' });
    else if (fn.type === 'selector_expression' && /^(Begin|BeginTx|Beginx|BeginTxx|MustBegin|Prepare|PrepareContext|Preparex|Conn)$/.test(fn.childForFieldName('field')?.text ?? '')) {
      assigned.push({ name, from: lastName(fn.childForFieldName('operand')) ?? '' });
    }
  }
  return { typed, assigned };
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
    const own = pass.resultOf(HANDLE_NAME_FACTS);
    const others = pkg.directoryFacts(HANDLE_NAME_FACTS);
    // Plain data from facts only: kept from the previous version while the facts are.
    return derivedFrom(pkg.file, 'go/package-handle-names', [own, ...others], () => {
      const byName = new Map<string, SqlFlavour>(own);
      for (const facts of others) for (const [n, f] of facts) if (!byName.has(n)) byName.set(n, f);
      return { byName };
    });
  },
  // By name: a declaration asks about the names it mentions (a call's receiver), so a handle added or removed
  // elsewhere re-runs only the declarations that mention it.
  declarationKey: (pkg): NamedKey => {
    const names: SqlNames = resultOf(HANDLE_NAMES, pkg);
    return derivedFrom(pkg.file, 'go/package-handle-names#key', [names], () => namedKey(names.byName));
  },
});

export function handleNames(file: GoFile, workspace?: GoPackageSource): SqlNames {
  return resultOf(HANDLE_NAMES, workspace ? workspace.goPackage(file) : soloPackage(file));
}
