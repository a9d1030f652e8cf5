/**
 * Flags calls that ignore the context in scope (a `context.Context` parameter, a
 * local context, or the request's context in a handler): database/sql and sqlx
 * calls without `...Context`, `http.NewRequest`, `http.Get/Head/Post/PostForm` and
 * the same methods of an `*http.Client`, `exec.Command`, `net.Dial`, and
 * `context.Background()`/`context.TODO()`, and calls of functions of the package (or
 * the module's other packages) that make their own fresh context (fresh-context.ts).
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
import { contextAt, derivationOf, type ContextInScope } from './context-calls';
import { contextLiveness } from './context-live';
import { HANDLE_NAMES, lastName, type SqlNames } from './handle-names';
import { httpGetFix, replaceCallee } from './context-fixes';
import { enclosingFunction } from '../../../languages/go/syntax';
import { requestGetsContextLater } from '../../../languages/go/model/request-ctx';
import { GO_TYPES, type GoTypeResolver } from '../../../languages/go/model/types';
import { namedTypeOf } from '../../../languages/go/model/type-expr';
import { CONTEXT_MAKERS, type ContextMaker, type ContextMakers } from './fresh-context';
import { moduleMakers, moduleMakersKey, type ModuleMakers } from './module-makers';
import { nodesOfType } from '../../../languages/go/syntax-index';

/** Method → its context variant, and whether the context variant takes an extra `nil` options argument. */
const SQL_ALT: Partial<Record<string, { alt: string; zeroArgs?: boolean; txOpts?: boolean; sqlx?: boolean }>> = {
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
/** Methods whose result reads through the context after the call (database/sql: Rows, Row, Tx). */
const BOUND_RESULTS = new Set(['Query', 'QueryRow', 'Begin', 'Queryx', 'QueryRowx', 'NamedQuery', 'Beginx']);
const HTTP_FUNCS = new Set(['Get', 'Head', 'Post', 'PostForm']);
/** Callee names worth a closer look (one string test before any tree access). */
const CANDIDATE = new RegExp(`(^|\\.)(${[...Object.keys(SQL_ALT), ...HTTP_FUNCS, 'NewRequest', 'Command', 'Dial', 'Background', 'TODO'].join('|')})$`);
const GUESSED_DB_NAME = /^(db|tx|stmt|conn|sqlDB|database)$/i;

interface Target {
  call: string;
  /** The result lives on the context it was made with (rows, a row, a transaction). */
  boundToContext?: boolean;
  alt: string;
  fixes: (ctxExpr: string) => Fix[];
  severity?: 'info';
}

export const rule = defineGoRule({
  id: 'go/missing-context',
  meta: {
    title: 'Context in scope not passed on',
    description: 'A call that cannot be cancelled, a fresh context.Background, or a call of a package function that makes its own, where a context is in scope: the work outlives the request.',
    severity: 'warning',
    fixable: true,
    options: {
      requireContext: {
        type: 'boolean',
        default: false,
        description: 'Also report, at info and without a fix, context-less calls (http.Get, http.NewRequest, db.Query, exec.Command, net.Dial, ...) where no context is in scope: for teams that want every call cancellable.',
      },
    },
    messages: {
      call: '{call} ignores {ctx}: the work goes on after the caller gives up; use {alt}',
      callNoFix: '{call} ignores {ctx}: the work goes on after the caller gives up; use {alt} (no fix: see docs)',
      detached: '{call} in a goroutine runs without a context; pass context.WithoutCancel({ctx}) to {alt}',
      detachedOld: '{call} in a goroutine runs without a context; no fix: context.WithoutCancel needs go 1.21',
      background: 'context.{fn}() drops {ctx}: its cancellation and deadline stop here',
      ownBudget: 'context.{fn}() detaches {derive} from {ctx}; derive from {ctx} unless the work must outlive it',
      noContext: '{call} cannot be cancelled and no context is in scope; take a context and use {alt}',
      backgroundDetached: 'context.{fn}() in a goroutine drops the values of {ctx}; context.WithoutCancel keeps them',
      makerCall: '{callee} makes its own {made} instead of taking {ctx}: cancelling {ctx} does not stop that work; pass {ctx} down',
    },
  },
  scope: 'declaration',
  analyses: [REQUEST_SCOPE, HANDLE_NAMES, CONTEXT_MAKERS, GO_TYPES],
  // Context makers of the module's other packages this file imports (read as facts).
  contextKey: (file, ctx) => moduleMakersKey(moduleMakers(file, ctx.workspace)),
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
    let makers: { own: ContextMakers; module: ModuleMakers } | undefined;
    let typesCache: GoTypeResolver | undefined;
    const types = (): GoTypeResolver => (typesCache ??= ctx.resultOf(GO_TYPES));
    for (const m of matches.call) {
      const call = m.call as Node | undefined;
      const fn = m.fn as Node | undefined;
      const args = m.args as Node | undefined;
      if (!call || !fn || !args) continue;
      makers ??= { own: ctx.resultOf(CONTEXT_MAKERS), module: moduleMakers(file, ctx.workspace) };
      const maker = makers.own.byKey.size > 0 || makers.module.byPath.size > 0 ? makerOf(file, fn, makers.own, makers.module, types) : undefined;
      if (maker) {
        reportMaker(call, fn, maker);
        continue;
      }
      if (!CANDIDATE.test(fn.text)) continue;
      const q = file.imports.qualifiedName(fn);
      if (q?.path === 'context' && (q.name === 'Background' || q.name === 'TODO')) {
        reportBackground(call, q.name);
        continue;
      }
      const target = classify(file, call, fn, args, getHandles);
      if (!target) continue;
      const inScope = contextAt(file, scopeOf(), call);
      if (!inScope && ctx.options.requireContext) {
        ctx.report({ node: call, messageId: 'noContext', severity: 'info', data: { call: target.call, alt: target.alt } });
        continue;
      }
      // A done context, code on the way out, or a fresh context given its own budget: passing it on would break the code.
      if (!inScope || contextLiveness(file, inScope, call) !== 'live') continue;
      if (inScope.detached) {
        const contextName = file.imports.localNamesOf('context').at(0);
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
      // A context detached on purpose is in scope too: which work should follow the caller is a guess.
      // Rows, a Row or a Tx that leave the function outlive a context cancelled by its deferred cancel.
      const guess = inScope.freshLocals.length > 0 || (target.boundToContext === true && cancelledAtReturn(file, inScope) && resultEscapes(file, call));
      const fixes = target.fixes(inScope.expr).map((f) => (guess ? { ...f, safe: false } : f));
      ctx.report({
        node: call,
        messageId: fixes.length > 0 ? 'call' : 'callNoFix',
        severity: guess ? 'info' : target.severity,
        data: { call: target.call, ctx: inScope.expr, alt: target.alt },
        fixes,
      });
    }

    /** A call of a package function that makes its own context, where a live context is in scope. */
    function reportMaker(call: Node, fn: Node, maker: ContextMaker): void {
      const inScope = contextAt(file, scopeOf(), call);
      // In a goroutine the caller's context may be gone by then: whether the work should follow it is a guess.
      if (!inScope || inScope.detached || contextLiveness(file, inScope, call) !== 'live') return;
      const via = maker.chain.length > 1 ? ` (through ${maker.chain.slice(1).join(' -> ')})` : '';
      ctx.report({
        node: call,
        messageId: 'makerCall',
        severity: maker.ownBudget || inScope.freshLocals.length > 0 ? 'info' : undefined,
        data: { callee: `${fn.text}${via}`, made: maker.makes.replace(/\s+/g, ' '), ctx: inScope.expr },
      });
    }

    function reportBackground(call: Node, name: string): void {
      // Stored in a struct (a context type of its own, a long-lived client): not work of this call.
      if (call.parent?.type === 'keyed_element' || call.parent?.type === 'literal_element' || call.parent?.type === 'literal_value') return;
      const inScope = contextAt(file, scopeOf(), call);
      if (!inScope || contextLiveness(file, inScope, call) !== 'live') return;
      const budget = ownBudgetOf(file, call);
      if (budget) {
        // `context.WithTimeout(context.Background(), d)`: a context given a budget of its own, on purpose
        // as often as not (work that must finish after the caller gives up, a fallback): info, no safe fix.
        ctx.report({
          node: call, messageId: 'ownBudget', severity: 'info', data: { fn: name, ctx: inScope.expr, derive: budget },
          fixes: [{ title: `Derive from ${inScope.expr}`, safe: false, edits: [{ start: call.startIndex, end: call.endIndex, newText: inScope.expr }] }],
        });
        return;
      }
      if (inScope.detached) {
        const q = call.childForFieldName('function')?.childForFieldName('operand')?.text ?? 'context';
        ctx.report({
          node: call, messageId: 'backgroundDetached', severity: 'info', data: { fn: name, ctx: inScope.expr },
          fixes: isModern() ? [{ title: `Use ${q}.WithoutCancel(${inScope.expr})`, safe: false, edits: [{ start: call.startIndex, end: call.endIndex, newText: `${q}.WithoutCancel(${inScope.expr})` }] }] : [],
        });
        return;
      }
      const guess = inScope.freshLocals.length > 0;
      ctx.report({
        node: call, messageId: 'background', severity: guess ? 'info' : undefined, data: { fn: name, ctx: inScope.expr },
        fixes: backgroundFix(file, call, inScope).map((f) => (guess ? { ...f, safe: false } : f)),
      });
    }
  },
});

/**
 * The package's context maker a callee names: `f(...)`, or `x.m(...)` when the type model resolves `x`
 * to a type of this package (an import's function or a value of unknown type: undefined).
 */
function makerOf(file: GoFile, fn: Node, own: ContextMakers, module: ModuleMakers, types: () => GoTypeResolver): ContextMaker | undefined {
  if (fn.type === 'identifier') return own.byKey.get(fn.text);
  const field = fn.childForFieldName('field')?.text;
  const operand = fn.childForFieldName('operand');
  if (!field || !operand) return undefined;
  // `store.Load()`: a function of another package of the module.
  if (operand.type === 'identifier' && file.imports.isLocalName(operand.text)) {
    return module.byLocalName.get(operand.text)?.byKey.get(field);
  }
  const inModule = [...module.byPath.values()].some((m) => m.methods.has(field));
  if (!own.methods.has(field) && !inModule) return undefined;
  const t = namedTypeOf(types().typeOf(operand));
  if (!t?.name) return undefined;
  const makers = t.path === '' ? own : module.byPath.get(t.path);
  return makers?.byKey.get(`${t.name}.${field}`);
}

/** `context.WithTimeout(context.Background(), d)`: the derivation's name when `call` is the parent of one. */
function ownBudgetOf(file: GoFile, call: Node): string | undefined {
  const outer = call.parent?.type === 'argument_list' ? call.parent.parent : null;
  const derived = outer ? derivationOf(file, outer) : undefined;
  if (!outer || derived?.parent.id !== call.id) return undefined;
  return outer.childForFieldName('function')?.text;
}

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

/** A local context whose cancel func is deferred: it is done once the function returns. */
function cancelledAtReturn(file: GoFile, inScope: ContextInScope): boolean {
  const cancel = inScope.decl?.names[1];
  if (!cancel || cancel === '_') return false;
  const body = inScope.owner.childForFieldName('body');
  return !!body && nodesOfType(file, body, 'defer_statement').some((d) => d.namedChildren[0]?.text.replace(/\s+/g, '') === `${cancel}()`);
}

/** Is the call's result returned, directly or through the variable it is bound to? */
function resultEscapes(file: GoFile, call: Node): boolean {
  let top: Node = call;
  while (top.parent && (top.parent.type === 'expression_list' || top.parent.type === 'parenthesized_expression')) top = top.parent;
  if (top.parent?.type === 'return_statement') return true;
  const stmt = top.parent;
  if (!stmt || (stmt.type !== 'short_var_declaration' && stmt.type !== 'assignment_statement')) return false;
  const name = stmt.childForFieldName('left')?.namedChildren[0]?.text;
  const fn = enclosingFunction(call);
  if (!name || !fn) return false;
  return nodesOfType(file, fn, 'return_statement').some((r) => r.namedChildren.some((e) => e?.text.split(/\s*,\s*/).includes(name)));
}

function classify(file: GoFile, call: Node, fn: Node, args: Node, handles: () => SqlNames): Target | undefined {
  const q = file.imports.qualifiedName(fn);
  const argCount = args.namedChildren.filter((a) => a && a.type !== 'comment').length;
  const qualifier = fn.type === 'selector_expression' ? fn.childForFieldName('operand')?.text ?? '' : '';
  // Inside package http itself the callee has no qualifier: `NewRequest`, not `.NewRequest`.
  const dot = qualifier === '' ? '' : `${qualifier}.`;
  if (q?.path === 'net/http' && q.name === 'NewRequest' && argCount === 3) {
    // `req = req.WithContext(ctx)` / `req.Clone(ctx)` later: the request carries a context after all.
    const bound = call.parent?.type === 'expression_list' ? call.parent.parent?.childForFieldName('left')?.namedChildren[0] : undefined;
    if (bound && requestGetsContextLater(file, bound)) return undefined;
    return { call: `${dot}NewRequest`, alt: `${dot}NewRequestWithContext`, fixes: (c) => [replaceCallee(call, fn, `${dot}NewRequestWithContext`, c, '', `Use ${dot}NewRequestWithContext`)] };
  }
  if (q?.path === 'net/http' && HTTP_FUNCS.has(q.name)) {
    return httpTarget(file, call, `${dot}${q.name}`, q.name, `${dot}DefaultClient`, qualifier);
  }
  if (q?.path === 'os/exec' && q.name === 'Command') {
    return { call: `${dot}Command`, alt: `${dot}CommandContext`, fixes: (c) => [replaceCallee(call, fn, `${dot}CommandContext`, c, '', `Use ${dot}CommandContext`)] };
  }
  if (q?.path === 'net' && q.name === 'Dial' && argCount === 2) {
    const alt = `(&${dot}Dialer{}).DialContext`;
    return { call: `${dot}Dial`, alt, fixes: (c) => [replaceCallee(call, fn, alt, c, '', `Use ${alt}`)] };
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
    call: `${receiver.text}.${method}`, alt, severity, boundToContext: BOUND_RESULTS.has(method),
    fixes: (c) => [replaceCallee(call, fn, alt, c, sql.txOpts ? 'nil' : '', `Use ${sql.alt}`)],
  };
}

function httpTarget(file: GoFile, call: Node, name: string, method: string, client: string, httpName: string): Target {
  return {
    call: name,
    alt: `${httpName === '' ? '' : `${httpName}.`}NewRequestWithContext and ${client}.Do`,
    fixes: (c) => {
      const fix = httpGetFix(file, call, method, client, httpName, c);
      return fix ? [fix] : [];
    },
  };
}
