/**
 * Flags HTTP servers that let a client take forever to send its request:
 * `http.ListenAndServe[TLS]` and `http.Serve[TLS]` (their server has no
 * timeouts at all), and `http.Server{...}` literals or `new(http.Server)`
 * with neither `ReadHeaderTimeout` nor `ReadTimeout`. A timeout assigned
 * after construction in the same file (`srv.ReadTimeout = d`) counts — gosec
 * G112/G114 miss that. Framework servers too (`server-frameworks.ts`): gin's
 * `Run*` and negroni's `Run` always; echo's `Start*` and fiber's `Listen*`
 * when the constructor is in sight and no timeout is set (`e.Server.ReadTimeout`,
 * `fiber.Config{ReadTimeout}`). Skipped: `_test.go` files (option), positional
 * literals, a local variable named `http`.
 *
 * Per declaration; what it reads outside one: the paths whose read timeouts
 * the file assigns and the package-level var and const specs (a framework
 * constructor's value), split by name; echo's `Server`/`TLSServer`
 * assignments (the context key); the type resolver (an analysis with its key).
 */
import type { Node } from 'web-tree-sitter';
import { defineGoRule } from '../../engine/rule';
import { defineAnalysis, namedKey } from '../../core/analysis';
import { derivedFrom, perDeclaration } from '../../languages/go/decl-memo';
import type { Fix } from '../../core/finding';
import type { GoFile } from '../../languages/go/parser';
import { addGoImport } from '../../languages/go/edits/edits';
import { addKeyedField, assignmentTarget, goDurationExpr, keyedFields } from '../../languages/go/literal';
import { assignedFieldOwners, isPackageMember } from '../../languages/go/pkg-ref';
import { describeCall } from '../../languages/go/syntax';
import { fieldAssignmentTargets, newCallsOf, qualifiedLiteralsNamed, selectorCallsNamed } from '../../languages/go/model/names';
import { frameworkServerStarts, type FrameworkStart } from '../../languages/go/model/server-frameworks';
import { GO_TYPES_CALLS, type GoTypeResolver } from '../../languages/go/model/types';
import { insertLineBefore } from '../../languages/go/edits/edits';
import { enclosingStatement, selectorPath } from '../../languages/go/syntax';
import { nodesOfType } from '../../languages/go/syntax-index';

/** Package functions that build a timeout-less server, with the position of each argument the rewrite needs. */
const SERVE_FUNCS: Readonly<Record<string, { argc: number; addr?: number; handler: number; method: string; rest: number[] }>> = {
  ListenAndServe: { argc: 2, addr: 0, handler: 1, method: 'ListenAndServe', rest: [] },
  ListenAndServeTLS: { argc: 4, addr: 0, handler: 3, method: 'ListenAndServeTLS', rest: [1, 2] },
  Serve: { argc: 2, handler: 1, method: 'Serve', rest: [0] },
  ServeTLS: { argc: 4, handler: 1, method: 'ServeTLS', rest: [0, 2, 3] },
};

/** Per top-level declaration: what the checks of other declarations may read of it. */
function outsidePieces(file: GoFile): readonly { owners: string[]; echo: string[]; values: [string, string][] }[] {
  return perDeclaration(file, 'go/http-server-no-timeouts#outside', (decl) => {
    const span = { start: decl.startIndex, end: decl.endIndex };
    const targets = READ_TIMEOUTS.flatMap((f) => fieldAssignmentTargets(file, f, span));
    const echo = ECHO_SERVERS.filter((f) => fieldAssignmentTargets(file, f, span).length > 0
      || targets.some((o) => o.type === 'selector_expression' && o.childForFieldName('field')?.text === f));
    const specs = decl.type === 'var_declaration' || decl.type === 'const_declaration' ? nodesOfType(file, decl, ['const_spec', 'var_spec']) : [];
    const values = specs.flatMap((spec) => spec.childrenForFieldName('name').flatMap((n): [string, string][] => (n ? [[n.text, spec.text]] : [])));
    return { owners: [...assignedFieldOwners(file, targets)].sort(), echo, values };
  });
}

/**
 * The context key: the echo server fields assigned in the file (`e.Server.ReadTimeout = d`,
 * `e.Server = ...`), which decide for every echo start.
 */
function echoKey(file: GoFile): string {
  const pieces = outsidePieces(file);
  return derivedFrom(file, 'go/http-server-no-timeouts#echo-key', pieces, () => [...new Set(pieces.flatMap((p) => p.echo))].sort().join(','));
}

/**
 * The paths whose read timeouts the file assigns and the package-level var
 * and const specs (where a framework's constructor may be called), as a key
 * split by name: a declaration is re-checked when one it mentions changes.
 */
const OUTSIDE_NAMES = defineAnalysis({
  id: 'go/http-server-no-timeouts#outside-names',
  on: 'go-file',
  build: () => true,
  declarationKey: (file: GoFile) => {
    const pieces = outsidePieces(file);
    return derivedFrom(file, 'go/http-server-no-timeouts#outside-names', pieces, () => namedKey(pieces.flatMap((p) => [...p.owners.map((o): [string, string] => [o, 'read-timeout']), ...p.values])));
  },
});

export const rule = defineGoRule({
  id: 'go/http-server-no-timeouts',
  meta: {
    title: 'HTTP server without read timeouts',
    description: 'An http.Server without ReadHeaderTimeout or ReadTimeout lets each slow client hold a connection and a goroutine for as long as it likes (Slowloris).',
    severity: 'warning',
    fixable: true,
    messages: {
      serve: '{call} starts a server with no timeouts; slow clients can hold connections open forever',
      literal: 'http.Server without ReadHeaderTimeout or ReadTimeout; slow clients can hold connections open forever',
      framework: '{call} starts {framework}\'s server with no read timeout; slow clients can hold connections open forever',
    },
    options: {
      timeout: { type: 'string', default: '10s', description: 'ReadHeaderTimeout the quick fix inserts, as a Go duration (`5s`, `10s`, `1m`).' },
      skipTests: { type: 'boolean', default: true, description: 'Do not report in `_test.go` files.' },
    },
  },
  // Nodes are found by name (go-names.ts): cheaper than call/selector patterns in the merged query.
  queries: {},
  analyses: [GO_TYPES_CALLS, OUTSIDE_NAMES],
  scope: 'declaration',
  contextKey: (file) => echoKey(file),
  check(ctx, file) {
    if (ctx.options.skipTests && file.isTest) return;
    const within = ctx.declaration;
    let types: GoTypeResolver | undefined;
    for (const start of frameworkServerStarts(file, () => (types ??= ctx.resultOf(GO_TYPES_CALLS)), within)) {
      if (start.timeouts !== false) continue;
      const duration = goDurationExpr(ctx.options.timeout);
      ctx.report({ node: start.fn, messageId: 'framework', data: { call: start.fn.text, framework: start.framework }, fixes: () => frameworkFix(file, start, duration) });
    }
    if (!file.imports.has('net/http')) return;
    const isHttp = (node: Node, ...names: string[]): boolean => isPackageMember(file, node, 'net/http', ...names);
    const configured = assignedFieldOwners(file, [...fieldAssignmentTargets(file, 'ReadHeaderTimeout'), ...fieldAssignmentTargets(file, 'ReadTimeout')]);
    const duration = goDurationExpr(ctx.options.timeout);
    const field = `ReadHeaderTimeout: ${duration}`;

    for (const m of selectorCallsNamed(file, Object.keys(SERVE_FUNCS), within)) {
      const spec = SERVE_FUNCS[m.name.text] as (typeof SERVE_FUNCS)[string] | undefined;
      if (!spec || m.recv.type !== 'identifier' || !isHttp(m.fn, m.name.text)) continue;
      ctx.report({ node: m.fn, messageId: 'serve', data: { call: m.fn.text }, fixes: () => serveFix(file, m.call, m.recv.text, spec, field) });
    }
    for (const m of qualifiedLiteralsNamed(file, 'Server', within)) {
      if (!isHttp(m.type, 'Server')) continue;
      const fields = keyedFields(m.body);
      if (!fields || fields.has('ReadHeaderTimeout') || fields.has('ReadTimeout')) continue;
      const target = assignmentTarget(m.lit);
      if (target !== undefined && configured.has(target)) continue;
      ctx.report({
        node: m.type,
        messageId: 'literal',
        fixes: () => [{ title: `Add ${field}`, safe: false, edits: [addKeyedField(file.source, m.body, field), ...addGoImport(file, 'time')] }],
      });
    }
    for (const m of newCallsOf(file, 'Server', within)) {
      if (!isHttp(m.arg, 'Server')) continue;
      const target = assignmentTarget(m.call);
      if (target !== undefined && configured.has(target)) continue;
      ctx.report({
        node: m.call,
        messageId: 'literal',
        fixes: () => [{
          title: `Add ${field}`,
          safe: false,
          edits: [{ start: m.call.startIndex, end: m.call.endIndex, newText: `&${m.arg.text}{${field}}` }, ...addGoImport(file, 'time')],
        }],
      });
    }
  },
});

const READ_TIMEOUTS = ['ReadHeaderTimeout', 'ReadTimeout'];
const ECHO_SERVERS = ['Server', 'TLSServer'];

/** `http.ListenAndServe(addr, h)` → `(&http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: d}).ListenAndServe()`. */
function serveFix(file: GoFile, call: Node, pkg: string, spec: (typeof SERVE_FUNCS)[string], field: string): Fix[] {
  const info = describeCall(call);
  if (!info || info.variadicSpread || info.args.length !== spec.argc) return [];
  // The rewrite moves the arguments into a literal; comments among them would be lost.
  if (nodesOfType(file, call, 'comment').length > 0) return [];
  const parts: string[] = [];
  if (spec.addr !== undefined) parts.push(`Addr: ${info.args[spec.addr].text}`);
  const handler = info.args[spec.handler].text;
  if (handler !== 'nil') parts.push(`Handler: ${handler}`);
  parts.push(field);
  const rest = spec.rest.map((i) => info.args[i].text).join(', ');
  return [{
    title: `Use an http.Server with ${field}`,
    safe: false,
    preferred: true,
    edits: [{ start: call.startIndex, end: call.endIndex, newText: `(&${pkg}.Server{${parts.join(', ')}}).${spec.method}(${rest})` }, ...addGoImport(file, 'time')],
  }];
}

/**
 * Exact only where the framework exposes the server it starts: echo's `e.Server` (`e.TLSServer`) gets a
 * ReadHeaderTimeout before the start; fiber's constructor gets `Config.ReadTimeout` (fasthttp has no
 * header-only timeout: it bounds the whole request, uploads included). gin's `Run` also refreshes its
 * route trees and picks an h2c handler, negroni's logs and exits: rewriting them as an http.Server is not
 * the same program, so they get no fix. All guessed values: never safe.
 */
function frameworkFix(file: GoFile, start: FrameworkStart, duration: string): Fix[] {
  if (start.framework === 'echo') {
    const recv = selectorPath(start.recv);
    const stmt = enclosingStatement(start.call);
    if (recv === undefined || !stmt) return [];
    const field = `${recv}.${start.method === 'Start' ? 'Server' : 'TLSServer'}.ReadHeaderTimeout`;
    return [{ title: `Set ${field} = ${duration}`, safe: false, preferred: true, edits: [insertLineBefore(file.source, stmt.startIndex, `${field} = ${duration}`), ...addGoImport(file, 'time')] }];
  }
  if (start.framework === 'fiber' && start.ctor) {
    const info = describeCall(start.ctor);
    const pkg = info?.receiver?.text;
    if (!info || pkg === undefined) return [];
    const field = `ReadTimeout: ${duration}`;
    const body = info.args[0]?.type === 'composite_literal' ? info.args[0].childForFieldName('body') : null;
    const edit = info.args.length === 0
      ? { start: info.call.endIndex - 1, end: info.call.endIndex - 1, newText: `${pkg}.Config{${field}}` }
      : body ? addKeyedField(file.source, body, field) : undefined;
    return edit ? [{ title: `Add ${field} to ${pkg}.Config`, safe: false, preferred: true, edits: [edit, ...addGoImport(file, 'time')] }] : [];
  }
  return [];
}
