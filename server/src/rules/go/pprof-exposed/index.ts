/**
 * Flags net/http/pprof handlers reachable from the network: the default mux
 * (where importing net/http/pprof registers them) served on a non-loopback
 * address by `http.ListenAndServe[TLS](addr, nil)` or an `http.Server` without
 * its own Handler, in a package that imports net/http/pprof (any file); and
 * `/debug/pprof` routes registered on a mux that this file serves on a
 * non-loopback address. Silent for loopback addresses, addresses from
 * configuration (unknown), and muxes served nowhere in the file.
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
import { describeCall, selectorPath, unparen } from '../../../languages/go/syntax';
import { NET_HTTP_IMPORT_QUERY, qualifiedLiteralsNamed, selectorCallsNamed } from '../../../languages/go/model/names';

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
    for (const call of file.root.descendantsOfType('call_expression')) {
      const info = call ? describeCall(call) : undefined;
      if (!info || (info.name !== 'Handle' && info.name !== 'HandleFunc') || !httpNames.has(info.receiverPath ?? '')) continue;
      const first = info.args[0];
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
      const serving = publicServings.find((s) => s.handler !== undefined && mentionsPath(s.handler, r.recvPath ?? ''));
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
function mentionsPath(expr: Node, muxPath: string): boolean {
  if (selectorPath(expr) === muxPath) return true;
  return expr.descendantsOfType(['identifier', 'selector_expression']).some((n) => n !== null && selectorPath(n) === muxPath);
}

function stringValue(node: Node): string | undefined {
  const n = unparen(node);
  return n.type === 'interpreted_string_literal' || n.type === 'raw_string_literal' ? unquoteGoString(n.text) : undefined;
}

