import type { Node } from 'web-tree-sitter';
import { defineAnalysis } from '../../core/analysis';
import type { Span } from '../../core/finding';
import { isGeneratedGo, type GoFile } from '../../languages/go/parser';
import { HTTPS_FACTS } from './https-facts';
import { unquoteGoString } from '../../languages/go/imports';
import { declaredValue, keyedFields, packageStringValue } from '../../languages/go/literal';
import { isPackageMember } from '../../languages/go/pkg-ref';
import { describeCall, enclosingFunction, namedChildrenOf, unparen, type CallInfo } from '../../languages/go/syntax';
import { routeEvidence, type RouteEvidence } from './route-doubts';

/**
 * What one Go file tells the service model (a fact: plain data, cached by
 * content hash): whether it holds `func main`, the HTTP routes it registers,
 * the addresses it listens on, how it shuts down, and the imports that tune
 * the runtime for containers. The model joins the facts of a main package
 * and of the module's packages it imports.
 */

export type RouteFramework = 'net/http' | 'gorilla/mux' | 'chi' | 'gin' | 'echo' | 'fiber' | 'grpc-health';

export interface GoRoute {
  framework: RouteFramework;
  /** Upper-case HTTP method when the registration names one (`GET /healthz`, `r.Get`, `.Methods("GET")`). */
  method?: string;
  /** The path as registered, group prefixes joined (`/api/v1/items`); the gRPC health service's name for `grpc-health`. */
  path: string;
  /** A prefix computed at run time (`baseUrl + "/cart"`): its expression; the path is matched as if it were empty. */
  dynamicPrefix?: string;
  span: Span;
}

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

const ROUTER_IMPORTS: readonly [string, RouteFramework][] = [
  ['github.com/gorilla/mux', 'gorilla/mux'],
  ['github.com/go-chi/chi/v5', 'chi'], ['github.com/go-chi/chi', 'chi'],
  ['github.com/gin-gonic/gin', 'gin'],
  ['github.com/labstack/echo/v4', 'echo'], ['github.com/labstack/echo', 'echo'],
  ['github.com/gofiber/fiber/v2', 'fiber'], ['github.com/gofiber/fiber/v3', 'fiber'], ['github.com/gofiber/fiber', 'fiber'],
];
const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'CONNECT', 'TRACE'];
/** chi and fiber: `r.Get`; gin and echo: `r.GET`. */
const TITLE_METHODS = new Map(HTTP_METHODS.map((m) => [m[0] + m.slice(1).toLowerCase(), m]));
const UPPER_METHODS = new Set([...HTTP_METHODS, 'Any']);
const MAXPROCS = 'go.uber.org/automaxprocs';
const MEMLIMIT = 'github.com/KimMachineGun/automemlimit';
const GRPC_HEALTH = 'google.golang.org/grpc/health/grpc_health_v1';

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
  for (const call of file.root.descendantsOfType('call_expression')) {
    const info = call ? describeCall(call) : undefined;
    if (!info) continue;
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
    if (asksForSigterm(file, call as Node)) facts.sigterm = true;
  }
  for (const lit of file.root.descendantsOfType('composite_literal')) {
    const type = lit?.childForFieldName('type');
    const body = lit?.childForFieldName('body');
    if (!type || !body || !isPackageMember(file, type, 'net/http', 'Server')) continue;
    const addr = keyedFields(body)?.get('Addr');
    if (addr) facts.listens.push({ ...resolveAddr(file, addr, 0), via: 'http.Server.Addr', span: spanOf(addr) });
  }
  facts.routes.push(...implicitRoutes(file));
  facts.routeEvidence = routeEvidence(file, (info) => routeCalls.has(info.call.id));
  return facts;
}

/** Does this `signal.Notify`/`NotifyContext` call ask for SIGTERM (or for every signal)? */
export function asksForSigterm(file: GoFile, call: Node): boolean {
  const info = describeCall(call);
  if (!info || (info.name !== 'Notify' && info.name !== 'NotifyContext') || !isPackageMember(file, info.callee, 'os/signal', info.name)) return false;
  if (info.args.length === 1 && !info.variadicSpread) return true; // no signal listed: all incoming signals
  return info.args.slice(1).some((a) => /(^|\.)SIGTERM$/.test(a.text)) || info.variadicSpread;
}

/** Routes standard packages register on http.DefaultServeMux when imported (`net/http/pprof`, `expvar`). */
function implicitRoutes(file: GoFile): GoRoute[] {
  const at = { start: 0, end: 0 };
  const out: GoRoute[] = [];
  if (file.imports.has('net/http/pprof')) out.push({ framework: 'net/http', path: '/debug/pprof/', span: at });
  if (file.imports.has('expvar')) out.push({ framework: 'net/http', path: '/debug/vars', span: at });
  return out;
}

function hasMainFunc(file: GoFile): boolean {
  return namedChildrenOf(file.root).some((d) => d.type === 'function_declaration' && d.childForFieldName('name')?.text === 'main'
    && namedChildrenOf(d.childForFieldName('parameters')).length === 0);
}

function spanOf(node: Node): Span {
  return { start: node.startIndex, end: node.endIndex };
}

function stringValue(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  const n = unparen(node);
  return n.type === 'interpreted_string_literal' || n.type === 'raw_string_literal' ? unquoteGoString(n.text) : undefined;
}

/** A string literal, or an identifier a `const`/`var`/`:=` in view binds to one (`const healthPath = "/healthz"`). */
function pathValue(file: GoFile, node: Node | undefined): string | undefined {
  const literal = stringValue(node);
  if (literal !== undefined || !node) return literal;
  const n = unparen(node);
  if (n.type !== 'identifier') return undefined;
  return stringValue(declaredValue(n) ?? packageStringValue(file.root, n.text));
}

// ---- routes ----

function routeOf(file: GoFile, info: CallInfo, routers: ReadonlySet<RouteFramework>): GoRoute | undefined {
  if (!info.receiver) return undefined;
  if (info.name === 'RegisterHealthServer' && isPackageMember(file, info.callee, GRPC_HEALTH, 'RegisterHealthServer')) {
    return { framework: 'grpc-health', path: 'grpc.health.v1.Health', span: spanOf(info.call) };
  }
  const dyn = dynamicPath(info.args[0]);
  const first = pathValue(file, info.args[0]) ?? dyn?.path;
  const second = pathValue(file, info.args[1]);
  const extra = dyn ? { dynamicPrefix: dyn.prefix } : {};
  const recvIsPackage = info.receiver.type === 'identifier' && file.imports.pathOf(info.receiver.text) !== undefined;
  if (info.name === 'HandleFunc' || info.name === 'Handle') {
    if (first === undefined || info.args.length !== 2) return undefined;
    if (recvIsPackage && !isPackageMember(file, info.callee, 'net/http', info.name)) return undefined;
    const framework: RouteFramework = recvIsPackage ? 'net/http' : routers.has('gorilla/mux') ? 'gorilla/mux' : routers.has('chi') ? 'chi' : 'net/http';
    if (framework === 'net/http') {
      // Go 1.22 patterns: "[METHOD ][HOST]/path".
      const m = /^(?:([A-Z]+)\s+)?([^/\s]*)(\/\S*)$/.exec(first.trim());
      if (!m) return undefined;
      return { framework, method: m[1], path: m[3], span: spanOf(info.call), ...extra };
    }
    if (!first.startsWith('/')) return undefined;
    const method = framework === 'gorilla/mux' ? chainedMethods(info.call) : undefined;
    return { framework, method, path: prefixOf(info.receiver, framework) + first, span: spanOf(info.call), ...extra };
  }
  if (recvIsPackage) return undefined;
  // chi `r.Method("GET", "/x", h)`.
  if ((info.name === 'Method' || info.name === 'MethodFunc') && routers.has('chi') && first && second?.startsWith('/') && info.args.length === 3) {
    return { framework: 'chi', method: first.toUpperCase(), path: prefixOf(info.receiver, 'chi') + second, span: spanOf(info.call) };
  }
  if (first === undefined || !first.startsWith('/') || info.args.length < 2) return undefined;
  const title = TITLE_METHODS.get(info.name);
  if (title && (routers.has('chi') || routers.has('fiber'))) {
    const framework: RouteFramework = routers.has('chi') ? 'chi' : 'fiber';
    return { framework, method: title, path: prefixOf(info.receiver, framework) + first, span: spanOf(info.call), ...extra };
  }
  if (info.name === 'All' && routers.has('fiber')) return { framework: 'fiber', path: prefixOf(info.receiver, 'fiber') + first, span: spanOf(info.call) };
  if (UPPER_METHODS.has(info.name) && (routers.has('gin') || routers.has('echo'))) {
    const framework: RouteFramework = routers.has('gin') ? 'gin' : 'echo';
    return { framework, method: info.name === 'Any' ? undefined : info.name, path: prefixOf(info.receiver, framework) + first, span: spanOf(info.call), ...extra };
  }
  return undefined;
}

/** gorilla/mux `r.HandleFunc(...).Methods("GET")`: the first method named. */
function chainedMethods(call: Node): string | undefined {
  const sel = call.parent;
  if (sel?.type !== 'selector_expression' || sel.childForFieldName('field')?.text !== 'Methods') return undefined;
  const outer = sel.parent;
  const info = outer ? describeCall(outer) : undefined;
  const arg = info?.args[0];
  return stringValue(arg)?.toUpperCase() ?? (arg ? /^http\.Method(\w+)$/.exec(arg.text)?.[1]?.toUpperCase() : undefined);
}

/** `base + "/cart"`: a run-time prefix and a literal path. */
function dynamicPath(node: Node | undefined): { prefix: string; path: string } | undefined {
  const n = node ? unparen(node) : undefined;
  if (n?.type !== 'binary_expression' || n.childForFieldName('operator')?.text !== '+') return undefined;
  const right = n.childForFieldName('right');
  const left = n.childForFieldName('left');
  const path = stringValue(right ?? undefined);
  return path?.startsWith('/') && left && stringValue(left) === undefined ? { prefix: left.text, path } : undefined;
}

/**
 * The path prefix a router value carries: `g := r.Group("/api")` (gin, echo,
 * fiber), `s := r.PathPrefix("/api").Subrouter()` (gorilla), or chi's
 * `r.Route("/api", func(r chi.Router) {...})` around the call. Nested groups join.
 */
function prefixOf(receiver: Node, framework: RouteFramework, depth = 0): string {
  if (depth > 4) return '';
  const recv = unparen(receiver);
  if (framework === 'chi') return chiRoutePrefix(recv, depth);
  let value: Node | undefined = recv;
  if (recv.type === 'identifier') value = declaredValue(recv) ?? undefined;
  if (!value || value.type !== 'call_expression') return '';
  const info = describeCall(value);
  if (!info?.receiver) return '';
  if (info.name === 'Group') return prefixOf(info.receiver, framework, depth + 1) + (stringValue(info.args[0]) ?? '');
  if (info.name === 'Subrouter' && info.receiver.type === 'call_expression') {
    const inner = describeCall(info.receiver);
    if (inner?.name === 'PathPrefix' && inner.receiver) return prefixOf(inner.receiver, framework, depth + 1) + (stringValue(inner.args[0]) ?? '');
  }
  return '';
}

function chiRoutePrefix(node: Node, depth: number): string {
  let prefix = '';
  for (let n: Node | null = node.parent; n && depth < 8; n = n.parent) {
    if (n.type !== 'func_literal') continue;
    const call = n.parent?.parent;
    const info = call?.type === 'call_expression' ? describeCall(call) : undefined;
    if (info?.name === 'Route') prefix = (stringValue(info.args[0]) ?? '') + prefix;
  }
  return prefix;
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
      const fallback = emptyFallback(e);
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
  for (const call of file.root.descendantsOfType('call_expression')) {
    const info = call ? describeCall(call) : undefined;
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
function emptyFallback(ident: Node): string | undefined {
  const scope = enclosingFunction(ident);
  if (!scope) return undefined;
  for (const stmt of scope.descendantsOfType('if_statement')) {
    const cond = stmt?.childForFieldName('condition');
    if (!stmt || !cond || !new RegExp(`^${ident.text}\\s*==\\s*""$`).test(cond.text.trim())) continue;
    for (const assign of stmt.childForFieldName('consequence')?.descendantsOfType('assignment_statement') ?? []) {
      const left = namedChildrenOf(assign?.childForFieldName('left'));
      const right = namedChildrenOf(assign?.childForFieldName('right'));
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
