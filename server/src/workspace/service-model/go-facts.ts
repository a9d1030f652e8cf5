import type { Node } from 'web-tree-sitter';
import { defineAnalysis } from '../../core/analysis';
import type { Span } from '../../core/finding';
import { isGeneratedGo, type GoFile } from '../../languages/go/parser';
import { HTTPS_FACTS } from './https-facts';
import { declaredValue, keyedFields, packageStringValue } from '../../languages/go/literal';
import { isPackageMember } from '../../languages/go/pkg-ref';
import { describeCall, enclosingFunction, namedChildrenOf, unparen, type CallInfo } from '../../languages/go/syntax';
import { routeEvidence, type RouteEvidence } from './route-doubts';
import { ROUTER_IMPORTS, implicitRoutes, routeOf, spanOf, stringValue, type GoRoute, type RouteFramework } from './go-routes';
import { nodesOfType, nodesOrNone } from '../../languages/go/syntax-index';

export type { GoRoute, RouteFramework } from './go-routes';

/**
 * What one Go file tells the service model (a fact: plain data, cached by
 * content hash): whether it holds `func main`, the HTTP routes it registers,
 * the addresses it listens on, how it shuts down, and the imports that tune
 * the runtime for containers. The model joins the facts of a main package
 * and of the module's packages it imports.
 */

export interface GoListen {
  /** The address expression as written. */
  text: string;
  /** The port when known: a literal, or the default of the env variable or flag it comes from. */
  port?: number;
  /** `os.Getenv("PORT")` (or a `getEnv("PORT", "8080")` helper), with the default the code falls back to. */
  env?: { name: string; default?: string };
  /** A flag (`flag.String("addr", ":8080", ...)`), with its default. */
  flag?: { name: string; default?: string };
  /** What starts listening: `http.ListenAndServe`, `http.Server.Addr`, `net.Listen`, `gin.Run`, `echo.Start`, `fiber.Listen`. */
  via: string;
  span: Span;
}

export interface GoServiceFacts {
  packageName: string;
  /** `// Code generated ... DO NOT EDIT.`: the model leaves the file out. */
  generated: boolean;
  isTest: boolean;
  /** `func main()` in package main. */
  hasMain: boolean;
  /** Import paths (for the model's import graph inside a module). */
  imports: string[];
  routes: GoRoute[];
  /** How complete `routes` is: registrations the extractor could not read, routers it does not know, what servers serve. */
  routeEvidence: RouteEvidence;
  listens: GoListen[];
  /** Calls `Shutdown(ctx)` or gRPC's `GracefulStop()`. */
  shutdown: boolean;
  /** The deadline of the context passed to `Shutdown`: seconds, and the expression as written. */
  shutdownTimeout?: { seconds?: number; text: string; span: Span };
  /** Asks for SIGTERM (`signal.Notify`/`NotifyContext` with SIGTERM, or with no signal list). */
  sigterm: boolean;
  /** Evidence of outbound HTTPS (an `https://` literal or an SDK import), from `go/https-evidence`. */
  outboundHttps?: string;
  /** Imports `go.uber.org/automaxprocs` (GOMAXPROCS from the CPU quota). */
  automaxprocs: boolean;
  /** Imports `github.com/KimMachineGun/automemlimit` (GOMEMLIMIT from the memory limit). */
  automemlimit: boolean;
}

export const GO_SERVICE_FACTS = defineAnalysis({
  id: 'workspace/go-service-facts',
  on: 'go-file',
  fact: true,
  requires: [HTTPS_FACTS],
  build: (file, pass): GoServiceFacts => {
    const https = pass.resultOf(HTTPS_FACTS);
    return { ...extractGoFacts(file), outboundHttps: https.literal ?? https.sdk };
  },
});

const MAXPROCS = 'go.uber.org/automaxprocs';
const MEMLIMIT = 'github.com/KimMachineGun/automemlimit';

export function extractGoFacts(file: GoFile): Omit<GoServiceFacts, 'outboundHttps'> {
  const imports = file.imports.all.map((i) => i.path);
  const routers = new Set(ROUTER_IMPORTS.filter(([p]) => imports.includes(p)).map(([, f]) => f));
  const facts: Omit<GoServiceFacts, 'outboundHttps'> = {
    packageName: file.packageName,
    generated: isGeneratedGo(file.source.text),
    isTest: file.isTest,
    hasMain: file.packageName === 'main' && hasMainFunc(file),
    imports,
    routes: [],
    routeEvidence: { doubts: [], routerNames: [], servedHandlers: [] },
    listens: [],
    shutdown: false,
    sigterm: false,
    automaxprocs: imports.some((p) => p === MAXPROCS || p.startsWith(`${MAXPROCS}/`)),
    automemlimit: imports.some((p) => p === MEMLIMIT || p.startsWith(`${MEMLIMIT}/`)),
  };
  const routeCalls = new Set<number>();
  // Every call described once, shared with the route evidence: the two walks and descriptions were most of a file's cost.
  const calls: CallInfo[] = [];
  for (const call of nodesOfType(file, file.root, 'call_expression')) {
    const info = describeCall(call);
    if (!info) continue;
    calls.push(info);
    const route = routeOf(file, info, routers);
    if (route) {
      facts.routes.push(route);
      routeCalls.add(info.call.id);
    }
    const listen = listenOf(file, info, routers);
    if (listen) facts.listens.push(listen);
    if (info.receiver && (info.name === 'GracefulStop' || (info.name === 'Shutdown' && info.args.length === 1))) {
      facts.shutdown = true;
      if (info.name === 'Shutdown' && !facts.shutdownTimeout) facts.shutdownTimeout = deadlineOf(info.args[0]);
    }
    if (callAsksForSigterm(file, info)) facts.sigterm = true;
  }
  const servers = httpServerLiterals(file);
  for (const { body } of servers) {
    const addr = keyedFields(body)?.get('Addr');
    if (addr) facts.listens.push({ ...resolveAddr(file, addr, 0), via: 'http.Server.Addr', span: spanOf(addr) });
  }
  facts.routes.push(...implicitRoutes(file));
  facts.routeEvidence = routeEvidence(file, calls, servers, (info) => routeCalls.has(info.call.id));
  return facts;
}

/**
 * The `http.Server{...}` literals of a file (type and body). A literal of that
 * type names `Server` in its text: a file without the word has none, and the
 * walk over every composite literal is skipped.
 */
export function httpServerLiterals(file: GoFile): { type: Node; body: Node }[] {
  if (!file.source.text.includes('Server')) return [];
  const out: { type: Node; body: Node }[] = [];
  for (const lit of nodesOfType(file, file.root, 'composite_literal')) {
    const type = lit.childForFieldName('type');
    const body = lit.childForFieldName('body');
    if (type && body && isPackageMember(file, type, 'net/http', 'Server')) out.push({ type, body });
  }
  return out;
}

/** Does this `signal.Notify`/`NotifyContext` call ask for SIGTERM (or for every signal)? */
export function asksForSigterm(file: GoFile, call: Node): boolean {
  const info = describeCall(call);
  return info !== undefined && callAsksForSigterm(file, info);
}

function callAsksForSigterm(file: GoFile, info: CallInfo): boolean {
  if ((info.name !== 'Notify' && info.name !== 'NotifyContext') || !isPackageMember(file, info.callee, 'os/signal', info.name)) return false;
  if (info.args.length === 1 && !info.variadicSpread) return true; // no signal listed: all incoming signals
  return info.args.slice(1).some((a) => /(^|\.)SIGTERM$/.test(a.text)) || info.variadicSpread;
}

function hasMainFunc(file: GoFile): boolean {
  return namedChildrenOf(file.root).some((d) => d.type === 'function_declaration' && d.childForFieldName('name')?.text === 'main'
    && namedChildrenOf(d.childForFieldName('parameters')).length === 0);
}

// ---- listen addresses ----

function listenOf(file: GoFile, info: CallInfo, routers: ReadonlySet<RouteFramework>): GoListen | undefined {
  const at = (arg: Node | undefined, via: string): GoListen | undefined => (arg ? { ...resolveAddr(file, arg, 0), via, span: spanOf(arg) } : undefined);
  if ((info.name === 'ListenAndServe' || info.name === 'ListenAndServeTLS') && isPackageMember(file, info.callee, 'net/http', info.name)) return at(info.args[0], `http.${info.name}`);
  if (info.name === 'Listen' && isPackageMember(file, info.callee, 'net', 'Listen')) return at(info.args[1], 'net.Listen');
  if (!info.receiver || (info.receiver.type === 'identifier' && file.imports.pathOf(info.receiver.text) !== undefined)) return undefined;
  if (info.name === 'Run' && routers.has('gin') && info.args.length <= 1) {
    // gin's Run() with no address reads PORT, else :8080.
    if (info.args.length === 0) return { text: '', port: 8080, env: { name: 'PORT', default: '8080' }, via: 'gin.Run', span: spanOf(info.call) };
    return at(info.args[0], 'gin.Run');
  }
  if (info.name === 'Start' && routers.has('echo') && info.args.length === 1) return at(info.args[0], 'echo.Start');
  if (info.name === 'Listen' && routers.has('fiber') && info.args.length >= 1) return at(info.args[0], 'fiber.Listen');
  return undefined;
}

type Addr = Omit<GoListen, 'via' | 'span'>;

function portOf(text: string | undefined): number | undefined {
  const m = /^(?:.*:)?(\d{1,5})$/.exec(text?.trim() ?? '');
  const n = m ? Number.parseInt(m[1], 10) : NaN;
  return n > 0 && n < 65536 ? n : undefined;
}

/** What an address expression is: a literal, an env variable with its default, a flag with its default, or text. */
function resolveAddr(file: GoFile, expr: Node, depth: number): Addr {
  const e = unparen(expr);
  const text = e.text;
  if (depth > 4) return { text };
  const literal = stringValue(e);
  if (literal !== undefined) return { text, port: portOf(literal) };
  if (e.type === 'identifier') {
    const value = declaredValue(e) ?? packageStringValue(file.root, e.text);
    const flagVar = value ? undefined : flagVarFor(file, e);
    if (flagVar) return { text, port: portOf(flagVar.default), flag: flagVar };
    if (!value) return { text };
    const inner = resolveAddr(file, value, depth + 1);
    if (inner.env && inner.env.default === undefined) {
      const fallback = emptyFallback(file, e);
      if (fallback !== undefined) return { text, env: { ...inner.env, default: fallback }, port: portOf(fallback) };
    }
    return { ...inner, text };
  }
  if (e.type === 'unary_expression' && e.childForFieldName('operator')?.text === '*') {
    const operand = e.childForFieldName('operand');
    const inner = operand ? resolveAddr(file, operand, depth + 1) : undefined;
    return inner ? { ...inner, text } : { text };
  }
  if (e.type === 'binary_expression') {
    const right = e.childForFieldName('right');
    const inner = right ? resolveAddr(file, right, depth + 1) : undefined;
    return inner ? { ...inner, text } : { text };
  }
  if (e.type === 'call_expression') {
    const info = describeCall(e);
    if (!info) return { text };
    if (isPackageMember(file, info.callee, 'os', 'Getenv', 'LookupEnv')) {
      const name = stringValue(info.args[0]);
      return name ? { text, env: { name } } : { text };
    }
    const flag = flagDefault(file, info);
    if (flag) return { text, flag, port: portOf(flag.default) };
    if (isPackageMember(file, info.callee, 'fmt', 'Sprintf') || isPackageMember(file, info.callee, 'net', 'JoinHostPort')) {
      const arg = info.args.at(1);
      return arg ? { ...resolveAddr(file, arg, depth + 1), text } : { text };
    }
    if (isPackageMember(file, info.callee, 'strconv', 'Itoa')) {
      const arg = info.args.at(0);
      return arg ? { ...resolveAddr(file, arg, depth + 1), text } : { text };
    }
    // A helper `getEnv("PORT", "8080")`: an env name and its default, by the helper's name.
    const a = stringValue(info.args[0]);
    const b = stringValue(info.args[1]);
    if (/env/i.test(info.name) && a && /^[A-Z_][A-Z0-9_]*$/.test(a) && info.args.length === 2) return { text, env: { name: a, default: b }, port: portOf(b) };
  }
  return { text };
}

/** `flag.String("addr", ":8080", ...)`, `flag.Int("port", 8080, ...)` (and `pflag`). */
function flagDefault(file: GoFile, info: CallInfo): { name: string; default?: string } | undefined {
  if (!/^(String|Int|Uint)$/.test(info.name)) return undefined;
  if (!isPackageMember(file, info.callee, 'flag', info.name) && !isPackageMember(file, info.callee, 'github.com/spf13/pflag', info.name)) return undefined;
  const name = stringValue(info.args[0]);
  if (!name) return undefined;
  const def = info.args[1] ? unparen(info.args[1]) : undefined;
  return { name, default: def ? stringValue(def) ?? (def.type === 'int_literal' ? def.text : undefined) : undefined };
}

/** `flag.StringVar(&addr, "addr", ":8080", ...)` binding the variable `ident` names. */
function flagVarFor(file: GoFile, ident: Node): { name: string; default?: string } | undefined {
  for (const call of nodesOfType(file, file.root, 'call_expression')) {
    const info = describeCall(call);
    if (!info || !/^(String|Int|Uint)Var$/.test(info.name)) continue;
    if (!isPackageMember(file, info.callee, 'flag', info.name) && !isPackageMember(file, info.callee, 'github.com/spf13/pflag', info.name)) continue;
    const target = info.args[0] ? unparen(info.args[0]) : undefined;
    if (target?.type !== 'unary_expression' || target.childForFieldName('operand')?.text !== ident.text) continue;
    const name = stringValue(info.args[1]);
    const def = info.args[2] ? unparen(info.args[2]) : undefined;
    if (name) return { name, default: def ? stringValue(def) ?? (def.type === 'int_literal' ? def.text : undefined) : undefined };
  }
  return undefined;
}

/** `if port == "" { port = "8080" }` in the function using `ident`: the fallback literal. */
function emptyFallback(file: GoFile, ident: Node): string | undefined {
  const scope = enclosingFunction(ident);
  if (!scope) return undefined;
  for (const stmt of nodesOfType(file, scope, 'if_statement')) {
    const cond = stmt.childForFieldName('condition');
    if (!cond || !new RegExp(`^${ident.text}\\s*==\\s*""$`).test(cond.text.trim())) continue;
    for (const assign of nodesOrNone(file, stmt.childForFieldName('consequence'), 'assignment_statement')) {
      const left = namedChildrenOf(assign.childForFieldName('left'));
      const right = namedChildrenOf(assign.childForFieldName('right'));
      if (left.length === 1 && left[0].text === ident.text) {
        const v = stringValue(right[0]);
        if (v !== undefined) return v;
      }
    }
  }
  return undefined;
}

// ---- shutdown ----

/** `ctx, cancel := context.WithTimeout(parent, 10*time.Second)` passed to Shutdown: the deadline. */
function deadlineOf(arg: Node | undefined): GoServiceFacts['shutdownTimeout'] {
  if (!arg) return undefined;
  const a = unparen(arg);
  const value = a.type === 'identifier' ? declaredValue(a) : a;
  const info = value?.type === 'call_expression' ? describeCall(value) : undefined;
  if (!info || info.name !== 'WithTimeout' || !info.args[1]) return undefined;
  const d = info.args[1];
  return { text: d.text, seconds: durationSeconds(d.text), span: spanOf(d) };
}

const UNIT_SECONDS: ReadonlyMap<string, number> = new Map([['Nanosecond', 1e-9], ['Microsecond', 1e-6], ['Millisecond', 1e-3], ['Second', 1], ['Minute', 60], ['Hour', 3600]]);

/** `10*time.Second`, `time.Second * 10`, `30 * time.Second`, `time.Minute`: seconds; undefined otherwise. */
export function durationSeconds(text: string): number | undefined {
  const t = text.replace(/\s+/g, '');
  const times = (n: string, unit: string): number | undefined => {
    const u = UNIT_SECONDS.get(unit);
    return u === undefined ? undefined : Number.parseFloat(n) * u;
  };
  const a = /^(\d+(?:\.\d+)?)\*time\.(\w+)$/.exec(t);
  if (a) return times(a[1], a[2]);
  const b = /^time\.(\w+)\*(\d+(?:\.\d+)?)$/.exec(t);
  if (b) return times(b[2], b[1]);
  const single = /^time\.(\w+)$/.exec(t);
  return single ? times('1', single[1]) : undefined;
}
