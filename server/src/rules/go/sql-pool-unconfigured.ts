/**
 * Flags a `*sql.DB` opened in the package (`sql.Open`, sqlx `Open/Connect/MustConnect`)
 * when the package never calls `SetMaxOpenConns`, `SetMaxIdleConns`, and
 * `SetConnMaxLifetime` (or `SetConnMaxIdleTime`) on any handle.
 * Skips: test files; packages that configure a pool anywhere (the setters are
 * matched by method name, whatever the receiver: the handle often moves into a struct).
 */
import type { Node } from 'web-tree-sitter';
import { defineGoRule } from '../../engine/rule';
import { defineAnalysis } from '../../core/analysis';
import type { Fix, TextEditData } from '../../core/finding';
import type { GoFile } from '../../languages/go/parser';
import { addGoImport, insertLineAfter } from '../../languages/go/edits/edits';
import { isErrNilCheck, nextStatement } from '../../languages/go/syntax';

interface Options {
  maxOpenConns: number;
  maxIdleConns: number;
  connMaxLifetime: string;
}

const OPENERS: Record<string, RegExp> = {
  'database/sql': /^Open$/,
  'github.com/jmoiron/sqlx': /^(Open|Connect|MustConnect|MustOpen)$/,
};
const SETTERS = ['SetMaxOpenConns', 'SetMaxIdleConns', 'SetConnMaxLifetime', 'SetConnMaxIdleTime'] as const;

function settersIn(file: GoFile): string[] {
  const out = new Set<string>();
  for (const field of file.root.descendantsOfType('field_identifier')) {
    const name = field?.text;
    if (name && (SETTERS as readonly string[]).includes(name) && field.parent?.type === 'selector_expression' && field.parent.parent?.type === 'call_expression') out.add(name);
  }
  return [...out];
}

/** Pool setters called in one file (a fact). */
const SETTER_FACTS = defineAnalysis({ id: 'go/pool-setters', on: 'go-file', fact: true, build: settersIn });

/** Pool setters called anywhere in the package (non-test files). */
const PACKAGE_SETTERS = defineAnalysis({
  id: 'go/package-pool-setters',
  on: 'go-package',
  build: (pkg): ReadonlySet<string> => new Set(pkg.factsOf(SETTER_FACTS, { nonTest: true }).flat()),
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
  analyses: [PACKAGE_SETTERS],
  check(ctx, file, matches) {
    if (file.isTest || matches.call.length === 0) return;
    const opens = matches.call.filter((m) => {
      if (!m.fn || !/\.(Open|Connect|MustConnect|MustOpen)$/.test(m.fn.text)) return false;
      const q = file.imports.qualifiedName(m.fn);
      return !!q && !!OPENERS[q.path]?.test(q.name);
    });
    if (opens.length === 0) return;
    const present = ctx.resultOf(PACKAGE_SETTERS);
    const missing: string[] = [];
    if (!present.has('SetMaxOpenConns')) missing.push('SetMaxOpenConns');
    if (!present.has('SetMaxIdleConns')) missing.push('SetMaxIdleConns');
    if (!present.has('SetConnMaxLifetime') && !present.has('SetConnMaxIdleTime')) missing.push('SetConnMaxLifetime');
    if (missing.length === 0) return;
    for (const m of opens) {
      const call = m.call;
      const fn = m.fn;
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
  const handle = left[0];
  if (!handle || handle.text === '_' || !/^[\w.]+$/.test(handle.text)) return undefined;
  let anchor: Node = stmt;
  const err = left[1];
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
      const d = durationExpr(String(options.connMaxLifetime), timeName);
      if (!d) return undefined;
      lines.push(`${handle.text}.SetConnMaxLifetime(${d})`);
      if (!file.imports.localNamesOf('time')[0]) edits.push(...addGoImport(file, 'time'));
    }
  }
  const indent = file.source.indentationAt(stmt.startIndex);
  edits.push(insertLineAfter(file.source, anchor.endIndex - 1, lines.join(`${file.source.eol}${indent}`), indent));
  return { title: `Size the pool (${missing.join(', ')})`, safe: false, edits };
}
