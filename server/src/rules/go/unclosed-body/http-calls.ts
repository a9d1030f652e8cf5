import type { Node } from 'web-tree-sitter';
import type { GoFile } from '../../../languages/go/parser';
import type { GoTypeResolver } from '../../../languages/go/model/types';
import { isNamedType } from '../../../languages/go/model/type-expr';
import { referencesTo } from '../../../languages/go/scope';
import { assignedNames, assignedValues, describeCall, isWithinNode, sameNode, unparen, type CallInfo } from '../../../languages/go/syntax';

/**
 * Recognises net/http client calls without a type checker. A call counts only
 * when its syntax shows it: `http.Get(url)`, `http.DefaultClient.Do(req)`, a
 * client whose declaration shows `http.Client`, or `.Do(req)` where `req`
 * comes from `http.NewRequest*`. Argument counts must match net/http's
 * signatures, so `redis.Client.Get(ctx, key)` never matches.
 */

/** net/http package functions returning (*http.Response, error), with their argument counts. */
const PACKAGE_FUNCS: Readonly<Record<string, number>> = { Get: 1, Head: 1, Post: 3, PostForm: 2 };
/** (*http.Client) methods returning (*http.Response, error), with their argument counts. */
const CLIENT_METHODS: Readonly<Record<string, number>> = { Do: 1, Get: 1, Head: 1, Post: 3, PostForm: 2 };

export interface HttpResponseCall {
  info: CallInfo;
  /** `http.Get`, `client.Do`, `s.client.Post`: the callee as written (for messages). */
  calleeText: string;
}

/** The query pattern a rule uses to find candidate calls (method names pre-filtered). */
export const HTTP_RESPONSE_CALL_QUERY =
  '((call_expression function: (selector_expression field: (field_identifier) @method) arguments: (argument_list)) @call (#match? @method "^(Get|Head|Post|PostForm|Do)$"))';

/**
 * Calls whose results are bound by `:=` or `=` (`_, _ = f()` included): where a
 * function of the package that returns an `*http.Response` is called (see
 * {@link localResponseCall}). Bare call statements are left out on purpose:
 * they are most statements of a file, and discarding a wrapper's response that way is rare.
 */
export const BOUND_CALL_QUERY = `[
  (short_var_declaration right: (expression_list . (call_expression) @call .))
  (assignment_statement right: (expression_list . (call_expression) @call .))
]`;

/**
 * A call of a function or method declared in this package (this file or its
 * other files) whose first result is `*http.Response`: `c.get(ctx, path)`
 * over `func (c *Client) get(...) (*http.Response, error)`. The caller owns
 * the response.
 */
export function localResponseCall(call: Node, types: GoTypeResolver): HttpResponseCall | undefined {
  const producers = types.funcsReturning('net/http', 'Response', true);
  if (producers.size === 0) return undefined;
  const info = describeCall(call);
  // Cheap name test first: resolving a receiver's type costs scope walks.
  if (!info || !info.name || ![...producers].some((k) => k === info.name || k.endsWith(`.${info.name}`))) return undefined;
  const key = types.funcKeyOf(info);
  return key !== undefined && producers.has(key) ? { info, calleeText: info.callee.text } : undefined;
}

/** Recognises one candidate call; undefined when the syntax does not show an *http.Response producer. */
export function httpResponseCall(file: GoFile, call: Node, types: GoTypeResolver): HttpResponseCall | undefined {
  const info = describeCall(call);
  if (!info || !info.receiver || info.variadicSpread) return undefined;
  const calleeText = info.callee.text;
  if (file.imports.resolves(unparen(info.callee), 'net/http') && info.receiver.type === 'identifier' && !isShadowedImport(info.receiver, types)) {
    return PACKAGE_FUNCS[info.name] === info.args.length ? { info, calleeText } : undefined;
  }
  if (CLIENT_METHODS[info.name] !== info.args.length) return undefined;
  if (isNamedType(types.typeOf(info.receiver), 'net/http', 'Client')) return { info, calleeText };
  if (info.name === 'Do' && isHttpRequest(file, info.args[0], types)) return { info, calleeText };
  return undefined;
}

/** `http` used as a local variable name shadows the import. */
function isShadowedImport(ident: Node, types: GoTypeResolver): boolean {
  return types.isLocal(ident);
}


/**
 * Is `expr` evidently an `*http.Request`: a variable assigned from
 * `http.NewRequest`/`NewRequestWithContext` (or `req.WithContext`/`req.Clone`
 * of one), or declared with that type?
 */
export function isHttpRequest(file: GoFile, expr: Node, types: GoTypeResolver, depth = 0): boolean {
  if (depth > 4) return false;
  const e = unparen(expr);
  if (e.type === 'call_expression') {
    const info = describeCall(e);
    if (!info) return false;
    if (file.imports.resolves(unparen(info.callee), 'net/http', 'NewRequest', 'NewRequestWithContext')) return true;
    return (info.name === 'WithContext' || info.name === 'Clone') && !!info.receiver && isHttpRequest(file, info.receiver, types, depth + 1);
  }
  if (e.type !== 'identifier') return false;
  if (isNamedType(types.typeOf(e), 'net/http', 'Request')) return true;
  for (const ref of referencesTo(file, e)) {
    const holder = ref.parent;
    const stmt = holder?.type === 'expression_list' ? holder.parent : holder;
    if (!stmt || (stmt.type !== 'short_var_declaration' && stmt.type !== 'assignment_statement' && stmt.type !== 'var_spec')) continue;
    const names = assignedNames(stmt);
    const i = names.findIndex((n) => sameNode(n, ref));
    if (i < 0) continue;
    const values = assignedValues(stmt);
    // `req, err := http.NewRequest(...)` binds the first of two results.
    const value = values.length === names.length ? values[i] : values.length === 1 && i === 0 ? values[0] : undefined;
    if (value && !isWithinNode(e, value) && isHttpRequest(file, value, types, depth + 1)) return true;
  }
  return false;
}
