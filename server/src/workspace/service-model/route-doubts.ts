import type { Node } from 'web-tree-sitter';
import type { Span } from '../../core/finding';
import type { GoFile } from '../../languages/go/parser';
import { unquoteGoString } from '../../languages/go/imports';
import { keyedFields } from '../../languages/go/literal';
import { isPackageMember } from '../../languages/go/pkg-ref';
import { enclosingLoop, namedChildrenOf, selectorPath, unparen, type CallInfo } from '../../languages/go/syntax';
import { nodesOfType } from '../../languages/go/syntax-index';

/**
 * Why the routes the model found may not be all the routes a program
 * serves. A rule that says "nothing serves this path" stays silent when the
 * main package has any of these: the route set is a lower bound there.
 *
 * - `dynamic-path`: a registration whose path is computed (a variable, a call),
 *   or one on a router value the file's imports do not name (its routes are not read);
 * - `loop`: a registration inside a loop (paths from a table);
 * - `mount`: a not-found handler (it may serve any path), a mount whose
 *   prefix is computed, or middleware given a path
 *   (`middleware.Heartbeat("/ping")`). A mount with a known prefix (chi and
 *   fiber `Mount`, gorilla `PathPrefix(...).Handler`, `Static`) is read as a
 *   route serving that subtree; `http.StripPrefix` sits under a route that
 *   already serves its subtree;
 * - `unknown-router`: an import of an HTTP router, framework or health
 *   library the model does not read;
 * - `external-registration`: a router handed to a function of another
 *   module, which may register routes on it (`healthz.InstallHandler(mux)`);
 *   the model drops calls into the main's own module (it reads those packages);
 * - `opaque-handler`: a server whose handler is none of the routers the
 *   package builds (a custom `ServeHTTP`, a gateway mux); judged by the model
 *   over the whole main package, since router and server may sit in two files.
 */
export type RouteDoubtWhy = 'dynamic-path' | 'loop' | 'mount' | 'unknown-router' | 'external-registration' | 'opaque-handler';

export interface RouteDoubt {
  why: RouteDoubtWhy;
  /** The code as written (shortened). */
  text: string;
  span: Span;
  /** For `external-registration`: the import path of the function called. */
  importPath?: string;
}

/** What one file says about how complete its routes are: plain data of the Go service facts. */
export interface RouteEvidence {
  doubts: RouteDoubt[];
  /** Names (variables, fields, functions) that hold or build a router of a framework the model reads. */
  routerNames: string[];
  /** Handlers servers are given (`ListenAndServe(addr, h)`, `http.Server{Handler: h}`): the names in them; nil is left out. */
  servedHandlers: { text: string; names: string[]; span: Span }[];
}

/** Registration methods of the routers the model reads (net/http, gorilla, chi, gin, echo, fiber). */
const REGISTRATIONS = new Set([
  'Handle', 'HandleFunc', 'Get', 'Post', 'Put', 'Delete', 'Patch', 'Head', 'Options', 'GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS',
  'Any', 'All', 'Method', 'MethodFunc', 'Group', 'Route',
]);
const MOUNTS = new Set(['Mount', 'Static', 'StaticFS', 'StaticFile', 'NoRoute', 'NotFound', 'NotFoundHandler', 'MethodNotAllowed']);
const ROUTER_CONSTRUCTORS: readonly [string, readonly string[]][] = [
  ['net/http', ['NewServeMux']],
  ['github.com/gorilla/mux', ['NewRouter']],
  ['github.com/go-chi/chi/v5', ['NewRouter', 'NewMux']], ['github.com/go-chi/chi', ['NewRouter', 'NewMux']],
  ['github.com/gin-gonic/gin', ['New', 'Default']],
  ['github.com/labstack/echo/v4', ['New']], ['github.com/labstack/echo', ['New']],
  ['github.com/gofiber/fiber/v2', ['New']], ['github.com/gofiber/fiber/v3', ['New']], ['github.com/gofiber/fiber', ['New']],
];
const CONSTRUCTOR_NAMES = new Set(ROUTER_CONSTRUCTORS.flatMap(([, names]) => names));
const ROUTER_TYPE = /^\*?(http\.ServeMux|mux\.Router|chi\.(Router|Mux)|gin\.(Engine|RouterGroup|IRouter|IRoutes)|echo\.(Echo|Group)|fiber\.(App|Router))$/;
/** {@link ROUTER_TYPE}'s package-qualified names anywhere in a text (spaces and line breaks allowed around the dot). */
const ROUTER_TYPE_IN_TEXT = /\b(?:http\s*\.\s*ServeMux|mux\s*\.\s*Router|chi\s*\.\s*(?:Router|Mux)|gin\s*\.\s*(?:Engine|RouterGroup|IRouter|IRoutes)|echo\s*\.\s*(?:Echo|Group)|fiber\s*\.\s*(?:App|Router))\b/;
/** Routers, frameworks and health libraries whose routes the model does not read. */
const UNKNOWN_ROUTER = /(httprouter|httptreemux|bunrouter|go-restful|grpc-gateway|go-kit\/kit\/transport\/http|beego|kataras\/iris|valyala\/fasthttp|go-openapi\/runtime|goa\.design|twirp|connectrpc\.com|connect-go|danielgtaylor\/huma|ogen-go|cloudwego\/hertz|go-zero\/rest|kratos\/.*\/transport\/http|bmizerany\/pat|go-martini|gocraft\/web|controller-runtime|k8s\.io\/apiserver|healthcheck|go-health|health-go|alexliesenfeld\/health|gorilla\/rpc|oapi-codegen|swaggo|emicklei)/;
/** Packages a router is handed to without registering anything on it (middleware, instrumentation, servers). */
const PASSIVE_PACKAGES = ['net/http', 'github.com/gorilla/mux', 'github.com/gorilla/handlers', 'github.com/go-chi/', 'github.com/gin-gonic/gin', 'github.com/labstack/echo', 'github.com/gofiber/fiber', 'go.opentelemetry.io/', 'golang.org/x/net/http2', 'github.com/rs/cors', 'github.com/justinas/alice', 'github.com/urfave/negroni', 'log', 'fmt'];

function isPassive(importPath: string): boolean {
  return PASSIVE_PACKAGES.some((p) => (p.endsWith('/') ? importPath.startsWith(p) : importPath === p || importPath.startsWith(`${p}/`)));
}

function spanOf(node: Node): Span {
  return { start: node.startIndex, end: node.endIndex };
}

function short(text: string): string {
  const one = text.replace(/\s+/g, ' ');
  return one.length > 60 ? `${one.slice(0, 57)}...` : one;
}

function isStringLiteral(node: Node | undefined): boolean {
  const n = node ? unparen(node) : undefined;
  return n?.type === 'interpreted_string_literal' || n?.type === 'raw_string_literal';
}

/** Identifiers and field names in an expression (`s.router`, `otelhttp.NewHandler(mux, "x")` → router, mux...). */
function namesIn(file: GoFile, node: Node): string[] {
  const out = new Set<string>();
  if (node.type === 'identifier' || node.type === 'field_identifier') out.add(node.text);
  // A handler expression of a few nodes, read once per served route (field names are not in the syntax index).
  for (const d of node.descendantsOfType(['identifier', 'field_identifier'])) if (d) out.add(d.text);
  return [...out];
}

/**
 * The route evidence of one file. `isRoute(info)` says whether the fact
 * extractor took the call for a route it understood (a literal path).
 */
export function routeEvidence(file: GoFile, calls: readonly CallInfo[], servers: readonly { body: Node }[], isRoute: (info: CallInfo) => boolean): RouteEvidence {
  const out: RouteEvidence = { doubts: [], routerNames: [], servedHandlers: [] };
  const routerNames = new Set<string>();
  const doubt = (why: RouteDoubtWhy, node: Node, importPath?: string): void => {
    out.doubts.push({ why, text: short(node.text), span: spanOf(node), ...(importPath ? { importPath } : {}) });
  };
  for (const imp of file.imports.all) {
    if (UNKNOWN_ROUTER.test(imp.path)) out.doubts.push({ why: 'unknown-router', text: imp.path, span: { start: 0, end: 0 } });
  }
  // Router names: values built by a router constructor, typed parameters and fields, functions returning a router.
  for (const info of calls) {
    if (!CONSTRUCTOR_NAMES.has(info.name) || !ROUTER_CONSTRUCTORS.some(([p, names]) => isPackageMember(file, info.callee, p, ...names))) continue;
    const target = assignedTo(info.call);
    if (target) routerNames.add(target);
    const fn = enclosingNamedFunction(info.call);
    if (fn) routerNames.add(fn);
  }
  // A router type is written package-qualified: a file whose text never spells one has no such declaration.
  const typedRouters = ROUTER_TYPE_IN_TEXT.test(file.source.text) ? nodesOfType(file, file.root, ['parameter_declaration', 'field_declaration', 'var_spec', 'function_declaration', 'method_declaration']) : [];
  for (const decl of typedRouters) {
    const type = decl.childForFieldName(decl.type.endsWith('_declaration') && decl.type !== 'parameter_declaration' && decl.type !== 'field_declaration' ? 'result' : 'type');
    if (!type || !ROUTER_TYPE.test(type.text.replace(/\s+/g, ''))) continue;
    for (const n of decl.childrenForFieldName('name')) if (n) routerNames.add(n.text);
  }
  // Wrappers: `var handler http.Handler = r`, `h := otelhttp.NewHandler(mux, "api")` hold the router too.
  // Without a router name, no assignment can hold one.
  const assignments = routerNames.size === 0 ? [] : nodesOfType(file, file.root, ['short_var_declaration', 'assignment_statement', 'var_spec']);
  for (let pass = 0; pass < 2; pass++) {
    for (const a of assignments) {
      const right = a.type === 'var_spec' ? a.childForFieldName('value') : a.childForFieldName('right');
      const left = a.type === 'var_spec' ? a.childrenForFieldName('name').filter((n): n is Node => n !== null) : namedChildrenOf(a.childForFieldName('left'));
      if (!right || left.length !== 1 || !namesIn(file, right).some((n) => routerNames.has(n))) continue;
      const target = selectorPath(left[0])?.split('.').pop();
      if (target) routerNames.add(target);
    }
  }
  out.routerNames = [...routerNames].sort();
  for (const info of calls) {
    const recvIsPackage = info.receiver?.type === 'identifier' && file.imports.pathOf(info.receiver.text) !== undefined;
    // Registrations the extractor could not read as a literal route.
    if (info.receiver && REGISTRATIONS.has(info.name) && !recvIsPackage && info.args.length >= 2 && !isRoute(info)) {
      // A computed path, or a literal one on a router this file's imports do not name (`s.router.Get("/x", h)` beside the file that builds it).
      const pathArg = info.name === 'Method' || info.name === 'MethodFunc' ? info.args[1] : info.args[0];
      const literal = isStringLiteral(pathArg) ? unquoteGoString(unparen(pathArg).text) : undefined;
      // A group or chi Route with a literal prefix is read (prefixOf); its routes are judged on their own.
      const prefixOnly = (info.name === 'Group' || info.name === 'Route') && literal !== undefined;
      if (!prefixOnly && (literal === undefined || literal.startsWith('/') || /^[A-Z]+ \//.test(literal))) doubt(enclosingLoop(info.call) ? 'loop' : 'dynamic-path', info.call);
    } else if (info.receiver && (info.name === 'Handle' || info.name === 'HandleFunc') && recvIsPackage && isPackageMember(file, info.callee, 'net/http', info.name) && !isRoute(info)) {
      if (!isStringLiteral(info.args[0])) doubt(enclosingLoop(info.call) ? 'loop' : 'dynamic-path', info.call);
    }
    // Mounted sub-routers and file trees are read as subtree routes (go-facts.ts); these are not.
    if (info.receiver && MOUNTS.has(info.name) && !recvIsPackage && !isRoute(info)) doubt('mount', info.call);
    if (info.name === 'Use' && info.args.some((a) => nodesOfType(file, a, ['interpreted_string_literal', 'raw_string_literal']).some((s) => unquoteGoString(s.text).startsWith('/')))) doubt('mount', info.call);
    // A router handed to another package's function.
    const qualified = info.receiver?.type === 'identifier' ? file.imports.pathOf(info.receiver.text) : undefined;
    if (qualified && routerNames.size > 0 && !isPassive(qualified) && info.args.some((a) => isRouterValue(a, routerNames))) doubt('external-registration', info.call, qualified);
    // What servers serve.
    if ((info.name === 'ListenAndServe' || info.name === 'ListenAndServeTLS') && recvIsPackage && isPackageMember(file, info.callee, 'net/http', info.name)) served(file, out, info.args.at(-1));
    if ((info.name === 'Serve' || info.name === 'ServeTLS') && recvIsPackage && isPackageMember(file, info.callee, 'net/http', info.name)) served(file, out, info.args[1]);
  }
  for (const { body } of servers) {
    const fields = keyedFields(body);
    if (fields?.has('Addr') || fields?.has('Handler')) served(file, out, fields.get('Handler'));
  }
  return out;
}

/** A server's handler; none or nil is http.DefaultServeMux, whose routes `http.HandleFunc` registers. */
function served(file: GoFile, out: RouteEvidence, handler: Node | undefined): void {
  if (!handler) return;
  const h = unparen(handler);
  if (h.type === 'nil') return;
  out.servedHandlers.push({ text: short(h.text), names: namesIn(file, h), span: spanOf(h) });
}

function isRouterValue(arg: Node, routerNames: ReadonlySet<string>): boolean {
  const a = unparen(arg);
  const p = selectorPath(a);
  const last = p?.split('.').pop();
  return last !== undefined && routerNames.has(last);
}

/** `r` in `r := mux.NewRouter()`, `router` in `s.router = chi.NewRouter()`. */
function assignedTo(call: Node): string | undefined {
  const list = call.parent;
  const stmt = list?.type === 'expression_list' ? list.parent : undefined;
  if (!stmt || !['short_var_declaration', 'assignment_statement', 'var_spec'].includes(stmt.type)) return undefined;
  const left = stmt.type === 'var_spec' ? stmt.childrenForFieldName('name').filter((n): n is Node => n !== null) : namedChildrenOf(stmt.childForFieldName('left'));
  const first = left.at(0);
  return first ? selectorPath(first)?.split('.').pop() : undefined;
}

/** The function or method declaration around a node, by name (a constructor call inside it makes it a router builder). */
function enclosingNamedFunction(node: Node): string | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'func_literal') continue;
    if (n.type === 'function_declaration' || n.type === 'method_declaration') return n.childForFieldName('name')?.text;
  }
  return undefined;
}
