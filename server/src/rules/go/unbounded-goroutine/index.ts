/**
 * Flags a `go` statement (or an errgroup `g.Go(...)`) that runs once per
 * request or once per item of a loop whose length is not a small constant, with
 * no bound in sight: a send on a semaphore channel or a `semaphore.Weighted`
 * acquire before it, `SetLimit` on the errgroup.
 * Also a loop the request sizes (`for i := 0; i < n; i++` with `n` parsed from the
 * request, not capped first) and, at info, an accept loop with no connection limit
 * (accept-loop.ts).
 * Skips: goroutines started in main, init or constructors (`New...`) outside
 * request scope (accept loops excepted), loops with a constant trip count or counted
 * worker-pool loops (`for i := 0; i < workers; i++`), bare `for {}` worker loops.
 */
import type { Node } from 'web-tree-sitter';
import type { GoFile } from '../../../languages/go/parser';
import { defineGoRule } from '../../../engine/rule';
import type { Fix } from '../../../core/finding';
import { REQUEST_SCOPE, type RequestFunction, type RequestScope } from '../../../languages/go/model/request-scope';
import { constantTripCount, countBounds } from '../../../languages/go/model/loops';
import { funcName } from '../../../languages/go/func';
import { errgroupLimitFix, semaphoreFixes } from './bound-fixes';
import { FUNCTION_TYPES, enclosingFunction, isNoReturnCall } from '../../../languages/go/syntax';
import { GO_TYPES_CALLS, type GoTypeResolver } from '../../../languages/go/model/types';
import { isFixedItems, isFixedPerCall, isReceiverState } from './fan-out';
import { acceptLoopOf, limitsConnections } from './accept-loop';
import { nodesOfType } from '../../../languages/go/syntax-index';

/** `count`: the loop runs a number of times the request gives (`for i := 0; i < n; i++`, `for range n`). */
type Trigger = { kind: 'request'; fn: RequestFunction } | { kind: 'item'; loop: Node; items: string; inRequest: boolean; count?: string }
  | { kind: 'accept'; loop: Node; conn: string };

export const rule = defineGoRule({
  id: 'go/unbounded-goroutine',
  meta: {
    title: 'Goroutine started without a bound',
    description: 'A goroutine started per request, per item of an unbounded loop or per iteration of a loop the request sizes, or (info) per accepted connection, with no semaphore, limit or worker pool: load spikes spawn goroutines without limit.',
    severity: 'warning',
    fixable: true,
    messages: {
      perRequest: 'go statement starts a goroutine on every request with no bound: spikes spawn them without limit',
      perItem: 'go statement starts a goroutine per item of {items} with no bound: a large input spawns thousands',
      groupPerRequest: '{group}.Go starts a goroutine on every request and {group} has no SetLimit: no bound',
      groupPerItem: '{group}.Go starts a goroutine per item of {items} and {group} has no SetLimit: no bound',
      perCount: 'go statement starts a goroutine per iteration of a loop the request sizes ({count}) with no bound: one request can start thousands',
      perConnection: 'go statement starts a goroutine per connection {conn} accepts, with no limit: a connection flood starts one each (netutil.LimitListener or a semaphore bounds them)',
      groupPerConnection: '{group}.Go starts a goroutine per connection {conn} accepts and {group} has no SetLimit: a connection flood starts one each',
      groupPerCount: '{group}.Go starts a goroutine per iteration of a loop the request sizes ({count}) and {group} has no SetLimit: no bound',
    },
    options: {
      limit: { type: 'integer', description: 'Capacity of the semaphore (or errgroup limit) the fix inserts.', default: 64, minimum: 1 },
      smallLoop: { type: 'integer', description: 'Loops with a constant trip count up to this many iterations are bounded.', default: 64, minimum: 1 },
    },
  },
  analyses: [REQUEST_SCOPE, GO_TYPES_CALLS],
  queries: {
    go: '(go_statement) @go',
    groupGo: '(call_expression function: (selector_expression operand: (_) @group field: (field_identifier) @method (#eq? @method "Go")) arguments: (argument_list (func_literal))) @call',
  },
  check(ctx, file, matches) {
    if (matches.go.length === 0 && matches.groupGo.length === 0) return;
    const scope = ctx.resultOf(REQUEST_SCOPE);
    const limit = Math.max(1, Math.floor(ctx.options.limit || 64));
    const smallLoop = ctx.options.smallLoop || 64;
    let typesCache: GoTypeResolver | undefined;
    const types = (): GoTypeResolver => (typesCache ??= ctx.resultOf(GO_TYPES_CALLS));
    // Outside request scope a test's loops run over the test's own data.
    const fixed = (trigger: Trigger, site: Node): boolean =>
      trigger.kind === 'request' ? site.type === 'go_statement' && isFixedPerCall(file, site, types())
        : trigger.kind === 'accept' ? false
        : (!trigger.inRequest && (file.isTest || receiverState(file, trigger.loop))) || fixedItems(file, trigger.loop, types);

    for (const m of matches.go) {
      const go = m.go as Node | undefined;
      if (!go) continue;
      const trigger = triggerOf(file, scope, go, smallLoop);
      if (!trigger) continue;
      if (trigger.kind === 'accept') {
        if (hasBoundBefore(file, go, trigger.loop) || limitsConnections(file, trigger.loop, go)) continue;
        ctx.report({
          node: go.firstChild ?? go, messageId: 'perConnection', data: { conn: trigger.conn }, severity: 'info',
          fixes: (): Fix[] => semaphoreFixes(file, go, limit, undefined),
        });
        continue;
      }
      if (hasBoundBefore(file, go, trigger.kind === 'item' ? trigger.loop : trigger.fn.body) || fixed(trigger, go)) continue;
      const severity = trigger.kind === 'item' && !trigger.inRequest ? 'info' : undefined;
      ctx.report({
        node: go.firstChild ?? go, // the `go` keyword
        messageId: trigger.kind === 'request' ? 'perRequest' : trigger.count !== undefined ? 'perCount' : 'perItem',
        data: trigger.kind === 'item' ? { items: trigger.items, count: trigger.count ?? '' } : {},
        severity,
        fixes: (): Fix[] => semaphoreFixes(file, go, limit, trigger.kind === 'request' ? trigger.fn : undefined),
      });
    }

    for (const m of matches.groupGo) {
      const call = m.call as Node | undefined;
      const group = m.group as Node | undefined;
      if (!call || !group || !isErrgroup(file, group)) continue;
      const trigger = triggerOf(file, scope, call, smallLoop);
      if (!trigger) continue;
      const fn = enclosingFunction(call);
      if (fn && hasSetLimit(file, fn, group.text)) continue;
      // A fixed number of g.Go calls per request that the function waits for.
      if (trigger.kind === 'request' && fn && waitsForGroup(file, fn, call, group.text)) continue;
      if (trigger.kind === 'item' && fixed(trigger, call)) continue;
      if (hasBoundBefore(file, call, trigger.kind === 'request' ? trigger.fn.body : trigger.loop)) continue;
      if (trigger.kind === 'accept' && limitsConnections(file, trigger.loop, call)) continue;
      ctx.report({
        node: call.childForFieldName('function') ?? call,
        messageId: trigger.kind === 'request' ? 'groupPerRequest' : trigger.kind === 'accept' ? 'groupPerConnection'
          : trigger.count !== undefined ? 'groupPerCount' : 'groupPerItem',
        data: {
          group: group.text, items: trigger.kind === 'item' ? trigger.items : '', count: trigger.kind === 'item' ? trigger.count ?? '' : '',
          conn: trigger.kind === 'accept' ? trigger.conn : '',
        },
        severity: (trigger.kind === 'item' && !trigger.inRequest) || trigger.kind === 'accept' ? 'info' : undefined,
        fixes: (): Fix[] => {
          const fix = fn ? errgroupLimitFix(file, fn, group.text, limit) : undefined;
          return fix ? [fix] : [];
        },
      });
    }
  },
});

/** `for _, x := range <fixed items>`: a literal table or operator configuration. */
function fixedItems(file: GoFile, loop: Node, types: () => GoTypeResolver): boolean {
  const right = loop.namedChildren.find((c) => c?.type === 'range_clause')?.childForFieldName('right');
  return !!right && isFixedItems(file, right, types());
}

function receiverState(file: GoFile, loop: Node): boolean {
  const right = loop.namedChildren.find((c) => c?.type === 'range_clause')?.childForFieldName('right');
  return !!right && isReceiverState(file, right);
}

function waitsForGroup(file: GoFile, fn: Node, call: Node, group: string): boolean {
  return nodesOfType(file, fn, 'call_expression').some((c) => c.startIndex > call.endIndex && c.childForFieldName('function')?.text === `${group}.Wait`);
}

/** Why the goroutine is started many times: per item of an enclosing loop, or per request. */
function triggerOf(file: GoFile, scope: RequestScope, site: Node, smallLoop: number): Trigger | undefined {
  const reqFn = scope.enclosing(site);
  // An accept loop starts a goroutine per connection wherever it runs (main too); tests serve their own clients.
  const accept = file.isTest ? undefined : acceptLoopOf(file, site);
  if (accept) return accept;
  if (!reqFn && isStartupCode(site)) return undefined;
  for (let n: Node | null = site.parent; n && !FUNCTION_TYPES.has(n.type); n = n.parent) {
    if (n.type !== 'for_statement') continue;
    // `go f(); break` (or return, log.Fatal, os.Exit): the loop is left right after it, one goroutine per run.
    if (leavesLoopAfter(site, n)) return undefined;
    const count = constantTripCount(n);
    if (count !== undefined && count <= smallLoop) return undefined;
    const range = n.namedChildren.find((c) => c?.type === 'range_clause');
    if (range) {
      const right = range.childForFieldName('right');
      // `for range n` / `for i := range workers`: a counted pool unless the count is request data.
      const fromRequest = scope.loopInput(n) === 'request';
      if (right && isCountLike(right) && !fromRequest) return undefined;
      const count = right && fromRequest && isCountLike(right) ? shorten(right.text) : undefined;
      return { kind: 'item', loop: n, items: shorten(right?.text ?? 'the loop'), inRequest: !!reqFn || fromRequest, count };
    }
    const clause = n.namedChildren.find((c) => c?.type === 'for_clause');
    if (clause) {
      // Counted loops start a fixed pool of workers unless the bound is request data or len(...).
      const cond = clause.childForFieldName('condition');
      const fromRequest = scope.loopInput(n) === 'request';
      if (!cond || (!fromRequest && !/\blen\(/.test(cond.text))) return undefined;
      // `i < n` with `n` parsed from the request: a count, not a collection's items.
      const bound = fromRequest && reqFn ? countBounds(n, cond).find((b) => !/\blen\(/.test(b.text) && scope.isRequestData(reqFn, b)) : undefined;
      return { kind: 'item', loop: n, items: shorten(cond.text), inRequest: true, count: bound ? shorten(bound.text) : undefined };
    }
    const cond = n.namedChildren.find((c) => c && c.type !== 'block' && c.type !== 'comment');
    if (!cond) return undefined; // `for { ... }`: accept and worker loops
    return { kind: 'item', loop: n, items: shorten(cond.text), inRequest: !!reqFn };
  }
  if (reqFn) return { kind: 'request', fn: reqFn };
  return undefined;
}

/** Does the block holding `site` leave `loop` unconditionally after it (break, return, a no-return call)? */
function leavesLoopAfter(site: Node, loop: Node): boolean {
  let breakLeaves = true;
  for (let n: Node = site; n.parent && n.id !== loop.id; n = n.parent) {
    if (['expression_switch_statement', 'type_switch_statement', 'select_statement'].includes(n.type)) breakLeaves = false;
    for (let s = n.nextNamedSibling; s; s = s.nextNamedSibling) {
      if (s.type === 'return_statement') return true;
      if (s.type === 'break_statement' && breakLeaves && !s.namedChildren.some((c) => c?.type === 'label_name')) return true;
      if (s.type === 'expression_statement' && s.namedChildren[0] && isNoReturnCall(s.namedChildren[0])) return true;
    }
  }
  return false;
}

/** main, init and constructors start long-lived goroutines once, at startup. */
function isStartupCode(site: Node): boolean {
  let top: Node | undefined;
  for (let n: Node | null = site.parent; n; n = n.parent) if (n.type === 'function_declaration' || n.type === 'method_declaration') top = n;
  const name = top ? funcName(top) ?? '' : '';
  return /^(main|init|New[A-Z]?\w*|new[A-Z]\w*)$/.test(name);
}

/** `n`, `workers`, `cfg.Workers`, `runtime.NumCPU()`: ranging over an integer count. */
function isCountLike(expr: Node): boolean {
  if (expr.type === 'int_literal') return true;
  if (expr.type === 'call_expression') return /^(runtime\.NumCPU|runtime\.GOMAXPROCS)$/.test(expr.childForFieldName('function')?.text ?? '');
  return /(^|\.)(n|num\w*|workers?|\w*Workers|concurrency|parallelism|\w*Count)$/i.test(expr.text);
}

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 30 ? `${flat.slice(0, 27)}...` : flat;
}

/**
 * A bound before `site` within `region`: a channel send (semaphore), `X.Acquire(...)` /
 * `X.TryAcquire(...)`, in a statement preceding it in its block or an enclosing block.
 */
function hasBoundBefore(file: GoFile, site: Node, region: Node | null): boolean {
  if (!region) return false;
  for (let n: Node | null = site; n && n.id !== region.id; n = n.parent) {
    for (let s = n.previousNamedSibling; s; s = s.previousNamedSibling) if (containsBound(file, s)) return true;
  }
  return false;
}

function containsBound(file: GoFile, stmt: Node): boolean {
  if (stmt.type === 'send_statement' || nodesOfType(file, stmt, 'send_statement').length > 0) return true;
  for (const call of stmt.type === 'call_expression' ? [stmt] : nodesOfType(file, stmt, 'call_expression')) {
    const field = call.childForFieldName('function')?.childForFieldName('field')?.text;
    if (field === 'Acquire' || field === 'TryAcquire' || field === 'Wait' && /limiter|rate/i.test(call.text)) return true;
  }
  return false;
}

/** `g` is an errgroup.Group: declared from errgroup.WithContext, `var g errgroup.Group`, `&errgroup.Group{}`. */
function isErrgroup(file: GoFile, group: Node): boolean {
  if (!file.imports.has('golang.org/x/sync/errgroup')) return false;
  const name = group.type === 'identifier' ? group.text : group.childForFieldName('field')?.text;
  if (!name) return false;
  const fn = enclosingFunction(group);
  const scopeNode = fn ?? file.root;
  for (const d of [...nodesOfType(file, scopeNode, ['short_var_declaration', 'var_spec', 'assignment_statement', 'field_declaration', 'parameter_declaration']), ...nodesOfType(file, file.root, ['field_declaration', 'var_spec'])]) {
    if (!d.text.includes(name) || !/errgroup\./.test(d.text)) continue;
    return true;
  }
  return false;
}

function hasSetLimit(file: GoFile, fn: Node, group: string): boolean {
  return nodesOfType(file, fn, 'call_expression').some((c) => c.childForFieldName('function')?.text === `${group}.SetLimit`);
}

