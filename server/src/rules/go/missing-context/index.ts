/**
 * Flags calls that ignore the context in scope (a `context.Context` parameter, a
 * local context, or the request's context in a handler): database/sql and sqlx
 * calls without `...Context`, `http.NewRequest`, `http.Get/Head/Post/PostForm` and
 * the same methods of an `*http.Client`, `exec.Command`, `net.Dial`, and
 * `context.Background()`/`context.TODO()`.
 * Skips: functions with no context in scope (main, init, constructors), a context
 * parameter named `_` or shadowed by a non-context local, receivers not known to be
 * SQL handles or HTTP clients (unless named like one: then info), and points where
 * the context in scope is not the caller's live one (done, on the way out, or a
 * fresh context given its own budget: see go-context-live.ts).
 */
import type { Node } from 'web-tree-sitter';
import { defineGoRule } from '../../../engine/rule';
import type { Fix } from '../../../core/finding';
import { compareGoVersions } from '../../../languages/gomod/parser';
import type { GoFile } from '../../../languages/go/parser';
import { REQUEST_SCOPE, type RequestScope } from '../../../languages/go/model/request-scope';
import { contextAt, type ContextInScope } from './context-calls';
import { contextLiveness } from './context-live';
import { HANDLE_NAMES, lastName, type SqlNames } from './handle-names';
import { httpGetFix, replaceCallee } from './context-fixes';

/** Method → its context variant, and whether the context variant takes an extra `nil` options argument. */
const SQL_ALT: Record<string, { alt: string; zeroArgs?: boolean; txOpts?: boolean; sqlx?: boolean }> = {
  Query: { alt: 'QueryContext' },
  QueryRow: { alt: 'QueryRowContext' },
  Exec: { alt: 'ExecContext' },
  Prepare: { alt: 'PrepareContext' },
  Begin: { alt: 'BeginTx', zeroArgs: true, txOpts: true },
  Ping: { alt: 'PingContext', zeroArgs: true },
  Get: { alt: 'GetContext', sqlx: true },
  Select: { alt: 'SelectContext', sqlx: true },
  Queryx: { alt: 'QueryxContext', sqlx: true },
  QueryRowx: { alt: 'QueryRowxContext', sqlx: true },
  NamedExec: { alt: 'NamedExecContext', sqlx: true },
  NamedQuery: { alt: 'NamedQueryContext', sqlx: true },
  MustExec: { alt: 'MustExecContext', sqlx: true },
  Preparex: { alt: 'PreparexContext', sqlx: true },
  Beginx: { alt: 'BeginTxx', zeroArgs: true, txOpts: true, sqlx: true },
};
const HTTP_FUNCS = new Set(['Get', 'Head', 'Post', 'PostForm']);
/** Callee names worth a closer look (one string test before any tree access). */
const CANDIDATE = new RegExp(`(^|\\.)(${[...Object.keys(SQL_ALT), ...HTTP_FUNCS, 'NewRequest', 'Command', 'Dial', 'Background', 'TODO'].join('|')})$`);
const GUESSED_DB_NAME = /^(db|tx|stmt|conn|sqlDB|database)$/i;

interface Target {
  call: string;
  alt: string;
  fixes: (ctxExpr: string) => Fix[];
  severity?: 'info';
}

export const rule = defineGoRule({
  id: 'go/missing-context',
  meta: {
    title: 'Context in scope not passed on',
    description: 'A call that cannot be cancelled (or a fresh context.Background) where a context is in scope: the work outlives the request.',
    severity: 'warning',
    fixable: true,
    messages: {
      call: '{call} ignores {ctx}: the work goes on after the caller gives up; use {alt}',
      callNoFix: '{call} ignores {ctx}: the work goes on after the caller gives up; use {alt} (no fix: see docs)',
      detached: '{call} in a goroutine runs without a context; pass context.WithoutCancel({ctx}) to {alt}',
      detachedOld: '{call} in a goroutine runs without a context; no fix: context.WithoutCancel needs go 1.21',
      background: 'context.{fn}() drops {ctx}: its cancellation and deadline stop here',
      backgroundDetached: 'context.{fn}() in a goroutine drops the values of {ctx}; context.WithoutCancel keeps them',
    },
  },
  analyses: [REQUEST_SCOPE, HANDLE_NAMES],
  queries: {
    call: '(call_expression function: [(selector_expression) (identifier)] @fn arguments: (argument_list) @args) @call',
  },
  check(ctx, file, matches) {
    if (matches.call.length === 0) return;
    // Built on the first call worth a look: most calls are not candidates, and the model costs a walk.
    let scopeCache: RequestScope | undefined;
    const scopeOf = (): RequestScope => (scopeCache ??= ctx.resultOf(REQUEST_SCOPE));
    let handles: SqlNames | undefined;
    const getHandles = (): SqlNames => (handles ??= ctx.resultOf(HANDLE_NAMES));
    let modern: boolean | undefined;
    const isModern = (): boolean => {
      if (modern === undefined) {
        const go = ctx.workspace.goModFor(file.path)?.go;
        modern = go !== undefined && compareGoVersions(go, '1.21') >= 0;
      }
      return modern;
    };
    for (const m of matches.call) {
      const call = m.call;
      const fn = m.fn;
      const args = m.args;
      if (!call || !fn || !args || !CANDIDATE.test(fn.text)) continue;
      const q = file.imports.qualifiedName(fn);
      if (q?.path === 'context' && (q.name === 'Background' || q.name === 'TODO')) {
        reportBackground(call, q.name);
        continue;
      }
      const target = classify(file, call, fn, args, getHandles);
      if (!target) continue;
      const inScope = contextAt(file, scopeOf(), call);
      // A done context, code on the way out, or a fresh context given its own budget: passing it on would break the code.
      if (!inScope || contextLiveness(file, inScope, call) !== 'live') continue;
      if (inScope.detached) {
        const contextName = file.imports.localNamesOf('context')[0];
        const canFix = isModern() && contextName !== undefined;
        ctx.report({
          node: call,
          messageId: canFix ? 'detached' : 'detachedOld',
          severity: 'info',
          data: { call: target.call, ctx: inScope.expr, alt: target.alt },
          fixes: canFix ? () => target.fixes(`${contextName}.WithoutCancel(${inScope.expr})`).map((f) => ({ ...f, safe: false })) : undefined,
        });
        continue;
      }
      const fixes = target.fixes(inScope.expr);
      ctx.report({
        node: call,
        messageId: fixes.length > 0 ? 'call' : 'callNoFix',
        severity: target.severity,
        data: { call: target.call, ctx: inScope.expr, alt: target.alt },
        fixes,
      });
    }

    function reportBackground(call: Node, name: string): void {
      const inScope = contextAt(file, scopeOf(), call);
      if (!inScope || contextLiveness(file, inScope, call) !== 'live') return;
      if (inScope.detached) {
        const q = call.childForFieldName('function')?.childForFieldName('operand')?.text ?? 'context';
        ctx.report({
          node: call, messageId: 'backgroundDetached', severity: 'info', data: { fn: name, ctx: inScope.expr },
          fixes: isModern() ? [{ title: `Use ${q}.WithoutCancel(${inScope.expr})`, safe: false, edits: [{ start: call.startIndex, end: call.endIndex, newText: `${q}.WithoutCancel(${inScope.expr})` }] }] : [],
        });
        return;
      }
      ctx.report({ node: call, messageId: 'background', data: { fn: name, ctx: inScope.expr }, fixes: backgroundFix(file, call, inScope) });
    }
  },
});

function backgroundFix(file: GoFile, call: Node, inScope: ContextInScope): Fix[] {
  // `ctx := context.Background()` where `ctx` already is the context in scope: drop the statement.
  const stmt = call.parent?.parent;
  const left = stmt?.childForFieldName('left');
  if (stmt && (stmt.type === 'short_var_declaration' || stmt.type === 'assignment_statement') &&
      stmt.childForFieldName('right')?.text === call.text && left?.text === inScope.expr) {
    const text = file.source.text;
    let start = stmt.startIndex;
    let end = stmt.endIndex;
    while (text[end] === ' ' || text[end] === '\t') end++;
    if (text[end] === '\r' || text[end] === '\n') {
      // The statement is alone on its line: remove the line.
      while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
      if (text[end] === '\r') end++;
      if (text[end] === '\n') end++;
    }
    return [{ title: `Remove the statement: use ${inScope.expr}`, safe: true, edits: [{ start, end, newText: '' }] }];
  }
  return [{ title: `Use ${inScope.expr}`, safe: true, edits: [{ start: call.startIndex, end: call.endIndex, newText: inScope.expr }] }];
}

function classify(file: GoFile, call: Node, fn: Node, args: Node, handles: () => SqlNames): Target | undefined {
  const q = file.imports.qualifiedName(fn);
  const argCount = args.namedChildren.filter((a) => a && a.type !== 'comment').length;
  const qualifier = fn.type === 'selector_expression' ? fn.childForFieldName('operand')?.text ?? '' : '';
  if (q?.path === 'net/http' && q.name === 'NewRequest' && argCount === 3) {
    return { call: `${qualifier}.NewRequest`, alt: `${qualifier}.NewRequestWithContext`, fixes: (c) => [replaceCallee(call, fn, `${qualifier}.NewRequestWithContext`, c, '', `Use ${qualifier}.NewRequestWithContext`)] };
  }
  if (q?.path === 'net/http' && HTTP_FUNCS.has(q.name)) {
    return httpTarget(file, call, `${qualifier}.${q.name}`, q.name, `${qualifier}.DefaultClient`, qualifier);
  }
  if (q?.path === 'os/exec' && q.name === 'Command') {
    return { call: `${qualifier}.Command`, alt: `${qualifier}.CommandContext`, fixes: (c) => [replaceCallee(call, fn, `${qualifier}.CommandContext`, c, '', `Use ${qualifier}.CommandContext`)] };
  }
  if (q?.path === 'net' && q.name === 'Dial' && argCount === 2) {
    const alt = `(&${qualifier}.Dialer{}).DialContext`;
    return { call: `${qualifier}.Dial`, alt, fixes: (c) => [replaceCallee(call, fn, alt, c, '', `Use ${alt}`)] };
  }
  if (fn.type !== 'selector_expression' || q) return undefined;
  const method = fn.childForFieldName('field')?.text ?? '';
  const receiver = fn.childForFieldName('operand');
  if (!receiver) return undefined;
  const sql = SQL_ALT[method];
  if (!sql && !HTTP_FUNCS.has(method)) return undefined;
  const recvName = lastName(receiver);
  const flavour = recvName ? handles().byName.get(recvName) : undefined;
  const httpPath = file.imports.localNamesOf('net/http')[0];
  if (HTTP_FUNCS.has(method) && httpPath &&
      (flavour === 'http-client' || file.imports.resolves(receiver, 'net/http', 'DefaultClient'))) {
    return httpTarget(file, call, `${receiver.text}.${method}`, method, receiver.text, httpPath);
  }
  if (!sql) return undefined;
  let severity: 'info' | undefined;
  if (flavour === 'sql' || flavour === 'sqlx') {
    if (sql.sqlx && flavour !== 'sqlx') return undefined;
  } else {
    const importsSql = file.imports.has('database/sql') || file.imports.has('github.com/jmoiron/sqlx');
    if (flavour || sql.sqlx || !importsSql || !recvName || !GUESSED_DB_NAME.test(recvName)) return undefined;
    if (sql.zeroArgs ? argCount !== 0 : argCount === 0) return undefined;
    severity = 'info';
  }
  if (sql.zeroArgs && argCount !== 0) return undefined;
  const alt = `${receiver.text}.${sql.alt}`;
  return {
    call: `${receiver.text}.${method}`, alt, severity,
    fixes: (c) => [replaceCallee(call, fn, alt, c, sql.txOpts ? 'nil' : '', `Use ${sql.alt}`)],
  };
}

function httpTarget(file: GoFile, call: Node, name: string, method: string, client: string, httpName: string): Target {
  return {
    call: name,
    alt: `${httpName}.NewRequestWithContext and ${client}.Do`,
    fixes: (c) => {
      const fix = httpGetFix(file, call, method, client, httpName, c);
      return fix ? [fix] : [];
    },
  };
}
