/**
 * Goroutines whose number is fixed by the code that starts them, not by its
 * input: a `go` statement outside any loop (one per call of its function) that
 * - the function waits for before it returns: `wg.Wait()`/`g.Wait()` after it, or a
 *   receive from a channel the goroutine sends on or closes (or is handed);
 * - is tied to a connection's lifetime: it is handed the connection (or a value built
 *   around it, `&Client{conn: conn}`) that `Upgrade`/`Hijack`/`Accept`/`Dial` returned or
 *   that the type model shows is a `net.Conn` or a websocket connection (read and
 *   write pumps end with the connection);
 * - ends when the call ends: it waits on `<-ctx.Done()` of a context the function
 *   cancels with a deferred `cancel()`.
 * And loops whose items are fixed by the code or the operator rather than by request
 * data: a slice/array/map literal (test tables, a fixed list of stages), or
 * configuration (`cfg.Targets`, a value of a `*Config`/`*Options` type, `flag.Args()`, `os.Args`).
 */
import type { Node } from 'web-tree-sitter';
import type { GoFile } from '../../../languages/go/parser';
import type { GoTypeResolver } from '../../../languages/go/model/types';
import { namedTypeOf } from '../../../languages/go/model/type-expr';
import { assignedNames, assignedValues, describeCall, enclosingFunction, isWithinNode, unparen } from '../../../languages/go/syntax';
import { nodesOfType, nodesOrNone } from '../../../languages/go/syntax-index';

const CONN_MAKERS = /^(Upgrade|Hijack|Accept|AcceptTCP|Dial|DialContext|DialTimeout|DialTCP)$/;
const CONN_TYPES: ReadonlySet<string> = new Set([
  'net.Conn', 'net.TCPConn', 'net.UnixConn', 'github.com/gorilla/websocket.Conn', 'nhooyr.io/websocket.Conn',
  'github.com/coder/websocket.Conn', 'golang.org/x/net/websocket.Conn',
]);

/** The identifiers a go statement's call hands over: receiver root, arguments, and names its literal's body reads. */
function handedNames(file: GoFile, go: Node): Set<string> {
  const call = go.namedChildren.find((c) => c?.type === 'call_expression');
  const out = new Set<string>();
  if (!call) return out;
  const fn = call.childForFieldName('function');
  const roots = [fn?.type === 'selector_expression' ? fn.childForFieldName('operand') : null, ...(call.childForFieldName('arguments')?.namedChildren ?? [])];
  for (const r of roots) {
    if (!r) continue;
    for (const id of [r, ...nodesOfType(file, r, 'identifier')]) if (id.type === 'identifier') out.add(id.text);
  }
  if (fn?.type === 'func_literal') for (const id of nodesOfType(file, fn, 'identifier')) out.add(id.text);
  return out;
}

/** Names in `fn` bound to a connection, or to a composite literal built around one (before `before`). */
function connectionNames(file: GoFile, fn: Node, before: number, types: GoTypeResolver): Set<string> {
  const names = new Set<string>();
  for (const p of nodesOrNone(file, fn.childForFieldName('parameters'), 'parameter_declaration')) {
    const t = namedTypeOf(types.typeOf(p.childForFieldName('name')));
    if (t && CONN_TYPES.has(`${t.path}.${t.name}`)) for (const n of p.childrenForFieldName('name')) if (n) names.add(n.text);
  }
  for (const stmt of nodesOfType(file, fn, ['short_var_declaration', 'assignment_statement', 'var_spec'])) {
    if (stmt.startIndex >= before) continue;
    const lefts = assignedNames(stmt);
    const values = assignedValues(stmt);
    if (values.length === 0 || lefts.length === 0) continue;
    const v = unparen(values[0]);
    const info = v.type === 'call_expression' ? describeCall(v) : undefined;
    const t = namedTypeOf(types.typeOf(lefts[0]));
    const typed = t && CONN_TYPES.has(`${t.path}.${t.name}`);
    if ((info && CONN_MAKERS.test(info.name)) || typed) names.add(lefts[0].text);
    else if (nodesOfType(file, v, 'identifier').some((id) => names.has(id.text)) && /[{]/.test(v.text)) names.add(lefts[0].text);
  }
  return names;
}

/** Channels the goroutine sends on or closes (in its literal), or is handed as arguments. */
function channelsOf(file: GoFile, go: Node): Set<string> {
  const out = new Set<string>();
  const call = go.namedChildren.find((c) => c?.type === 'call_expression');
  const fn = call?.childForFieldName('function');
  for (const a of call?.childForFieldName('arguments')?.namedChildren ?? []) if (a?.type === 'identifier') out.add(a.text);
  if (fn?.type === 'func_literal') {
    for (const s of nodesOfType(file, fn, 'send_statement')) {
      const ch = s.childForFieldName('channel');
      if (ch?.type === 'identifier') out.add(ch.text);
    }
    for (const c of nodesOfType(file, fn, 'call_expression')) {
      const info = describeCall(c);
      if (info && !info.receiver && info.name === 'close' && info.args[0]?.type === 'identifier') out.add(info.args[0].text);
    }
  }
  return out;
}

/** After the go statement, does the function wait for it (Wait, or a receive from one of its channels)? */
function waitsAfter(file: GoFile, fn: Node, go: Node): boolean {
  const chans = channelsOf(file, go);
  for (const n of nodesOfType(file, fn, ['call_expression', 'unary_expression', 'range_clause'])) {
    if (n.startIndex < go.endIndex || isWithinNode(n, go)) continue;
    if (n.type === 'call_expression') {
      const info = describeCall(n);
      if (info?.receiver && info.name === 'Wait' && info.args.length === 0 && enclosingFunction(n)?.id === fn.id) return true;
      continue;
    }
    if (n.type === 'unary_expression' && n.child(0)?.type === '<-') {
      const operand = n.childForFieldName('operand');
      if (operand?.type === 'identifier' && chans.has(operand.text)) return true;
      continue;
    }
    const right = n.childForFieldName('right');
    if (n.type === 'range_clause' && right?.type === 'identifier' && chans.has(right.text)) return true;
  }
  return false;
}

/**
 * The goroutine ends with the call: it waits on `<-ctx.Done()` of a context the function cancels with
 * a deferred `cancel()`, on the request's context (`r.Context().Done()`, cancelled when the handler
 * returns), or on a channel the function closes with a deferred `close(ch)`.
 */
function endsWithCall(file: GoFile, fn: Node, go: Node): boolean {
  const lit = go.namedChildren.find((c) => c?.type === 'call_expression')?.childForFieldName('function');
  if (lit?.type !== 'func_literal') return false;
  const received = nodesOfType(file, lit, 'unary_expression')
    .filter((u) => u.child(0)?.type === '<-')
    .map((u) => u.childForFieldName('operand'))
    .filter((o): o is Node => !!o);
  const done = received.map((o) => {
    const f = o.type === 'call_expression' ? o.childForFieldName('function') : null;
    return f?.type === 'selector_expression' && f.childForFieldName('field')?.text === 'Done' ? f.childForFieldName('operand')?.text ?? '' : '';
  }).filter((t) => t !== '');
  if (done.some((t) => /\.Context\(\)$/.test(t))) return true;
  const deferred = nodesOfType(file, fn, 'defer_statement').map((d) => d.namedChildren[0]?.text.replace(/\s+/g, '') ?? '');
  if (received.some((o) => o.type === 'identifier' && deferred.includes(`close(${o.text})`))) return true;
  for (const stmt of nodesOfType(file, fn, ['short_var_declaration', 'assignment_statement'])) {
    const names = assignedNames(stmt).map((n) => n.text);
    if (names[0] && names[1] && done.includes(names[0]) && deferred.includes(`${names[1]}()`)) return true;
  }
  return false;
}

/** Is this `go` statement (outside any loop of its function) bounded by what starts it? */
export function isFixedPerCall(file: GoFile, go: Node, types: GoTypeResolver): boolean {
  const fn = enclosingFunction(go);
  if (!fn) return false;
  if (waitsAfter(file, fn, go) || endsWithCall(file, fn, go)) return true;
  const conns = connectionNames(file, fn, go.startIndex, types);
  if (conns.size === 0) return false;
  return [...handedNames(file, go)].some((n) => conns.has(n));
}

const CONFIG_NAME = /^(cfg|conf|config|configs|opts|options|settings|flags?)$/i;
const CONFIG_TYPE = /(Config|Configuration|Options|Opts|Settings|Flags)$/;

const WORK_DATA = /(jobs?|tasks?|items?|messages?|msgs|events?|requests?|reqs|queue|batch(es)?|records?|entries|work|pending|inbox|backlog)$/i;

/**
 * Outside request scope: a range over the method receiver's own field (`h.zones`, `s.signers`,
 * `srv.onShutdown`) or method (`c.peers()`), state its constructor set up from configuration. Not
 * when the field reads like queued work (`s.jobs`, `q.pending`).
 */
export function isReceiverState(file: GoFile, rangeExpr: Node): boolean {
  const e = unparen(rangeExpr);
  const sel = e.type === 'call_expression' && (e.childForFieldName('arguments')?.namedChildCount ?? 1) === 0 ? e.childForFieldName('function') : e;
  if (sel?.type !== 'selector_expression') return false;
  const operand = sel.childForFieldName('operand');
  const field = sel.childForFieldName('field')?.text ?? '';
  if (operand?.type !== 'identifier' || WORK_DATA.test(field)) return false;
  let method: Node | null = e.parent;
  while (method && method.type !== 'method_declaration') method = method.parent;
  const recv = nodesOrNone(file, method?.childForFieldName('receiver'), 'identifier').at(0);
  return !!recv && recv.text === operand.text;
}

/** Are the items of `rangeExpr` fixed by the code (a literal) or by the operator (configuration, flags)? */
export function isFixedItems(file: GoFile, rangeExpr: Node, types: GoTypeResolver): boolean {
  const e = unparen(rangeExpr);
  if (e.type === 'composite_literal') return true;
  if (e.type === 'call_expression') {
    const fn = e.childForFieldName('function');
    return !!fn && file.imports.resolves(fn, 'flag', 'Args');
  }
  if (e.type === 'selector_expression' && file.imports.resolves(e, 'os', 'Args')) return true;
  // A path through a config value: `cfg.Targets`, `s.opts.Peers`, `c.config.Zones`.
  const parts = e.text.split('.');
  if (parts.slice(0, -1).some((p) => CONFIG_NAME.test(p))) return true;
  if (e.type === 'selector_expression') {
    const owner = namedTypeOf(types.typeOf(e.childForFieldName('operand')));
    if (owner && CONFIG_TYPE.test(owner.name)) return true;
  }
  if (e.type === 'identifier') {
    // `tests := []struct{...}{...}` in the function, or a package-level table.
    const fn = enclosingFunction(e);
    for (const stmt of nodesOfType(file, fn ?? file.root, ['short_var_declaration', 'var_spec'])) {
      if (stmt.startIndex > e.startIndex) continue;
      const i = assignedNames(stmt).findIndex((n) => n.text === e.text);
      const v = i >= 0 ? assignedValues(stmt)[i] : undefined;
      if (v && unparen(v).type === 'composite_literal') return true;
    }
    for (const spec of nodesOfType(file, file.root, 'var_spec')) {
      if (enclosingFunction(spec)) continue;
      const i = assignedNames(spec).findIndex((n) => n.text === e.text);
      const v = i >= 0 ? assignedValues(spec)[i] : undefined;
      if (v && unparen(v).type === 'composite_literal') return true;
    }
  }
  return false;
}
