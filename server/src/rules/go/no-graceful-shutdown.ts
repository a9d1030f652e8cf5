/**
 * Flags the calls that start an HTTP server (`http.ListenAndServe[TLS]`,
 * `srv.ListenAndServe[TLS]()`) in a `main` package that nowhere calls
 * `Shutdown` (or gRPC's `GracefulStop`) and nowhere asks for SIGTERM
 * (`signal.Notify`/`signal.NotifyContext` with `syscall.SIGTERM`, or with no
 * signal list, which means all). Framework servers too (`server-frameworks.ts`):
 * gin's `Run*`, echo's `Start*`, fiber's `Listen*`, negroni's `Run`, gRPC's
 * `Serve`; their `Shutdown`, `ShutdownWithTimeout`, `ShutdownWithContext`
 * and `GracefulStop` count as shutdowns. Any file of the package counts. Skipped:
 * other packages (a library does not own the process), `_test.go` files.
 * Info severity, no fix: the right shutdown depends on the program.
 */
import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import { defineGoRule, type RuleContext } from '../../engine/rule';
import { defineAnalysis } from '../../core/analysis';
import type { GoFile } from '../../languages/go/parser';
import { isPackageMember } from '../../languages/go/pkg-ref';
import { describeCall } from '../../languages/go/syntax';
import { GO_TYPES_CALLS, type GoTypeResolver } from '../../languages/go/model/types';
import { NET_HTTP_IMPORT_QUERY, selectorCallsNamed } from '../../languages/go/model/names';
import { frameworkServerStarts } from '../../languages/go/model/server-frameworks';
import { asksForSigterm } from '../../workspace/service-model/go-facts';
import { nodesOfType } from '../../languages/go/syntax-index';

const START_METHODS = new Set(['ListenAndServe', 'ListenAndServeTLS']);
const SHUTDOWN_METHODS = new Set(['Shutdown', 'GracefulStop', 'ShutdownWithTimeout', 'ShutdownWithContext']);

interface ShutdownFacts {
  packageName: string;
  graceful: boolean;
  /**
   * Functions and methods (by name) that shut down gracefully: their body asks for SIGTERM or calls
   * Shutdown/GracefulStop, or calls such a function of the same file. Read by main packages that
   * call into this package (a helper package of the same module).
   */
  gracefulFuncs: string[];
}

function isShutdownCall(call: Node): boolean {
  const info = describeCall(call);
  return info !== undefined && info.receiver !== undefined && SHUTDOWN_METHODS.has(info.name);
}

/** What one file contributes: one pass over its calls, once per file content. */
function extractShutdownFacts(file: GoFile): ShutdownFacts {
  let graceful = false;
  const direct = new Set<string>();
  const callsOf = new Map<string, Set<string>>();
  for (const call of nodesOfType(file, file.root, 'call_expression')) {
    const owner = topLevelFuncName(call);
    if (isShutdownCall(call) || asksForSigterm(file, call)) {
      graceful = true;
      if (owner) direct.add(owner);
      continue;
    }
    const info = describeCall(call);
    // Calls of the file's own functions (`waitForSignal()`) and methods (`s.shutdown()`), by name.
    const callee = info && (!info.receiver || !file.imports.pathOf(info.receiver.text)) ? info.name : undefined;
    if (owner && callee) {
      const set = callsOf.get(owner) ?? new Set<string>();
      set.add(callee);
      callsOf.set(owner, set);
    }
  }
  const gracefulFuncs = new Set(direct);
  for (let changed = true; changed;) {
    changed = false;
    for (const [fn, callees] of callsOf) {
      if (gracefulFuncs.has(fn) || ![...callees].some((c) => gracefulFuncs.has(c))) continue;
      gracefulFuncs.add(fn);
      changed = true;
    }
  }
  return { packageName: file.packageName, graceful, gracefulFuncs: [...gracefulFuncs].sort() };
}

/** The name of the function or method declaration a node is in (func literals belong to it). */
function topLevelFuncName(node: Node): string | undefined {
  for (let n: Node | null = node.parent; n; n = n.parent) {
    if (n.type === 'function_declaration' || n.type === 'method_declaration') return n.childForFieldName('name')?.text;
  }
  return undefined;
}

/**
 * Does main call into a package of its own module (go.mod's module path) whose functions shut down
 * gracefully (`app.Run(cfg)`, `server.WaitForShutdown(srv)`)? Package functions by name; methods of
 * that package's types by name too (their receiver's type is another package's, not known here):
 * an over-lenient answer only silences.
 */
function callsGracefulHelper(file: GoFile, workspace: RuleContext<unknown>['workspace']): boolean {
  const mod = workspace.goModFor(file.path);
  if (!mod?.module) return false;
  const root = path.dirname(mod.path);
  const local = new Map<string, string>();
  for (const imp of file.imports.all) {
    if (imp.path === mod.module || imp.path.startsWith(`${mod.module}/`)) local.set(imp.localName, path.join(root, imp.path.slice(mod.module.length)));
  }
  if (local.size === 0) return false;
  const pkg = workspace.goPackage(file);
  const gracefulByDir = new Map<string, Set<string>>();
  const graceful = (dir: string): Set<string> => {
    let set = gracefulByDir.get(dir);
    if (!set) {
      set = new Set(pkg.packageFactsAt(dir, SHUTDOWN_FACTS).flatMap((f) => f.gracefulFuncs));
      gracefulByDir.set(dir, set);
    }
    return set;
  };
  const anyLocal = (name: string): boolean => [...new Set(local.values())].some((dir) => graceful(dir).has(name));
  for (const call of nodesOfType(file, file.root, 'call_expression')) {
    const info = describeCall(call);
    if (!info?.receiver) continue;
    const dir = info.receiver.type === 'identifier' ? local.get(info.receiver.text) : undefined;
    if (dir !== undefined ? graceful(dir).has(info.name) : anyLocal(info.name)) return true;
  }
  return false;
}

const SHUTDOWN_FACTS = defineAnalysis({ id: 'go/shutdown-facts', on: 'go-file', fact: true, build: extractShutdownFacts });

/** Does another (non-test) file of the package shut down gracefully? */
const OTHERS_GRACEFUL = defineAnalysis({
  id: 'go/package-graceful',
  on: 'go-package',
  build: (pkg): boolean => pkg.otherFacts(SHUTDOWN_FACTS, { nonTest: true }).some((f) => f.graceful),
});

export const rule = defineGoRule({
  id: 'go/no-graceful-shutdown',
  meta: {
    title: 'HTTP server without graceful shutdown',
    description: 'A main package that starts an HTTP server but never calls Shutdown nor handles SIGTERM drops in-flight requests on every deploy and scale-down.',
    severity: 'info',
    fixable: false,
    messages: {
      noShutdown: '{call} starts a server, but main never calls Shutdown nor handles SIGTERM; deploys cut requests',
      noGracefulStop: '{call} starts a gRPC server, but main never calls GracefulStop nor handles SIGTERM; deploys cut RPCs',
    },
  },
  // Nodes are found by name (go-names.ts): cheaper than call patterns in the merged query.
  analyses: [OTHERS_GRACEFUL, GO_TYPES_CALLS],
  queries: { imports: NET_HTTP_IMPORT_QUERY },
  check(ctx, file) {
    if (file.packageName !== 'main' || file.isTest) return;
    let types: GoTypeResolver | undefined;
    const typesOf = (): GoTypeResolver => (types ??= ctx.resultOf(GO_TYPES_CALLS));
    const starts: { fn: Node; grpc: boolean }[] = selectorCallsNamed(file, [...START_METHODS])
      .filter((m) => isServerStart(file, m.fn, m.recv, m.name.text, typesOf)).map((m) => ({ fn: m.fn, grpc: false }));
    for (const f of frameworkServerStarts(file, typesOf)) if (!f.selfGraceful) starts.push({ fn: f.fn, grpc: f.framework === 'grpc' });
    if (starts.length === 0) return;
    if (selectorCallsNamed(file, [...SHUTDOWN_METHODS]).some((m) => isShutdownCall(m.call))) return;
    if (selectorCallsNamed(file, ['Notify', 'NotifyContext']).some((m) => asksForSigterm(file, m.call))) return;
    if (ctx.resultOf(OTHERS_GRACEFUL)) return;
    if (callsGracefulHelper(file, ctx.workspace)) return;
    starts.sort((a, b) => a.fn.startIndex - b.fn.startIndex);
    for (const m of starts) ctx.report({ node: m.fn, messageId: m.grpc ? 'noGracefulStop' : 'noShutdown', data: { call: m.fn.text } });
  },
});

/**
 * `http.ListenAndServe[TLS](...)`, or a method `x.ListenAndServe[TLS]()` whose receiver's type is (or
 * embeds) net/http's Server, by the type model: a type's own method of that name is not a server start.
 */
function isServerStart(file: GoFile, fn: Node, recv: Node, name: string, types: () => GoTypeResolver): boolean {
  if (!START_METHODS.has(name)) return false;
  if (isPackageMember(file, fn, 'net/http', name)) return true;
  if (recv.type === 'identifier' && file.imports.pathOf(recv.text) !== undefined) return false; // another package's function
  const t = types();
  const owner = t.methodOwner(t.typeOf(recv), name);
  return owner?.path === 'net/http' && owner.name === 'Server';
}
