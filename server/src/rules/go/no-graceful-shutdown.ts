/**
 * Flags the calls that start an HTTP server (`http.ListenAndServe[TLS]`,
 * `srv.ListenAndServe[TLS]()`) in a `main` package that nowhere calls
 * `Shutdown` (or gRPC's `GracefulStop`) and nowhere asks for SIGTERM
 * (`signal.Notify`/`signal.NotifyContext` with `syscall.SIGTERM`, or with no
 * signal list, which means all). Any file of the package counts. Skipped:
 * other packages (a library does not own the process), `_test.go` files.
 * Info severity, no fix: the right shutdown depends on the program.
 */
import type { Node } from 'web-tree-sitter';
import { defineGoRule } from '../../engine/rule';
import { defineAnalysis } from '../../core/analysis';
import type { GoFile } from '../../languages/go/parser';
import { isPackageMember } from '../../languages/go/pkg-ref';
import { describeCall } from '../../languages/go/syntax';
import { NET_HTTP_IMPORT_QUERY, selectorCallsNamed } from '../../languages/go/model/names';

const START_METHODS = new Set(['ListenAndServe', 'ListenAndServeTLS']);
const SHUTDOWN_METHODS = new Set(['Shutdown', 'GracefulStop']);

interface ShutdownFacts {
  packageName: string;
  graceful: boolean;
}

/** Does this `signal.Notify`/`NotifyContext` call ask for SIGTERM (or for every signal)? */
function asksForSigterm(file: GoFile, call: Node): boolean {
  const info = describeCall(call);
  if (!info || (info.name !== 'Notify' && info.name !== 'NotifyContext') || !isPackageMember(file, info.callee, 'os/signal', info.name)) return false;
  if (info.args.length === 1 && !info.variadicSpread) return true; // no signal listed: all incoming signals
  return info.args.slice(1).some((a) => /(^|\.)SIGTERM$/.test(a.text)) || info.variadicSpread;
}

function isShutdownCall(call: Node): boolean {
  const info = describeCall(call);
  return info !== undefined && info.receiver !== undefined && SHUTDOWN_METHODS.has(info.name);
}

/** What one file contributes: one pass over its calls, once per file content. */
function extractShutdownFacts(file: GoFile): ShutdownFacts {
  let graceful = false;
  for (const call of file.root.descendantsOfType('call_expression')) {
    if (call && (isShutdownCall(call) || asksForSigterm(file, call))) {
      graceful = true;
      break;
    }
  }
  return { packageName: file.packageName, graceful };
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
    },
  },
  // Nodes are found by name (go-names.ts): cheaper than call patterns in the merged query.
  analyses: [OTHERS_GRACEFUL],
  queries: { imports: NET_HTTP_IMPORT_QUERY },
  check(ctx, file) {
    if (file.packageName !== 'main' || file.isTest) return;
    const starts = selectorCallsNamed(file, [...START_METHODS]).filter((m) => isServerStart(file, m.fn, m.recv, m.name.text, m.call));
    if (starts.length === 0) return;
    if (selectorCallsNamed(file, [...SHUTDOWN_METHODS]).some((m) => isShutdownCall(m.call))) return;
    if (selectorCallsNamed(file, ['Notify', 'NotifyContext']).some((m) => asksForSigterm(file, m.call))) return;
    if (ctx.resultOf(OTHERS_GRACEFUL)) return;
    for (const m of starts) ctx.report({ node: m.fn, messageId: 'noShutdown', data: { call: m.fn.text } });
  },
});

/** `http.ListenAndServe[TLS](...)`, or a method `x.ListenAndServe()` / `x.ListenAndServeTLS(cert, key)` (an http.Server's). */
function isServerStart(file: GoFile, fn: Node, recv: Node, name: string, call: Node): boolean {
  if (!START_METHODS.has(name)) return false;
  if (isPackageMember(file, fn, 'net/http', name)) return true;
  if (recv.type === 'identifier' && file.imports.pathOf(recv.text) !== undefined) return false; // another package's function
  const argc = describeCall(call)?.args.length;
  return argc === (name === 'ListenAndServe' ? 0 : 2);
}

