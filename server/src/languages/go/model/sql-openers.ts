/**
 * Functions that open a `*sql.DB` besides `sql.Open`: instrumented openers of
 * tracing and APM libraries, by import path, and the module's own constructors
 * (a function of another package of the module whose declared result is
 * `*sql.DB`). Read by go/sql-pool-unconfigured and go/sql-open-per-request.
 * Pools bounded by default (pgxpool) are not here: they are not "unconfigured".
 */
import { defineAnalysis } from '../../../core/analysis';
import type { GoFile } from '../parser';
import { TYPE_FACTS, type TypeExpr } from './type-expr';

export interface SqlDbOpener {
  /** Returns `(*sql.DB, error)`; else `*sql.DB` alone (`OpenDB(connector)`). */
  withError: boolean;
}

const OPEN: SqlDbOpener = { withError: true };
const OPEN_DB: SqlDbOpener = { withError: false };

/** Instrumented `database/sql` openers returning a plain `*sql.DB`, by import path and function. */
const SQL_DB_WRAPPERS: Readonly<Partial<Record<string, Readonly<Partial<Record<string, SqlDbOpener>>>>>> = {
  'database/sql': { OpenDB: OPEN_DB },
  'github.com/XSAM/otelsql': { Open: OPEN, OpenDB: OPEN_DB },
  'github.com/uptrace/opentelemetry-go-extra/otelsql': { Open: OPEN, OpenDB: OPEN_DB },
  'gopkg.in/DataDog/dd-trace-go.v1/contrib/database/sql': { Open: OPEN, OpenDB: OPEN_DB },
  'github.com/DataDog/dd-trace-go/contrib/database/sql/v2': { Open: OPEN, OpenDB: OPEN_DB },
  'go.elastic.co/apm/module/apmsql': { Open: OPEN },
  'go.elastic.co/apm/module/apmsql/v2': { Open: OPEN },
  'github.com/signalfx/splunk-otel-go/instrumentation/database/sql/splunksql': { Open: OPEN, OpenDB: OPEN_DB },
  'github.com/jackc/pgx/v5/stdlib': { OpenDB: OPEN_DB },
  'github.com/jackc/pgx/v4/stdlib': { OpenDB: OPEN_DB },
};

/** The known wrapper `path`.`name`, if it is one. */
export function sqlDbWrapper(importPath: string, name: string): SqlDbOpener | undefined {
  return SQL_DB_WRAPPERS[importPath]?.[name];
}

/**
 * For go/sql-open-per-request's table: a wrapper as one of its openers (a database pool of type
 * `*sql.DB`), when the file imports database/sql (the shared handle's type is spelled with it).
 */
export function sqlWrapperOpener(file: GoFile, q: { path: string; name: string }): { what: 'database pool'; type: string; withError: boolean } | undefined {
  const w = sqlDbWrapper(q.path, q.name);
  const sqlName = file.imports.localNamesOf('database/sql')[0];
  return w && sqlName ? { what: 'database pool', type: `*${sqlName}.DB`, withError: w.withError } : undefined;
}

/** Names of the file's package-level functions whose first result is `*sql.DB` (a fact). */
export const SQL_DB_CONSTRUCTORS = defineAnalysis({
  id: 'go/sql-db-constructors',
  on: 'go-file',
  fact: true,
  requires: [TYPE_FACTS],
  build: (file: GoFile, pass): string[] => {
    if (!file.imports.has('database/sql')) return [];
    const funcs = pass.resultOf(TYPE_FACTS).funcs;
    return Object.keys(funcs).filter((name) => /^[A-Z]/.test(name) && isSqlDbPointer(funcs[name].results[0]));
  },
});

function isSqlDbPointer(t: TypeExpr | undefined): boolean {
  return t?.k === 'ptr' && t.elem.k === 'qual' && t.elem.path === 'database/sql' && t.elem.name === 'DB';
}
