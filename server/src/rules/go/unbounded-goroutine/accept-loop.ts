/**
 * Accept loops: `for { conn, err := ln.Accept(); ...; go handle(conn) }` starts one goroutine per
 * connection, as many as clients open. Bounded when the listener is wrapped in a limiting listener
 * (`netutil.LimitListener`, or a `...LimitListener`/`limitListener` of the module), or the loop
 * rejects connections over a count before the `go` (`if active >= max { conn.Close(); continue }`).
 * A semaphore send or `Acquire` before the `go` is checked by the rule (`hasBoundBefore`).
 */
import type { Node } from 'web-tree-sitter';
import type { GoFile } from '../../../languages/go/parser';
import { FUNCTION_TYPES, enclosingFunction, isWithinNode, nilComparison, logicalOperands, statementsOf } from '../../../languages/go/syntax';
import { nodesOfType } from '../../../languages/go/syntax-index';

const ACCEPT = /^(Accept|AcceptTCP|AcceptUnix)$/;

/** The innermost loop around `site`, when it accepts connections before `site`: `{ loop, conn }` (the listener's text). */
export function acceptLoopOf(file: GoFile, site: Node): { kind: 'accept'; loop: Node; conn: string } | undefined {
  let loop: Node | undefined;
  for (let n: Node | null = site.parent; n && !FUNCTION_TYPES.has(n.type); n = n.parent) {
    if (n.type === 'for_statement') {
      loop = n;
      break;
    }
  }
  if (!loop) return undefined;
  const fn = enclosingFunction(loop);
  for (const call of nodesOfType(file, loop, 'call_expression')) {
    if (call.startIndex >= site.startIndex || enclosingFunction(call)?.id !== fn?.id) continue;
    const callee = call.childForFieldName('function');
    if (callee?.type !== 'selector_expression' || !ACCEPT.test(callee.childForFieldName('field')?.text ?? '')) continue;
    if ((call.childForFieldName('arguments')?.namedChildCount ?? 1) !== 0) continue;
    const listener = callee.childForFieldName('operand')?.text ?? 'the listener';
    return { kind: 'accept', loop, conn: listener.length > 30 ? `${listener.slice(0, 27)}...` : listener };
  }
  return undefined;
}

/** A limit on connections: a limiting listener in the file, or a rejection over a count before `site`. */
export function limitsConnections(file: GoFile, loop: Node, site: Node): boolean {
  if (file.imports.has('golang.org/x/net/netutil')) return true;
  if (/\b\w*(LimitListener|limitListener|LimitedListener|limitedListener)\s*\(/.test(file.source.text)) return true;
  for (let n: Node | null = site; n && n.id !== loop.id; n = n.parent) {
    for (let s = n.previousNamedSibling; s; s = s.previousNamedSibling) if (s.type === 'if_statement' && rejectsOverLimit(file, s)) return true;
  }
  return false;
}

/** `if active >= max { conn.Close(); continue }`, `if !s.allow() { c.Close(); continue }`: not an error check. */
function rejectsOverLimit(file: GoFile, stmt: Node): boolean {
  const cond = stmt.childForFieldName('condition');
  const then = stmt.childForFieldName('consequence');
  if (!cond || !then) return false;
  const parts = logicalOperands(cond, '||').flatMap((p) => logicalOperands(p, '&&'));
  if (parts.every((p) => nilComparison(p) !== undefined)) return false;
  const closes = nodesOfType(file, then, 'call_expression').some((c) => c.childForFieldName('function')?.childForFieldName('field')?.text === 'Close');
  const leaves = statementsOf(then).some((s) => s.type === 'continue_statement' || s.type === 'return_statement');
  return closes && leaves && !isWithinNode(stmt, then);
}
