import type { Node } from 'web-tree-sitter';
import { defineGoRule } from '../../../engine/rule';
import type { Fix, RelatedInfo } from '../../../core/finding';
import type { GoFile } from '../../../languages/go/parser';
import { PACKAGE_PARAM_OWNERSHIP, classifyReference } from './body-ownership';
import { GO_TYPES, GoTypeResolver } from '../../../languages/go/model/types';
import { insertLineAfter } from '../../../languages/go/edits/edits';
import { BOUND_CALL_QUERY, HTTP_RESPONSE_CALL_QUERY, httpResponseCall, localResponseCall } from './http-calls';
import { findLeakingExits, type LeakingExit } from './lifetime';
import { declarationScope, declaringScope, functionParamNames, referencesTo } from '../../../languages/go/scope';
import { nodesOfType } from '../../../languages/go/syntax-index';
import {
  FUNCTION_TYPES, assignedNames, assignedValues, describeCall, enclosingFunction, enclosingLoop, enclosingStatement, initializerOwner,
  isErrNilCheck, isTerminating, nextStatement, nilComparison, sameNode, statementListOf, statementsAfter,
} from '../../../languages/go/syntax';

/**
 * Flags `*http.Response` values from net/http client calls whose Body is not
 * closed on every path: discarded (`_`, a bare or `go` call), never closed,
 * or left open by an early return/continue/break. Silent when the response or
 * its Body is closed (directly, deferred, in a closure), returned, handed to
 * another function (readers such as `io.ReadAll` do not take ownership) or
 * stored; and whenever the syntax does not show that the call is net/http's.
 */

const EXIT_TEXT: Readonly<Record<LeakingExit['kind'], string>> = {
  return: 'at an early return',
  continue: 'at a continue',
  break: 'at a break',
  end: 'when the function ends',
  loop: 'when the loop iterates again',
};

export const rule = defineGoRule({
  id: 'go/unclosed-body',
  meta: {
    title: 'HTTP response body never closed',
    description:
      'An *http.Response from a net/http client call whose Body is not closed on every path keeps its connection ' +
      'out of the pool and leaks a file descriptor and goroutines until the process runs out.',
    severity: 'warning',
    fixable: true,
    messages: {
      leak: '{resp}.Body is never closed; the connection leaks',
      leakPath: '{resp}.Body is not closed {exit}; the connection leaks',
      discarded: 'response of {call} is discarded, so its Body is never closed; the connection leaks',
      openHere: '{resp}.Body is still open here',
    },
  },
  scope: 'declaration',
  analyses: [GO_TYPES, PACKAGE_PARAM_OWNERSHIP],
  queries: { call: HTTP_RESPONSE_CALL_QUERY, bound: BOUND_CALL_QUERY },
  check(ctx, file, matches) {
    let types: GoTypeResolver | undefined;
    const seen = new Set<number>();
    for (const m of [...matches.call, ...matches.bound]) {
      const call = m.call as Node | undefined;
      if (!call || seen.has(call.id)) continue;
      seen.add(call.id);
      // Other files of the package are read only for a file that imports net/http: one that
      // does not rarely handles responses, and reading them costs a parse each.
      types ??= file.imports.has('net/http') ? ctx.resultOf(GO_TYPES) : GoTypeResolver.of(file);
      const found = httpResponseCall(file, call, types) ?? localResponseCall(call, types);
      if (!found) continue;
      const binding = bindingOf(call);
      if (!binding) continue;
      if (binding.kind === 'discarded') {
        if (expectsFailure(file, call, file.isTest)) continue;
        ctx.report({ node: call, messageId: 'discarded', data: { call: found.calleeText } });
        continue;
      }
      const { resp, err, origin } = binding;
      if (isNamedResult(file, resp)) continue; // a bare `return` hands it to the caller
      if (!declaringScope(resp)) continue; // a package-level variable: stored, not owned here
      const classified = referencesTo(file, resp)
        .filter((r) => r.startIndex > call.endIndex)
        .map((r) => ({ r, event: classifyReference({ file, owner: enclosingFunction(call), level: 'resp', types }, r) }))
        .filter((e) => e.event !== undefined);
      const events = classified.map((e) => e.r);
      // On some path the response is handed over (returned, stored, passed on): a defer would close a body
      // someone else reads later. The fix is offered, never applied by --fix.
      const handedOver = classified.some((e) => e.event === 'move');
      const leaks = findLeakingExits({ origin, events, errName: err, valueName: resp.text });
      if (leaks.length === 0) continue;
      const first = leaks[0];
      const related: RelatedInfo[] = leaks.map((l) => ({ file: file.path, span: exitSpan(l), message: `${resp.text}.Body is still open here` }));
      ctx.report({
        node: call,
        messageId: events.length === 0 ? 'leak' : 'leakPath',
        data: { resp: resp.text, exit: EXIT_TEXT[first.kind] },
        related,
        fixes: () => {
          const fix = deferCloseFix(file, origin, resp.text, err, leaks, !handedOver);
          return fix ? [fix] : [];
        },
      });
    }
  },
});

type Binding =
  | { kind: 'discarded' }
  | { kind: 'bound'; resp: Node; err: string | undefined; origin: Node };

/** How the call's result is bound; undefined when it leaves the function or is stored (ownership moves). */
function bindingOf(call: Node): Binding | undefined {
  let e = call;
  while (e.parent?.type === 'parenthesized_expression') e = e.parent;
  const p = e.parent;
  if (!p) return undefined;
  if (p.type === 'expression_statement' || p.type === 'go_statement' || p.type === 'defer_statement') return { kind: 'discarded' };
  if (p.type !== 'expression_list') return undefined;
  const stmt = p.parent;
  if (!stmt || !['short_var_declaration', 'assignment_statement', 'var_spec'].includes(stmt.type)) return undefined;
  if (stmt.type === 'assignment_statement' && stmt.childForFieldName('operator')?.text !== '=') return undefined;
  const values = assignedValues(stmt);
  if (values.length !== 1 || !sameNode(values[0], e)) return undefined;
  const names = assignedNames(stmt);
  const resp = names.at(0);
  // The error comes last (`resp, err :=`; `resp, cancel, start, err :=` for wrappers).
  const errNode = names.length > 1 ? names[names.length - 1] : undefined;
  if (!resp) return undefined;
  if (resp.type === 'identifier' && resp.text === '_') return { kind: 'discarded' };
  if (resp.type !== 'identifier') return undefined; // stored in a field, map or slice element
  const origin = stmt.type === 'var_spec' ? enclosingStatement(stmt) : stmt;
  if (!origin) return undefined;
  const err = errNode?.type === 'identifier' && errNode.text !== '_' ? errNode.text : undefined;
  return { kind: 'bound', resp, err, origin };
}

function isNamedResult(file: GoFile, resp: Node): boolean {
  const scope = declarationScope(resp);
  if (!scope || !FUNCTION_TYPES.has(scope.type)) return false;
  const result = scope.childForFieldName('result');
  if (result?.type !== 'parameter_list') return false;
  return functionParamNames(scope).includes(resp.text) && nodesOfType(file, result, 'identifier').some((n) => n.text === resp.text);
}

/**
 * `_, err := c.Do(req)` followed by `if err == nil { ... }`: the code expects the
 * call to fail (tests of error paths), and a failed call has no body.
 */
function expectsFailure(file: GoFile, call: Node, isTest: boolean): boolean {
  const outer = enclosingStatement(call);
  const init = outer?.type === 'if_statement' ? outer.childForFieldName('initializer') : null;
  const stmt = init && init.startIndex <= call.startIndex && call.endIndex <= init.endIndex ? init : outer;
  if (!stmt || (stmt.type !== 'short_var_declaration' && stmt.type !== 'assignment_statement')) return false;
  const names = assignedNames(stmt);
  const err = names.length > 1 ? names[names.length - 1] : undefined;
  // `if _, err := c.Get(u); err == nil {...}`: the check is the initializer's own if.
  const owner = initializerOwner(stmt);
  const next = owner?.type === 'if_statement' ? owner : nextStatement(stmt);
  const condition = next?.type === 'if_statement' ? next.childForFieldName('condition') : null;
  const cond = nilComparison(condition);
  if (!err || err.text === '_') return false;
  if (cond && cond.name === err.text && cond.op === '==') return true;
  // A test that checks which error it got (`errors.Is(err, context.Canceled)`, `err.(*url.Error)`, the
  // error's text) expects the call to fail; `if err != nil { t.Fatal(err) }` does not.
  return isTest && !!next && !cond && checksWhichError(file, next, err.text);
}

/** `if !errors.Is(err, X)`, `ue, ok := err.(*url.Error)`, `if e, g := ..., fmt.Sprint(err); e != g`: the error's identity is tested. */
function checksWhichError(file: GoFile, stmt: Node, err: string): boolean {
  const parts = stmt.type === 'if_statement'
    ? [stmt.childForFieldName('initializer'), stmt.childForFieldName('condition')]
    : stmt.type === 'short_var_declaration' || stmt.type === 'assignment_statement' ? [stmt] : [];
  return parts.some((p) => !!p && nodesOfType(file, p, 'identifier').some((id) => id.text === err && id.parent?.type !== 'binary_expression'));
}

function exitSpan(l: LeakingExit): { start: number; end: number } {
  if (l.kind === 'end') return { start: l.node.endIndex - 1, end: l.node.endIndex }; // the closing brace
  if (l.kind === 'loop') return { start: l.node.startIndex, end: l.node.startIndex + 3 }; // `for`
  return { start: l.node.startIndex, end: l.node.endIndex };
}

/**
 * `defer resp.Body.Close()` on a new line right after the `if err != nil { ... }`
 * that follows the call. None without such a check (on error resp is nil: a
 * defer would panic), inside a loop (a defer per iteration holds every
 * connection until the function returns), in an if/switch initializer, when
 * the error branch falls through, or when a leak lies before the insertion.
 */
function deferCloseFix(file: GoFile, origin: Node, resp: string, err: string | undefined, leaks: readonly LeakingExit[], safe: boolean): Fix | undefined {
  if (initializerOwner(origin) || !statementListOf(origin) || enclosingLoop(origin)) return undefined;
  // Without an error check to follow, a defer would dereference a nil response on error
  // (go vet's httpresponse check flags exactly that): no fix then.
  if (err === undefined) return undefined;
  const anchor = nextErrCheck(file, origin, err);
  if (!anchor) return undefined;
  if (anchor.type === 'if_statement' && (anchor.childForFieldName('alternative') || !isTerminating(anchor.childForFieldName('consequence') ?? undefined))) return undefined;
  const source = file.source;
  const text = `defer ${resp}.Body.Close()`;
  const insert = insertLineAfter(source, anchor.endIndex, text, source.indentationAt(origin.startIndex));
  if (leaks.some((l) => exitSpan(l).start < insert.start)) return undefined;
  // A later `defer resp.Body.Close()` of the same block moves up rather than being doubled.
  const later = statementsAfter(anchor).find((st) => st.type === 'defer_statement' && st.text.replace(/\s+/g, '') === text.replace(/\s+/g, ''));
  const line = later ? source.lineOf(later.startIndex) : -1;
  if (later && source.lineText(line).trim() === later.text) {
    const removal = { start: source.lineStart(line), end: source.lineEndIncludingBreak(line), newText: '' };
    return { title: `Move ${text} up to right after the error check`, edits: [insert, removal], preferred: true, safe };
  }
  return { title: `Add ${text}`, edits: [insert], preferred: true, safe };
}

/**
 * The first `if err != nil` (or testify's `require.NoError(t, err)`, which stops
 * the test) after `origin`, before anything assigns `err` again.
 */
function nextErrCheck(file: GoFile, origin: Node, err: string): Node | undefined {
  for (const s of statementsAfter(origin)) {
    if (isErrNilCheck(s, err) || isRequireNoError(file, s, err)) return s;
    if ((s.type === 'short_var_declaration' || s.type === 'assignment_statement') && assignedNames(s).some((n) => n.text === err)) return undefined;
  }
  return undefined;
}

function isRequireNoError(file: GoFile, stmt: Node, err: string): boolean {
  if (stmt.type !== 'expression_statement') return false;
  const info = describeCall(stmt.namedChildren[0] ?? stmt);
  if (!info || !file.imports.resolves(info.callee, 'github.com/stretchr/testify/require', 'NoError', 'Nil')) return false;
  return info.args.length >= 2 && info.args[1].text === err;
}
