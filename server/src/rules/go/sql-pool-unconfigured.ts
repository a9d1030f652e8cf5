/**
 * Flags a `*sql.DB` opened in the package (`sql.Open`, sqlx `Open/Connect/MustConnect`)
 * when the package never calls `SetMaxOpenConns`, `SetMaxIdleConns`, and
 * `SetConnMaxLifetime` (or `SetConnMaxIdleTime`) on any handle.
 * Also instrumented openers returning a `*sql.DB` (otelsql, sqltrace, apmsql, pgx's
 * stdlib, `sql.OpenDB`: the table in languages/go/model/sql-openers.ts), and a call to
 * a function of another package of the module whose result is `*sql.DB` when that
 * package neither opens with a known opener (it is then reported there) nor
 * configures the pool.
 * Skips: test files; packages that configure a pool anywhere (the setters are
 * matched by method name, whatever the receiver: the handle often moves into a struct);
 * pools bounded by default (pgxpool).
 * Declaration-scoped: a declaration re-runs while typing only when its text or the package's setters change.
 */
import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import { defineGoRule } from '../../engine/rule';
import { defineAnalysis, resultOf, type Analysis } from '../../core/analysis';
import { nodesNamed, selectorCallOf } from '../../languages/go/model/names';
import { derivedFrom } from '../../languages/go/decl-memo';
import type { Fix, TextEditData } from '../../core/finding';
import type { GoFile } from '../../languages/go/parser';
import { addGoImport, insertLineAfter } from '../../languages/go/edits/edits';
import { isErrNilCheck, nextStatement } from '../../languages/go/syntax';
import { SQL_DB_CONSTRUCTORS, sqlDbWrapper } from '../../languages/go/model/sql-openers';
import type { WorkspaceView } from '../../workspace/view';
import { nodesOfType } from '../../languages/go/syntax-index';

interface Options {
  maxOpenConns: number;
  maxIdleConns: number;
  connMaxLifetime: string;
}

const OPENERS: Partial<Record<string, RegExp>> = {
  'database/sql': /^Open$/,
  'github.com/jmoiron/sqlx': /^(Open|Connect|MustConnect|MustOpen)$/,
};
const SETTERS = ['SetMaxOpenConns', 'SetMaxIdleConns', 'SetConnMaxLifetime', 'SetConnMaxIdleTime'] as const;

/** Setters called in the file, found by name (text search, no tree walk). */
function settersIn(file: GoFile): string[] {
  return SETTERS.filter((name) => nodesNamed(file, name).some((field) => field.type === 'field_identifier' && selectorCallOf(field) !== undefined));
}

/** Is `q` a known opener of an unconfigured `*sql.DB` (or sqlx.DB)? */
function isKnownOpener(q: { path: string; name: string }): boolean {
  return !!OPENERS[q.path]?.test(q.name) || !!sqlDbWrapper(q.path, q.name);
}

/** Whether one file calls a known opener (a fact: such a package is reported where it opens). */
const OPENS_FACT = defineAnalysis({
  id: 'go/sql-known-opens',
  on: 'go-file',
  fact: true,
  build: (file: GoFile): boolean => nodesOfType(file, file.root, 'selector_expression').some((sel) => {
    const q = file.imports.qualifiedName(sel);
    return !!q && sel.parent?.type === 'call_expression' && isKnownOpener(q);
  }),
});

/**
 * `pkg.F` is a constructor of another package of the module returning `*sql.DB`, that package
 * opens with no opener this rule knows (else it is reported there) and sets none of the limits.
 */
function isUnseenModuleConstructor(workspace: WorkspaceView, filePath: string, q: { path: string; name: string }): boolean {
  const dir = modulePackageDir(workspace, filePath, q.path);
  if (!dir) return false;
  const files = goFilesOf(workspace, dir);
  if (!files.some((f) => workspace.factOf(f, SQL_DB_CONSTRUCTORS)?.includes(q.name))) return false;
  return !files.some((f) => workspace.factOf(f, OPENS_FACT) || (workspace.factOf(f, SETTER_FACTS)?.length ?? 0) > 0);
}

/** Pool setters called in one file (a fact). */
const SETTER_FACTS = defineAnalysis({ id: 'go/pool-setters', on: 'go-file', fact: true, build: (file: GoFile) => file.declMemo.kept('go/pool-setters', settersIn(file)) });

/** Pool setters called anywhere in the package (non-test files). */
const PACKAGE_SETTERS: Analysis<ReadonlySet<string>, 'go-package'> = defineAnalysis({
  id: 'go/package-pool-setters',
  on: 'go-package',
  build: (pkg): ReadonlySet<string> => {
    const facts = pkg.factsOf(SETTER_FACTS, { nonTest: true });
    return derivedFrom(pkg.file, 'go/package-pool-setters', facts, () => new Set(facts.flat()));
  },
  declarationKey: (pkg): string => {
    const setters = resultOf(PACKAGE_SETTERS, pkg);
    return derivedFrom(pkg.file, 'go/package-pool-setters#key', [setters], () => [...setters].sort().join(','));
  },
});

export const rule = defineGoRule({
  id: 'go/sql-pool-unconfigured',
  meta: {
    title: 'Database pool left with default limits',
    description: 'A *sql.DB whose pool is never sized or recycled: unlimited open connections and connections that live forever.',
    severity: 'info',
    fixable: true,
    messages: {
      unconfigured: '{call} pool has no {missing} limit: its connections are unbounded',
    },
    options: {
      maxOpenConns: { type: 'integer', description: 'Value the fix passes to SetMaxOpenConns.', default: 25, minimum: 1 },
      maxIdleConns: { type: 'integer', description: 'Value the fix passes to SetMaxIdleConns.', default: 10, minimum: 0 },
      connMaxLifetime: { type: 'string', description: 'Duration the fix passes to SetConnMaxLifetime, as `<n>h`, `<n>m` or `<n>s`.', default: '5m' },
    },
  },
  queries: {
    call: '(call_expression function: (selector_expression) @fn) @call',
  },
  // Per declaration (the opener's call); what it reads outside one: the package's setters, and other packages' facts (dependencies).
  scope: 'declaration',
  analyses: [PACKAGE_SETTERS],
  check(ctx, file, matches) {
    if (file.isTest || matches.call.length === 0) return;
    const constructors = new Map<string, boolean>();
    const opens = matches.call.filter((m) => {
      const fn = m.fn as Node | undefined;
      if (!fn) return false;
      const q = file.imports.qualifiedName(fn);
      if (!q) return false;
      if (/^(Open|Connect|MustConnect|MustOpen|OpenDB)$/.test(q.name) && isKnownOpener(q)) return true;
      // The module's own constructors, read from their package's facts once per function.
      const key = `${q.path}.${q.name}`;
      if (!constructors.has(key)) constructors.set(key, isUnseenModuleConstructor(ctx.workspace, file.path, q));
      return constructors.get(key) === true;
    });
    if (opens.length === 0) return;
    const present = ctx.resultOf(PACKAGE_SETTERS);
    const missing: string[] = [];
    if (!present.has('SetMaxOpenConns')) missing.push('SetMaxOpenConns');
    if (!present.has('SetMaxIdleConns')) missing.push('SetMaxIdleConns');
    if (!present.has('SetConnMaxLifetime') && !present.has('SetConnMaxIdleTime')) missing.push('SetConnMaxLifetime');
    if (missing.length === 0) return;
    for (const m of opens) {
      const call = m.call as Node | undefined;
      const fn = m.fn as Node | undefined;
      if (!call || !fn) continue;
      ctx.report({
        node: call,
        messageId: 'unconfigured',
        data: { call: fn.text, missing: missing.length === 3 ? 'size or lifetime' : missing.map((x) => x.replace(/^Set/, '')).join(', ') },
        fixes: () => {
          const fix = configureFix(file, call, missing, ctx.options);
          return fix ? [fix] : [];
        },
      });
    }
  },
});

/** Go expression for a duration option: `5m` → `5 * time.Minute`. */
function durationExpr(value: string, timeName: string): string | undefined {
  const m = /^(\d+)(h|m|s)$/.exec(value.trim());
  if (!m) return undefined;
  const unit = { h: 'Hour', m: 'Minute', s: 'Second' }[m[2] as 'h' | 'm' | 's'];
  return m[1] === '1' ? `${timeName}.${unit}` : `${m[1]} * ${timeName}.${unit}`;
}

/** Inserts the missing setters after the open statement's error check (or after the statement itself). */
function configureFix(file: GoFile, call: Node, missing: readonly string[], options: Options): Fix | undefined {
  const list = call.parent;
  const stmt = list?.type === 'expression_list' ? list.parent : undefined;
  if (!stmt || (stmt.type !== 'short_var_declaration' && stmt.type !== 'assignment_statement')) return undefined;
  const left = stmt.childForFieldName('left')?.namedChildren.filter((n): n is Node => !!n) ?? [];
  const handle = left.at(0);
  if (!handle || handle.text === '_' || !/^[\w.]+$/.test(handle.text)) return undefined;
  let anchor: Node = stmt;
  const err = left.at(1);
  if (err) {
    const next = nextStatement(stmt);
    if (!next || next.type !== 'if_statement' || !isErrNilCheck(next, err.text)) return undefined;
    anchor = next;
  }
  const edits: TextEditData[] = [];
  const timeName = file.imports.localNamesOf('time')[0] ?? 'time';
  const lines: string[] = [];
  for (const setter of missing) {
    if (setter === 'SetMaxOpenConns') lines.push(`${handle.text}.SetMaxOpenConns(${Math.floor(options.maxOpenConns)})`);
    else if (setter === 'SetMaxIdleConns') lines.push(`${handle.text}.SetMaxIdleConns(${Math.floor(options.maxIdleConns)})`);
    else {
      const d = durationExpr(options.connMaxLifetime, timeName);
      if (!d) return undefined;
      lines.push(`${handle.text}.SetConnMaxLifetime(${d})`);
      if (!file.imports.localNamesOf('time')[0]) edits.push(...addGoImport(file, 'time'));
    }
  }
  const indent = file.source.indentationAt(stmt.startIndex);
  edits.push(insertLineAfter(file.source, anchor.endIndex - 1, lines.join(`${file.source.eol}${indent}`), indent));
  return { title: `Size the pool (${missing.join(', ')})`, safe: false, edits };
}

/**
 * The directory of `importPath` when it is a package of the module holding `file` (go.mod's module
 * path is a prefix), else undefined: third-party packages are not read.
 */
function modulePackageDir(workspace: WorkspaceView, filePath: string, importPath: string): string | undefined {
  const mod = workspace.goModFor(filePath);
  if (!mod?.module || !importPath.startsWith(`${mod.module}/`)) return undefined;
  return path.join(path.dirname(mod.path), ...importPath.slice(mod.module.length + 1).split('/'));
}

/** The non-test Go files of a directory. */
function goFilesOf(workspace: WorkspaceView, dir: string): string[] {
  return (workspace.listDir(dir) ?? []).filter((f) => f.endsWith('.go') && !f.endsWith('_test.go')).map((f) => path.join(dir, f));
}
