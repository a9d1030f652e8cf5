/**
 * Flags net/http/pprof handlers reachable from the network: the default mux
 * (where importing net/http/pprof registers them) served on a non-loopback
 * address by `http.ListenAndServe[TLS](addr, nil)` or an `http.Server` without
 * its own Handler, in a package that imports net/http/pprof (any file); and
 * `/debug/pprof` routes registered on a mux that this file serves on a
 * non-loopback address. The default mux also counts as served by
 * `http.Serve(l, nil)` on a listener from `net.Listen` on a public address, and
 * when it is mounted as a handler on another router (`r.Handle("/debug/",
 * http.DefaultServeMux)`, `gin.WrapH(http.DefaultServeMux)`): warning when this file
 * serves that router publicly, info when it serves it nowhere (it is served elsewhere).
 * Silent for loopback addresses, addresses from configuration (unknown), and
 * muxes served nowhere in the file.
 */
import type { Node } from 'web-tree-sitter';
import { defineGoRule } from '../../../engine/rule';
import { defineAnalysis } from '../../../core/analysis';
import type { Fix } from '../../../core/finding';
import type { GoFile } from '../../../languages/go/parser';
import { unquoteGoString } from '../../../languages/go/imports';
import { keyedFields } from '../../../languages/go/literal';
import { classifyListenAddr, type ListenAddr } from './listen-addr';
import { isPackageMember } from '../../../languages/go/pkg-ref';
import { assignedNames, assignedValues, describeCall, enclosingFunction, selectorPath, unparen } from '../../../languages/go/syntax';
import { NET_HTTP_IMPORT_QUERY, nodesNamed, qualifiedLiteralsNamed, selectorCallsNamed } from '../../../languages/go/model/names';
import { nodesOfType } from '../../../languages/go/syntax-index';

const PPROF = 'net/http/pprof';

/** What one file of the package contributes: the pprof import, and routes of its own on the default mux. */
interface PprofFacts {
  packageName: string;
  importsPprof: boolean;
  appRoutesOnDefaultMux: boolean;
}

function isPprofPath(p: string): boolean {
  return p.startsWith('/debug/pprof');
}

/** What one file contributes (one pass over its calls, once per file content). */
function extractPprofFacts(file: GoFile): PprofFacts {
  let appRoutes = false;
  const httpNames = new Set(file.imports.localNamesOf('net/http'));
  if (httpNames.size > 0) {
    for (const call of nodesOfType(file, file.root, 'call_expression')) {
      const info = describeCall(call);
      if (!info || (info.name !== 'Handle' && info.name !== 'HandleFunc') || !httpNames.has(info.receiverPath ?? '')) continue;
      const first = info.args.at(0);
      if (first?.type !== 'interpreted_string_literal' || !isPprofPath(unquoteGoString(first.text))) appRoutes = true;
    }
  }
  return { packageName: file.packageName, importsPprof: file.imports.has(PPROF), appRoutesOnDefaultMux: appRoutes };
}

interface Serving {
  /** The address expression as written. */
  expr: Node;
  addr: ListenAddr;
  handler: Node | undefined;
}

const PPROF_FACTS = defineAnalysis({ id: 'go/pprof-facts', on: 'go-file', fact: true, build: extractPprofFacts });

/** The other files of the package: does one import net/http/pprof, does one route on the default mux? */
const OTHERS_PPROF = defineAnalysis({
  id: 'go/package-pprof',
  on: 'go-package',
  build: (pkg): Omit<PprofFacts, 'packageName'> => {
    const out = { importsPprof: false, appRoutesOnDefaultMux: false };
    for (const facts of pkg.otherFacts(PPROF_FACTS)) {
      out.importsPprof ||= facts.importsPprof;
      out.appRoutesOnDefaultMux ||= facts.appRoutesOnDefaultMux;
    }
    return out;
  },
});

export const rule = defineGoRule({
  id: 'go/pprof-exposed',
  meta: {
    title: 'pprof handlers served on a public address',
    description: 'net/http/pprof exposes heap dumps, goroutine stacks and CPU profiles; served beyond loopback it leaks memory contents and invites denial of service.',
    severity: 'warning',
    fixable: true,
    messages: {
      defaultMux: 'net/http/pprof handlers are served on {addr} via the default mux; anyone reaching it can dump the heap',
      route: 'pprof route {route} is on {mux}, which is served on {addr}; anyone reaching it can dump the heap',
      mounted: '{router} mounts http.DefaultServeMux, which carries net/http/pprof{where}; anyone reaching it can dump the heap',
    },
  },
  // Nodes are found by name (go-names.ts): cheaper than call/selector patterns in the merged query.
  analyses: [OTHERS_PPROF],
  queries: { imports: NET_HTTP_IMPORT_QUERY },
  check(ctx, file) {
    if (!file.imports.has('net/http')) return;
    const servings: Serving[] = [];
    for (const m of selectorCallsNamed(file, ['ListenAndServe', 'ListenAndServeTLS'])) {
      if (!isPackageMember(file, m.fn, 'net/http', m.name.text)) continue;
      const info = describeCall(m.call);
      const want = m.name.text === 'ListenAndServe' ? 2 : 4;
      if (!info || info.args.length !== want) continue;
      servings.push({ expr: info.args[0], addr: classifyListenAddr(info.args[0], file.root), handler: info.args[want - 1] });
    }
    for (const m of qualifiedLiteralsNamed(file, 'Server')) {
      if (!isPackageMember(file, m.type, 'net/http', 'Server')) continue;
      const fields = keyedFields(m.body);
      const addr = fields?.get('Addr');
      if (!fields || !addr) continue;
      servings.push({ expr: addr, addr: classifyListenAddr(addr, file.root), handler: fields.get('Handler') });
    }
    for (const m of selectorCallsNamed(file, ['Serve', 'ServeTLS'])) {
      if (!isPackageMember(file, m.fn, 'net/http', m.name.text)) continue;
      const info = describeCall(m.call);
      const want = m.name.text === 'Serve' ? 2 : 4;
      const addr = info && info.args.length === want ? listenerAddress(file, info.args[0]) : undefined;
      if (info && addr) servings.push({ expr: addr, addr: classifyListenAddr(addr, file.root), handler: info.args[1] });
    }
    reportMounts(ctx, file, servings);
    const publicServings = servings.filter((s) => s.addr.scope === 'public');
    if (publicServings.length === 0) return;

    const routes = selectorCallsNamed(file, ['Handle', 'HandleFunc']).flatMap((m) => {
      const path = describeCall(m.call)?.args[0];
      return path ? [{ recv: m.recv, path, recvPath: selectorPath(m.recv), pathText: stringValue(path) }] : [];
    });
    const isDefaultMuxRecv = (recv: Node): boolean => unparen(recv).type === 'identifier' && file.imports.pathOf(unparen(recv).text) === 'net/http';

    // (a) The default mux on a public address, in a package importing net/http/pprof.
    const defaultServings = publicServings.filter((s) => isDefaultMux(file, s.handler));
    if (defaultServings.length > 0) {
      const others = ctx.resultOf(OTHERS_PPROF);
      const pkg = { importsPprof: file.imports.has(PPROF) || others.importsPprof, appRoutesOnDefaultMux: others.appRoutesOnDefaultMux };
      if (pkg.importsPprof) {
        const ownAppRoutes = routes.some((r) => isDefaultMuxRecv(r.recv) && !(r.pathText !== undefined && isPprofPath(r.pathText)));
        const pprofOnly = !ownAppRoutes && !pkg.appRoutesOnDefaultMux;
        const fixed = new Set<number>();
        for (const s of defaultServings) {
          // A constant shared by two listeners is rewritten once.
          const fixes = pprofOnly && s.addr.literal && !fixed.has(s.addr.literal.id) ? bindLoopback(s.addr) : [];
          if (s.addr.literal) fixed.add(s.addr.literal.id);
          ctx.report({ node: s.expr, messageId: 'defaultMux', data: { addr: s.addr.text }, fixes });
        }
      }
    }

    // (b) /debug/pprof routes on a mux of this file that a public listener serves; one finding per mux.
    const reported = new Set<string>();
    for (const r of routes) {
      if (r.pathText === undefined || !isPprofPath(r.pathText) || r.recvPath === undefined || isDefaultMuxRecv(r.recv)) continue;
      if (reported.has(r.recvPath)) continue;
      const serving = publicServings.find((s) => s.handler !== undefined && mentionsPath(file, s.handler, r.recvPath ?? ''));
      if (!serving) continue;
      reported.add(r.recvPath);
      const pprofOnly = routes.every((o) => o.recvPath !== r.recvPath || (o.pathText !== undefined && isPprofPath(o.pathText)));
      ctx.report({
        node: r.path,
        messageId: 'route',
        data: { route: r.path.text, mux: r.recvPath, addr: serving.addr.text },
        fixes: pprofOnly ? bindLoopback(serving.addr) : [],
      });
    }
  },
});

type PprofContext = Parameters<typeof rule.check>[0];

/**
 * `http.DefaultServeMux` handed as a handler to another router's registration (`r.Handle(p,
 * http.DefaultServeMux)`, `r.PathPrefix(p).Handler(...)`, `r.Any(p, gin.WrapH(...))`), in a package
 * importing net/http/pprof. Warning when a listener of this file serves that router on a public
 * address, silent when it serves it only on loopback or a configured address, info when this file
 * serves it nowhere.
 */
function reportMounts(ctx: PprofContext, file: GoFile, servings: readonly Serving[]): void {
  const mounts = nodesNamed(file, 'DefaultServeMux').flatMap((id) => {
    const sel = id.parent;
    if (id.type !== 'field_identifier' || sel?.type !== 'selector_expression' || !isPackageMember(file, sel, 'net/http', 'DefaultServeMux')) return [];
    const router = mountingRouter(file, sel);
    return router ? [{ sel, router }] : [];
  });
  if (mounts.length === 0) return;
  const others = ctx.resultOf(OTHERS_PPROF);
  if (!file.imports.has(PPROF) && !others.importsPprof) return;
  for (const { sel, router } of mounts) {
    const served = servings.filter((s) => s.handler !== undefined && mentionsPath(file, s.handler, router));
    const exposed = served.find((s) => s.addr.scope === 'public');
    if (served.length > 0 && !exposed) continue;
    ctx.report({
      node: sel,
      messageId: 'mounted',
      data: { router, where: exposed ? ` and is served on ${exposed.addr.text}` : '' },
      severity: exposed ? undefined : 'info',
    });
  }
}

/**
 * The router a registration call mounts `handler` on: the root of the selector chain of the
 * innermost enclosing method call that takes it (through wrappers such as `gin.WrapH(h)`), when
 * that root is a variable rather than a package. Serving calls (`http.ListenAndServe(addr, h)`,
 * `http.Handle` on the default mux itself) are not mounts.
 */
function mountingRouter(file: GoFile, handler: Node): string | undefined {
  for (let n: Node | null = handler.parent; n; n = n.parent) {
    if (n.type === 'argument_list' || n.type === 'parenthesized_expression') continue;
    if (n.type === 'keyed_element' || n.type === 'literal_value' || n.type === 'literal_element') return undefined;
    if (n.type !== 'call_expression') return undefined;
    const fn = n.childForFieldName('function');
    if (fn?.type !== 'selector_expression') return undefined;
    let root: Node | null = fn.childForFieldName('operand');
    while (root && (root.type === 'call_expression' || root.type === 'selector_expression')) {
      const next: Node | null = root.type === 'call_expression' ? root.childForFieldName('function') : root.childForFieldName('operand');
      if (!next) break;
      root = next;
    }
    if (!root || root.type !== 'identifier') return undefined;
    // A package function (`gin.WrapH(h)`, `echo.WrapHandler(h)`) wraps: look further out.
    if (file.imports.pathOf(root.text) !== undefined) {
      if (file.imports.pathOf(root.text) === 'net/http') return undefined;
      continue;
    }
    const operand = fn.childForFieldName('operand');
    return operand ? selectorPath(operand) ?? root.text : root.text;
  }
  return undefined;
}

/** The address of `l` when it is a local assigned from `net.Listen(network, addr)` / `tls.Listen(...)` before. */
function listenerAddress(file: GoFile, listener: Node): Node | undefined {
  const l = unparen(listener);
  if (l.type !== 'identifier') return undefined;
  const fn = enclosingFunction(l);
  for (const stmt of fn ? nodesOfType(file, fn, ['short_var_declaration', 'assignment_statement']) : []) {
    if (stmt.startIndex > l.startIndex || assignedNames(stmt)[0]?.text !== l.text) continue;
    const value = assignedValues(stmt).at(0);
    const info = value?.type === 'call_expression' ? describeCall(value) : undefined;
    if (info && (isPackageMember(file, info.callee, 'net', 'Listen') || isPackageMember(file, info.callee, 'crypto/tls', 'Listen'))) return info.args[1];
  }
  return undefined;
}

/** Rewrites the listener's address literal to 127.0.0.1:<port>. */
function bindLoopback(addr: ListenAddr): Fix[] {
  if (!addr.literal || !addr.port) return [];
  return [{
    title: `Bind the pprof listener to 127.0.0.1:${addr.port}`,
    safe: false,
    preferred: true,
    edits: [{ start: addr.literal.startIndex, end: addr.literal.endIndex, newText: `"127.0.0.1:${addr.port}"` }],
  }];
}

function isDefaultMux(file: GoFile, handler: Node | undefined): boolean {
  if (!handler) return true;
  const h = unparen(handler);
  return h.text === 'nil' || isPackageMember(file, h, 'net/http', 'DefaultServeMux');
}

/** Does `expr` use the mux at `muxPath` (`mux`, `logging(mux)`, `s.mux`)? */
function mentionsPath(file: GoFile, expr: Node, muxPath: string): boolean {
  if (selectorPath(expr) === muxPath) return true;
  return nodesOfType(file, expr, ['identifier', 'selector_expression']).some((n) => selectorPath(n) === muxPath);
}

function stringValue(node: Node): string | undefined {
  const n = unparen(node);
  return n.type === 'interpreted_string_literal' || n.type === 'raw_string_literal' ? unquoteGoString(n.text) : undefined;
}

