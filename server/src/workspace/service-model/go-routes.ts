import type { Node } from 'web-tree-sitter';
import type { Span } from '../../core/finding';
import type { GoFile } from '../../languages/go/parser';
import { unquoteGoString } from '../../languages/go/imports';
import { declaredValue, packageStringValue } from '../../languages/go/literal';
import { isPackageMember } from '../../languages/go/pkg-ref';
import { describeCall, unparen, type CallInfo } from '../../languages/go/syntax';

/**
 * The HTTP routes one Go file registers (part of the Go service facts):
 * net/http (Go 1.22 patterns), gorilla/mux, chi, gin, echo and fiber with
 * their groups and mounted subtrees, gRPC health, and the routes standard
 * packages add when imported.
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


export const ROUTER_IMPORTS: readonly [string, RouteFramework][] = [
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
/** Every method name {@link routeOf} reads as a registration (beside mounts). */
const REGISTRATION_NAMES: ReadonlySet<string> = new Set(['HandleFunc', 'Handle', 'Method', 'MethodFunc', 'All', ...TITLE_METHODS.keys(), ...UPPER_METHODS]);
const GRPC_HEALTH = 'google.golang.org/grpc/health/grpc_health_v1';

/** Routes standard packages register on http.DefaultServeMux when imported (`net/http/pprof`, `expvar`). */
export function implicitRoutes(file: GoFile): GoRoute[] {
  const at = { start: 0, end: 0 };
  const out: GoRoute[] = [];
  if (file.imports.has('net/http/pprof')) out.push({ framework: 'net/http', path: '/debug/pprof/', span: at });
  if (file.imports.has('expvar')) out.push({ framework: 'net/http', path: '/debug/vars', span: at });
  return out;
}

export function spanOf(node: Node): Span {
  return { start: node.startIndex, end: node.endIndex };
}

export function stringValue(node: Node | undefined): string | undefined {
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

export function routeOf(file: GoFile, info: CallInfo, routers: ReadonlySet<RouteFramework>): GoRoute | undefined {
  if (!info.receiver) return undefined;
  if (info.name === 'RegisterHealthServer' && isPackageMember(file, info.callee, GRPC_HEALTH, 'RegisterHealthServer')) {
    return { framework: 'grpc-health', path: 'grpc.health.v1.Health', span: spanOf(info.call) };
  }
  const mounted = mountOf(file, info, routers);
  if (mounted) return mounted;
  // Resolving the arguments (an identifier's declaration) costs: only for the names a registration can have.
  if (!REGISTRATION_NAMES.has(info.name)) return undefined;
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

/**
 * A handler mounted on a path prefix, read as a route serving that subtree
 * (`/static/*`): chi and fiber `Mount`, gin/echo/fiber `Static`/`StaticFS`,
 * gorilla `PathPrefix(p).Handler(h)`. What the mounted handler serves below the
 * prefix is not known, so every path there counts as served.
 */
function mountOf(file: GoFile, info: CallInfo, routers: ReadonlySet<RouteFramework>): GoRoute | undefined {
  if (!info.receiver || (info.receiver.type === 'identifier' && file.imports.pathOf(info.receiver.text) !== undefined)) return undefined;
  const subtree = (framework: RouteFramework, arg: Node | undefined, prefix: string): GoRoute | undefined => {
    const dyn = dynamicPath(arg);
    const p = pathValue(file, arg) ?? dyn?.path;
    if (p === undefined || !p.startsWith('/')) return undefined;
    const full = prefix + p;
    return { framework, path: full.endsWith('/') ? `${full}*` : `${full}/*`, span: spanOf(info.call), ...(dyn ? { dynamicPrefix: dyn.prefix } : {}) };
  };
  if (info.name === 'Mount' && info.args.length === 2 && (routers.has('chi') || routers.has('fiber'))) {
    const framework: RouteFramework = routers.has('chi') ? 'chi' : 'fiber';
    return subtree(framework, info.args[0], prefixOf(info.receiver, framework));
  }
  if ((info.name === 'Static' || info.name === 'StaticFS') && info.args.length >= 2) {
    const framework = (['gin', 'echo', 'fiber'] as const).find((f) => routers.has(f));
    return framework ? subtree(framework, info.args[0], prefixOf(info.receiver, framework)) : undefined;
  }
  if ((info.name === 'Handler' || info.name === 'HandlerFunc') && info.args.length === 1 && routers.has('gorilla/mux') && info.receiver.type === 'call_expression') {
    const inner = describeCall(info.receiver);
    if (inner?.name === 'PathPrefix' && inner.receiver) return subtree('gorilla/mux', inner.args[0], prefixOf(inner.receiver, 'gorilla/mux'));
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
