/**
 * Flags a goroutine that uses a context its starting function cancels with
 * `defer cancel()` (`ctx, cancel := context.WithTimeout(...)`), when the function
 * does not wait for the goroutine: the work is cancelled as soon as the function
 * returns, long before its timeout.
 * Skips: goroutines the function waits for or outlives (see goroutines.ts:
 * `Wait()`, receives, `select`, blocking loops or serve calls after the `go`
 * statement, `wg.Done()` in the goroutine, endless accept/worker loops); goroutines
 * that only watch the context (`<-ctx.Done()`, `ctx.Err()`: stopping them on return
 * is the point); goroutines that also take request values (one finding, by
 * go/request-escapes-handler).
 */
import type { Node } from 'web-tree-sitter';
import { defineGoRule } from '../../engine/rule';
import type { Fix } from '../../core/finding';
import type { GoFile } from '../../languages/go/parser';
import { REQUEST_SCOPE } from '../../languages/go/model/request-scope';
import { insertLineBefore, removeStatement } from '../../languages/go/edits/edits';
import { FUNCTION_TYPES, enclosingLoop, namedChildrenOf, statementsOf } from '../../languages/go/syntax';
import { GO_STATEMENT_QUERY, goroutineEscapes, type CancelledContext, type GoroutineEscape } from '../../languages/go/model/goroutine-escapes';
import { nodesOfType } from '../../languages/go/syntax-index';

export const rule = defineGoRule({
  id: 'go/context-cancelled-early',
  meta: {
    title: 'Context cancelled while a goroutine still uses it',
    description: 'A function hands a context to a goroutine it does not wait for and cancels that context with defer cancel(): the goroutine\'s work is cancelled as soon as the function returns.',
    severity: 'warning',
    fixable: true,
    messages: {
      cancelled: '{ctx} is cancelled by defer {cancel}() when {fn} returns, but this goroutine is not waited for: its work is cut short',
    },
  },
  analyses: [REQUEST_SCOPE],
  queries: { go: GO_STATEMENT_QUERY },
  check(ctx, file, matches) {
    if (matches.go.length === 0) return;
    const scope = ctx.resultOf(REQUEST_SCOPE);
    for (const m of matches.go) {
      const esc = goroutineEscapes(file, scope, m.go);
      // Request values too: go/request-escapes-handler reports this goroutine.
      if (!esc || esc.uses.some((u) => u.kind !== 'cancelledContext')) continue;
      const use = esc.uses.at(0);
      const cancelled = use?.cancel;
      if (!use || !cancelled) continue;
      ctx.report({
        node: use.node,
        messageId: 'cancelled',
        data: { ctx: cancelled.ctx, cancel: cancelled.cancel, fn: ownerName(esc.goroutine.owner) },
        fixes: () => moveCancelFix(file, esc, cancelled),
      });
    }
  },
});

function ownerName(fn: Node): string {
  const name = fn.type === 'func_literal' ? undefined : fn.childForFieldName('name')?.text;
  return name ?? 'the function';
}

/**
 * Moves `defer cancel()` into the goroutine, so the context ends when its work does. Only for one
 * func literal started once (not in a loop), the only goroutine of the function using the context,
 * with no `return` between the declaration and the `go` statement (the context would never be
 * cancelled on that path: go vet's lostcancel).
 */
function moveCancelFix(file: GoFile, esc: GoroutineEscape, c: CancelledContext): Fix[] {
  const g = esc.goroutine;
  const lit = g.literal;
  if (!lit || enclosingLoop(g.go) || c.defer.type !== 'defer_statement' || c.defer.text !== `defer ${c.cancel}()`) return [];
  const others = nodesOfType(file, g.owner, 'go_statement').filter((o) => o.id !== g.go.id && nodesOfType(file, o, 'identifier').some((id) => id.text === c.ctx));
  if (others.length > 0) return [];
  const returns = nodesOfType(file, g.owner, 'return_statement').some((r) => {
    if (r.startIndex < c.decl.endIndex || r.startIndex > g.go.startIndex) return false;
    for (let p = r.parent; p; p = p.parent) if (FUNCTION_TYPES.has(p.type)) return p.id === g.owner.id;
    return false;
  });
  if (returns) return [];
  const first = statementsOf(namedChildrenOf(lit).find((n) => n.type === 'block')).at(0);
  if (!first || file.source.lineOf(first.startIndex) === file.source.lineOf(lit.startIndex)) return [];
  return [{
    title: `Move defer ${c.cancel}() into the goroutine`,
    safe: false,
    preferred: true,
    edits: [removeStatement(file.source, c.defer), insertLineBefore(file.source, first.startIndex, `defer ${c.cancel}()`)],
  }];
}
