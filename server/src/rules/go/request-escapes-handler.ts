/**
 * Flags a goroutine started by an HTTP or gRPC handler that takes request
 * values with it — `r.Body` (or a method reading it), `r.Context()` or a
 * context derived from it, the `http.ResponseWriter`, a gin/echo/fiber
 * context, `r` handed on whole (info) — when the handler does not wait for it:
 * when the handler returns, the body is closed, the context cancelled and the
 * framework context recycled.
 * Skips: goroutines the handler waits for or outlives (a `Wait()`, a receive, a
 * `select`, a blocking loop or serve call after the `go` statement, a deferred
 * wait, `wg.Done()` in the goroutine); contexts the goroutine only watches or
 * reads values from (`ctx.Done()`, `ctx.Err()`, `ctx.Value(k)`,
 * `context.WithoutCancel(ctx)`, `trace.SpanFromContext(ctx)`); reads of request
 * fields that stay valid (`r.URL`, `r.Header`); goroutines whose only escape is a
 * context the handler cancels with `defer cancel()` (go/context-cancelled-early).
 */
import type { Node } from 'web-tree-sitter';
import { defineGoRule } from '../../engine/rule';
import type { Fix, TextEditData } from '../../core/finding';
import type { GoFile } from '../../languages/go/parser';
import { REQUEST_SCOPE } from '../../languages/go/model/request-scope';
import { addGoImport, insertLineBefore, replaceNode } from '../../languages/go/edits/edits';
import { compareGoVersions } from '../../languages/gomod/parser';

const atLeastGo = (go: string | undefined, min: string): boolean => go !== undefined && compareGoVersions(go, min) >= 0;
import { GO_STATEMENT_QUERY, goroutineEscapes, type EscapeKind, type EscapeUse, type GoroutineEscape } from '../../languages/go/model/goroutine-escapes';
import { nodesOfType } from '../../languages/go/syntax-index';

/** Which use names the finding when a goroutine takes several. */
const PRIORITY: readonly EscapeKind[] = ['body', 'writer', 'framework', 'requestContext', 'request'];

export const rule = defineGoRule({
  id: 'go/request-escapes-handler',
  meta: {
    title: 'Request used by a goroutine the handler does not wait for',
    description: 'A goroutine started in a handler keeps using the request, its body, its context or the framework context after the handler returns, when the body is closed, the context cancelled and the framework context reused.',
    severity: 'warning',
    fixable: true,
    messages: {
      body: '{expr} is closed when the handler returns, and this goroutine is not waited for: it reads a closed body',
      writer: '{expr} is used by a goroutine the handler does not wait for: the response is gone once the handler returns',
      framework: '{expr} is recycled when the handler returns, and this goroutine is not waited for: {remedy}',
      requestContext: '{expr} is cancelled when the handler returns, and this goroutine is not waited for: its work is cut short',
      request: '{expr} is handed to a goroutine the handler does not wait for: its body closes and its context ends on return',
    },
  },
  analyses: [REQUEST_SCOPE],
  queries: { go: GO_STATEMENT_QUERY },
  check(ctx, file, matches) {
    if (matches.go.length === 0) return;
    const scope = ctx.resultOf(REQUEST_SCOPE);
    // Fixes are built lazily: go.mod is read only when one is asked for.
    const isModern = (): boolean => atLeastGo(ctx.workspace.goModFor(file.path)?.go, '1.21');
    for (const m of matches.go) {
      const esc = goroutineEscapes(file, scope, m.go);
      if (!esc || !esc.handler) continue;
      const requestUses = esc.uses.filter((u) => u.kind !== 'cancelledContext');
      if (requestUses.length === 0) continue;
      const first = PRIORITY.map((k) => requestUses.find((u) => u.kind === k)).find((u): u is EscapeUse => !!u);
      if (!first || first.kind === 'cancelledContext') continue;
      const kind = first.kind;
      const gin = esc.handler.kind === 'gin';
      ctx.report({
        node: first.node,
        messageId: kind,
        data: { expr: first.node.text, remedy: gin ? `pass ${first.node.text}.Copy() to it` : 'copy what it needs before the go statement' },
        severity: kind === 'request' ? 'info' : undefined,
        fixes: () => fixesFor(file, esc, requestUses, isModern),
      });
    }
  },
});

function fixesFor(file: GoFile, esc: GoroutineEscape, uses: readonly EscapeUse[], isModern: () => boolean): Fix[] {
  if (esc.uses.some((u) => u.kind === 'cancelledContext')) return [];
  const kinds = new Set(uses.map((u) => u.kind));
  const texts = new Set(uses.map((u) => u.node.text));
  if (kinds.size !== 1 || texts.size !== 1) return [];
  const text = uses[0].node.text;
  if (esc.handler?.kind === 'gin' && kinds.has('framework')) {
    return bindBefore(file, esc, uses, 'cCp', `${text}.Copy()`, `Pass a copy of ${text} (${text}.Copy()) to the goroutine`, []);
  }
  if (kinds.has('requestContext') && isModern()) {
    const imports = file.imports.localNamesOf('context')[0] ? [] : addGoImport(file, 'context');
    const ctxName = file.imports.localNamesOf('context')[0] ?? 'context';
    return bindBefore(file, esc, uses, 'detachedCtx', `${ctxName}.WithoutCancel(${text})`, `Detach the goroutine's context with context.WithoutCancel(${text})`, imports);
  }
  return [];
}

/** Declares `name := value` before the `go` statement and makes the goroutine use it. */
function bindBefore(file: GoFile, esc: GoroutineEscape, uses: readonly EscapeUse[], name: string, value: string, title: string, extra: TextEditData[]): Fix[] {
  const go = esc.goroutine.go;
  if (nodesOfType(file, esc.goroutine.owner, 'identifier').some((id) => id.text === name)) return [];
  // The `go` statement must start its line: the declaration goes on the line before.
  const lineStart = file.source.lineStart(file.source.lineOf(go.startIndex));
  if (file.source.text.slice(lineStart, go.startIndex).trim() !== '') return [];
  const edits: TextEditData[] = [insertLineBefore(file.source, go.startIndex, `${name} := ${value}`), ...uses.map((u: { node: Node }) => replaceNode(u.node, name)), ...extra];
  return [{ title, safe: false, preferred: true, edits }];
}
