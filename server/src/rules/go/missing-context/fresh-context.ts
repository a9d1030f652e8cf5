/**
 * Functions of a package that make a fresh context (`context.Background()`/`TODO()`) for work they do
 * on their caller's behalf (contextcheck's "should pass the context parameter"): a caller with a
 * context in scope that calls one drops its context there.
 *
 * A function is such a *context maker* when it takes no context (no `context.Context` parameter, no
 * `*http.Request` or framework context, which carry the request's), returns none (a context factory
 * such as `NoInheritCancel`), is not a lifecycle or setup function (see {@link LIFECYCLE}), and either
 * - calls `context.Background()`/`TODO()` for synchronous work: not inside a goroutine it starts, a
 *   `time.AfterFunc` or `once.Do` literal, a deferred call (clean-up that must finish), nor stored in
 *   a struct field or literal (state with a lifetime of its own); or
 * - calls a context maker of the package (by name: `f()`, or `r.m()` on its own receiver `r`):
 *   the chain is kept for the message (`warmAll -> warm`).
 *
 * One fact per file, built per top-level declaration (`perDeclaration`): typing in one body rebuilds
 * that declaration's entry only; the package's closure is a `go-package` analysis whose declaration
 * key is the closure itself.
 */
import type { Node } from 'web-tree-sitter';
import { defineAnalysis, namedKey, resultOf, type NamedKey } from '../../../core/analysis';
import { derivedFrom, perDeclaration } from '../../../languages/go/decl-memo';
import type { GoFile } from '../../../languages/go/parser';
import { funcName, params, typeRef } from '../../../languages/go/func';
import { isOnceArgument } from '../../../languages/go/model/request-scope';
import { derivationOf, isGoStatementCallee } from './context-calls';
import { nodesOfType } from '../../../languages/go/syntax-index';

/** What one function declaration says (plain data: a fact). */
export interface FreshEntry {
  /** `f`, or `T.m` for a method of `T`. */
  key: string;
  /** The fresh context it makes, as written (`context.Background()`), when it makes one itself. */
  makes?: string;
  /** It gives that context a deadline of its own (`context.WithTimeout(context.Background(), d)`). */
  ownBudget?: boolean;
  /** Package functions it calls (`f`, `T.m` through its own receiver). */
  calls: string[];
}

/** What the package's closure says of a context maker. */
export interface ContextMaker {
  /** `f` then the callees down to the one that makes the context. */
  chain: string[];
  makes: string;
  ownBudget: boolean;
}

/** The package's context makers: by key (`f`, `T.m`), and the method names among them. */
export interface ContextMakers {
  readonly byKey: ReadonlyMap<string, ContextMaker>;
  /** `m` of every `T.m`: one look-up before a receiver's type is resolved. */
  readonly methods: ReadonlySet<string>;
}

/**
 * Names of functions meant to outlive a request or to run once at start-up: their fresh context is
 * their own lifetime, not a caller's work (`Start`, `Run`, `serve`, `loop`, `watchX`, `Close`,
 * `Shutdown`; constructors and setup: `NewX`, `MustX`, `Open`, `Init`, `Setup`, `Connect`, `Load`,
 * `Register`, `Migrate`; `main`, `init`). A miss costs less than a false alarm here.
 */
const LIFECYCLE = /^(main|init|start|run|serve|listen|loop|watch|daemon|background|close|stop|shutdown|drain|new|must|open|setup|connect|load|register|configure|migrate|bootstrap)([A-Z0-9_]|$)|(Loop|Worker|Daemon)$/i;

const CONTEXT_FREE_ID = 'go/fresh-context';

function methodKey(file: GoFile, fn: Node): string | undefined {
  const name = funcName(fn);
  if (!name) return undefined;
  if (fn.type !== 'method_declaration') return name;
  const recv = params(fn, 'receiver').at(0);
  const t = recv ? typeRef(file, recv.type) : undefined;
  return t?.name ? `${t.name}.${name}` : undefined;
}

/** Does the function take or return a context (or the request, which carries one)? */
function handlesContext(file: GoFile, fn: Node): boolean {
  for (const p of [...params(fn, 'parameters'), ...params(fn, 'result')]) {
    const t = typeRef(file, p.type);
    if (t.path === 'context' && t.name === 'Context') return true;
    if (t.path === 'net/http' && t.name === 'Request' && t.pointer) return true;
    if (/^github\.com\/(gin-gonic\/gin|labstack\/echo(\/v\d+)?|gofiber\/fiber(\/v\d+)?)$/.test(t.path) && /^(Context|Ctx)$/.test(t.name)) return true;
  }
  return false;
}

/** Is `call` (in `fn`) run later or on its own: in a goroutine, a timer or once literal, a deferred call? */
function runsApart(file: GoFile, call: Node, fn: Node): boolean {
  for (let n: Node | null = call.parent; n && n.id !== fn.id; n = n.parent) {
    if (n.type === 'go_statement' || n.type === 'defer_statement') return true;
    if (n.type !== 'func_literal') continue;
    if (isGoStatementCallee(n) || isOnceArgument(n)) return true;
    const outer = n.parent?.type === 'argument_list' ? n.parent.parent?.childForFieldName('function') : null;
    if (outer && file.imports.resolves(outer, 'time', 'AfterFunc')) return true;
  }
  return false;
}

/** Is the fresh context kept as state (a struct literal element, a field or package variable) rather than used? */
function storedAsState(call: Node): boolean {
  let top: Node = call;
  // Through a derivation: `s.ctx, s.cancel = context.WithCancel(context.Background())`.
  while (top.parent?.type === 'argument_list' && top.parent.parent?.type === 'call_expression') top = top.parent.parent;
  const p = top.parent;
  if (!p) return false;
  if (p.type === 'keyed_element' || p.type === 'literal_element' || p.type === 'literal_value') return true;
  const stmt = p.type === 'expression_list' ? p.parent : p;
  if (stmt?.type !== 'assignment_statement') return false;
  return (stmt.childForFieldName('left')?.namedChildren ?? []).some((l) => l?.type === 'selector_expression' || l?.type === 'index_expression');
}

/** Callees that only log, trace or count: `logger.LogIf(context.Background(), err)`, `bugLogIf(...)`, `span.AddEvent`. */
const LOGGING = /(log|Log|LOG|trace|Trace|metric|Metric|audit|Audit|Event)\w*$/;

/** Is the fresh context handed straight to a logging call (its only work: a log line, not the caller's)? */
function forLogging(call: Node): boolean {
  const outer = call.parent?.type === 'argument_list' ? call.parent.parent : null;
  const fn = outer?.childForFieldName('function');
  const name = fn?.type === 'selector_expression' ? fn.childForFieldName('field')?.text : fn?.text;
  return !!name && LOGGING.test(name);
}

/** Words of a comment that explains a fresh context on purpose (`we use context.Background here so that ...`). */
const EXPLAINS = /\b(Background|TODO|detach\w*|outlive\w*|cancel\w*)\b/i;

/**
 * Does a comment right above the statement holding `call` (or at the end of its line) explain the fresh
 * context (`// Note: we use context.Background here instead of req.Context() so that ...`)? Then it is
 * deliberate: the work is shared or must finish whatever the caller does.
 */
function explained(file: GoFile, call: Node): boolean {
  let stmt: Node = call;
  while (stmt.parent && stmt.parent.type !== 'block' && stmt.parent.type !== 'statement_list') stmt = stmt.parent;
  // Comments before a block's first statement are the block's children, before its statement list.
  const first = !stmt.previousSibling && stmt.parent?.type === 'statement_list' ? stmt.parent : stmt;
  for (let c = first.previousSibling; c?.type === 'comment'; c = c.previousSibling) if (EXPLAINS.test(c.text)) return true;
  // A trailing comment: the next sibling, on the same line.
  const next = stmt.nextSibling;
  return next?.type === 'comment' && !/[\r\n]/.test(file.source.text.slice(stmt.endIndex, next.startIndex)) && EXPLAINS.test(next.text);
}

function declEntries(file: GoFile, decl: Node): FreshEntry[] {
  if (decl.type !== 'function_declaration' && decl.type !== 'method_declaration') return [];
  const key = methodKey(file, decl);
  const name = funcName(decl) ?? '';
  const body = decl.childForFieldName('body');
  if (!key || !body || LIFECYCLE.test(name) || handlesContext(file, decl)) return [];
  const recvName = decl.type === 'method_declaration' ? params(decl, 'receiver').at(0)?.name : undefined;
  const recvType = recvName ? key.slice(0, key.indexOf('.')) : undefined;
  const entry: FreshEntry = { key, calls: [] };
  const calls = new Set<string>();
  for (const call of nodesOfType(file, body, 'call_expression')) {
    const callee = call.childForFieldName('function');
    if (!callee) continue;
    if (file.imports.resolves(callee, 'context', 'Background', 'TODO')) {
      if (entry.makes !== undefined || runsApart(file, call, decl) || storedAsState(call) || explained(file, call) || forLogging(call)) continue;
      entry.makes = call.text;
      const outer = call.parent?.type === 'argument_list' ? call.parent.parent : null;
      if (outer && derivationOf(file, outer)?.ownDeadline) entry.ownBudget = true;
      continue;
    }
    if (runsApart(file, call, decl)) continue;
    if (callee.type === 'identifier') calls.add(callee.text);
    else if (callee.type === 'selector_expression' && recvType && callee.childForFieldName('operand')?.text === recvName) {
      const field = callee.childForFieldName('field')?.text;
      if (field) calls.add(`${recvType}.${field}`);
    }
  }
  calls.delete(key);
  entry.calls = [...calls].sort();
  return entry.makes !== undefined || entry.calls.length > 0 ? [entry] : [];
}

/** The functions of one file that may make a fresh context, directly or through calls (a fact). */
export const FRESH_CONTEXT_FACTS = defineAnalysis({
  id: CONTEXT_FREE_ID,
  on: 'go-file',
  fact: true,
  build: (file): readonly FreshEntry[] => {
    const pieces = perDeclaration(file, CONTEXT_FREE_ID, (decl) => declEntries(file, decl));
    return derivedFrom(file, CONTEXT_FREE_ID, pieces, () => pieces.flat());
  },
});

/** The package's context makers by key, with the chain down to the function that makes the context. */
export const CONTEXT_MAKERS = defineAnalysis({
  id: 'go/package-context-makers',
  on: 'go-package',
  build: (pkg): ContextMakers => {
    const facts = pkg.factsOf(FRESH_CONTEXT_FACTS);
    // Plain data from facts only: kept from the previous version while the facts are.
    return derivedFrom(pkg.file, 'go/package-context-makers', facts, () => makersOf(facts.flat()));
  },
  // By function or `Type.method`: a declaration asks about the callees it names (a method by its name and its
  // receiver's type), so a maker added, removed or changed re-runs only the declarations that name it.
  declarationKey: (pkg): NamedKey => {
    const makers: ContextMakers = resultOf(CONTEXT_MAKERS, pkg);
    return derivedFrom(pkg.file, 'go/package-context-makers#key', [makers], () => namedKey([...makers.byKey].map(([k, m]): [string, string] => [k, JSON.stringify(m)])));
  },
});

/** The makers among a package's entries, with their method names. */
export function makersOf(entries: readonly FreshEntry[]): ContextMakers {
  const byKey = closure(entries);
  const methods = new Set([...byKey.keys()].filter((k) => k.includes('.')).map((k) => k.slice(k.indexOf('.') + 1)));
  return { byKey, methods };
}

function closure(entries: readonly FreshEntry[]): Map<string, ContextMaker> {
  const byKey = new Map<string, FreshEntry>();
  // A name declared twice (build-tagged variants): the first file's entry.
  for (const e of entries) if (!byKey.has(e.key)) byKey.set(e.key, e);
  const out = new Map<string, ContextMaker>();
  for (const e of byKey.values()) if (e.makes !== undefined) out.set(e.key, { chain: [e.key], makes: e.makes, ownBudget: e.ownBudget === true });
  // Callers of makers, one call level per pass (shortest chains first), until nothing changes.
  for (let changed = true; changed;) {
    changed = false;
    const found: [string, ContextMaker][] = [];
    for (const e of byKey.values()) {
      if (out.has(e.key)) continue;
      const sub = e.calls.map((c) => out.get(c)).find((m) => m !== undefined);
      if (sub) found.push([e.key, { ...sub, chain: [e.key, ...sub.chain] }]);
    }
    for (const [k, m] of found) out.set(k, m);
    changed = found.length > 0;
  }
  return out;
}
