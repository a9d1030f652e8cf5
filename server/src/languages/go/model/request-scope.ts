/**
 * Request-scope model: which functions of a Go file run once per request, and
 * which of their values come from the request.
 *
 * Stable API (other rules depend on it; extend, do not change):
 *
 *   requestScope(file, workspace?) → RequestScope       memoised per tree
 *   RequestScope.functions                              every per-request function of the file
 *   RequestScope.functionOf(fnNode)                     the RequestFunction of a function node, if per-request
 *   RequestScope.handlerOf(fnNode)                      the same for direct handlers only: never reads the
 *                                                       package's other files (callees are computed lazily)
 *   RequestScope.enclosing(node)                        innermost per-request function running `node`
 *                                                       (through nested func literals, but not through
 *                                                       `once.Do(func(){...})`, which runs once)
 *   RequestScope.isRequestData(fn, expr)                does `expr` derive from the request (body, query,
 *                                                       params, headers, decoded payloads, values built from them)
 *   RequestScope.isRequestScoped(fn, expr)              request data OR the request's context / objects
 *   RequestScope.loopInput(forNode)                     'request' | 'constant' | 'other' (see {@link LoopInput})
 *
 * A function is per-request when it is:
 *   - a net/http handler: `(http.ResponseWriter, *http.Request)` params, incl. `ServeHTTP` methods and func literals;
 *   - a gin `*gin.Context`, echo `echo.Context`, fiber `*fiber.Ctx` handler (func or literal);
 *   - a gRPC server method: receiver + `(context.Context, *XRequest) (*XResponse, error)`;
 *   - a func literal passed to a route registration (`HandleFunc`, `Handle`, `GET`, `POST`, ...);
 *   - a package-level function or method called ONLY from the above, in this package (one level deep:
 *     a callee of a callee is not per-request). Calls are matched by name (`f(...)`, `x.m(...)`) across
 *     the package view (`CALL_FACTS` of its other files; tests only for a test file).
 * Middleware constructors return literals with a handler signature, so they are covered by the literal case.
 */
import type { Node } from 'web-tree-sitter';
import { defineAnalysis, namedKey, resultOf } from '../../../core/analysis';
import { soloPackage, type GoPackage, type GoPackageSource } from '../package';
import type { GoFile } from '../parser';
import { findRequestData, type RequestData } from './request-data';
import { classifyLoop, type LoopInput } from './loops';
import { funcName, params, typeRef, type GoParam } from '../func';
import { FUNCTION_TYPES, enclosingFunction } from '../syntax';
import { derivedFrom, perDeclaration } from '../decl-memo';
import { nodesOfType } from '../syntax-index';

export type { LoopInput } from './loops';

export type HandlerKind = 'net/http' | 'gin' | 'echo' | 'fiber' | 'grpc' | 'route' | 'callee';

export interface RequestFunction {
  /** `function_declaration`, `method_declaration` or `func_literal`. */
  readonly node: Node;
  readonly body: Node | null;
  readonly kind: HandlerKind;
  /** Declared name; '' for a func literal. */
  readonly name: string;
  /** The `*http.Request` parameter (net/http), if named. */
  readonly requestParam?: string;
  /** The framework context parameter: gin/fiber `c`, echo `c`. */
  readonly frameworkParam?: string;
  /** A `context.Context` parameter, if named. */
  readonly contextParam?: string;
  /**
   * Source text of an expression giving the request's context here, e.g. `ctx`,
   * `r.Context()`, `c.Request.Context()`, `c.Request().Context()`, `c.UserContext()`.
   */
  readonly contextExpr?: string;
  /** For kind 'callee': name of one per-request caller. */
  readonly calledFrom?: string;
}

export interface RequestScope {
  readonly functions: readonly RequestFunction[];
  functionOf(fnNode: Node): RequestFunction | undefined;
  handlerOf(fnNode: Node): RequestFunction | undefined;
  enclosing(node: Node): RequestFunction | undefined;
  isRequestData(fn: RequestFunction, expr: Node): boolean;
  isRequestScoped(fn: RequestFunction, expr: Node): boolean;
  loopInput(forNode: Node): LoopInput;
}

const ROUTE_METHODS = new Set([
  'HandleFunc', 'Handle', 'HandlerFunc', 'Get', 'Post', 'Put', 'Patch', 'Delete', 'Head', 'Options', 'Connect', 'Trace',
  'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'Any', 'All', 'Use', 'Method', 'MethodFunc', 'Match', 'Add',
]);

/** The request-scope model of the file under analysis, from its tree and its package's call facts. */
export const REQUEST_SCOPE = defineAnalysis({
  id: 'go/request-scope',
  on: 'go-package',
  build: (pkg) => buildScope(pkg.file, pkg),
  // Direct handlers are read from a declaration's own signature; callees from the package's call facts: a declaration
  // depends on whether its own name is a callee candidate.
  declarationKey: (pkg) => {
    const facts = pkg.factsOf(CALL_FACTS);
    return derivedFrom(pkg.file, 'go/request-scope#key', facts, () => namedKey([...packageCallees(pkg)].map((key) => [key.replace(/^\./, ''), key]), 'own'));
  },
});

/** {@link calledOnlyFromHandlers} of the package (kept from the previous version while its call facts are). */
function packageCallees(pkg: GoPackage): ReadonlySet<string> {
  const facts = pkg.factsOf(CALL_FACTS);
  return derivedFrom(pkg.file, 'go/request-scope#callees', facts, () => calledOnlyFromHandlers(facts));
}

/** Keys (`f`, `.m`) of references made only from direct handlers in these call facts: the candidates for callees. */
function calledOnlyFromHandlers(facts: readonly CallFacts[]): Set<string> {
  const inHandler = new Map<string, boolean>();
  for (const f of facts) {
    for (const [key, fromHandler] of f.refs) inHandler.set(key, (inHandler.get(key) ?? true) && fromHandler);
  }
  return new Set([...inHandler].filter(([, only]) => only).map(([key]) => key));
}

/** The request-scope model of `file`; with a workspace it also looks at the package's other files. */
export function requestScope(file: GoFile, workspace?: GoPackageSource): RequestScope {
  return resultOf(REQUEST_SCOPE, workspace ? workspace.goPackage(file) : soloPackage(file));
}

/** Kind of handler a function node is by its own signature (or route registration), else undefined. */
export function directHandlerKind(file: GoFile, fn: Node): { kind: HandlerKind; fn: Omit<RequestFunction, 'node' | 'body' | 'kind' | 'name'> } | undefined {
  // Cheap text filter first: every handler signature names one of these types.
  const paramText = fn.childForFieldName('parameters')?.text ?? '';
  if (!/ResponseWriter|Context|Ctx|Request|Empty/.test(paramText)) {
    return fn.type === 'func_literal' && isRouteArgument(fn) ? { kind: 'route', fn: {} } : undefined;
  }
  const ps = params(fn, 'parameters');
  const found = signatureKind(file, fn, ps);
  if (found) return found;
  if (fn.type === 'func_literal' && isRouteArgument(fn)) {
    return { kind: 'route', fn: {} };
  }
  return undefined;
}

function signatureKind(file: GoFile, fn: Node, ps: GoParam[]): ReturnType<typeof directHandlerKind> {
  const types = ps.map((p) => typeRef(file, p.type));
  const idx = (pred: (t: ReturnType<typeof typeRef>) => boolean): number => types.findIndex(pred);
  const w = idx((t) => t.path === 'net/http' && t.name === 'ResponseWriter' && !t.pointer);
  const r = idx((t) => t.path === 'net/http' && t.name === 'Request' && t.pointer);
  if (w >= 0 && r >= 0 && ps.length === 2) {
    const req = ps[r].name;
    return { kind: 'net/http', fn: { requestParam: req, contextExpr: req ? `${req}.Context()` : undefined } };
  }
  if (ps.length === 1) {
    const t = types[0];
    const name = ps[0].name;
    if (t.path && /^github\.com\/gin-gonic\/gin$/.test(t.path) && t.name === 'Context' && t.pointer) {
      return { kind: 'gin', fn: { frameworkParam: name, contextExpr: name ? `${name}.Request.Context()` : undefined } };
    }
    if (t.path && /^github\.com\/labstack\/echo(\/v\d+)?$/.test(t.path) && t.name === 'Context' && !t.pointer) {
      return { kind: 'echo', fn: { frameworkParam: name, contextExpr: name ? `${name}.Request().Context()` : undefined } };
    }
    if (t.path && /^github\.com\/gofiber\/fiber(\/v\d+)?$/.test(t.path) && t.name === 'Ctx') {
      return { kind: 'fiber', fn: { frameworkParam: name, contextExpr: name ? `${name}.UserContext()` : undefined } };
    }
  }
  if (fn.type === 'method_declaration' && ps.length === 2) {
    const results = params(fn, 'result');
    const rtypes = results.map((p) => typeRef(file, p.type));
    const isCtx = types[0].path === 'context' && types[0].name === 'Context';
    const reqOk = types[1].pointer && (/Request$/.test(types[1].name) || types[1].name === 'Empty');
    const resOk = rtypes.length === 2 && rtypes[0].pointer && rtypes[1].name === 'error' && !rtypes[1].path;
    if (isCtx && reqOk && resOk) {
      const ctx = ps[0].name;
      return { kind: 'grpc', fn: { contextParam: ctx, contextExpr: ctx } };
    }
  }
  return undefined;
}

/** `router.GET("/path", func(...) {...})`, `mux.HandleFunc("/", func...)`: a literal argument of a route call. */
function isRouteArgument(lit: Node): boolean {
  const args = lit.parent;
  if (!args || args.type !== 'argument_list') return false;
  const call = args.parent;
  const callee = call?.childForFieldName('function');
  if (!callee || callee.type !== 'selector_expression') return false;
  const method = callee.childForFieldName('field')?.text ?? '';
  if (!ROUTE_METHODS.has(method)) return false;
  const first = args.namedChildren[0];
  return !!first && (first.type === 'interpreted_string_literal' || first.type === 'raw_string_literal' || method === 'Use');
}

/** Per-file fact for the package-level call graph (kept without trees). */
interface CallFacts {
  packageName: string;
  /** Names (`f` or `.m`) of the file's declared functions that are direct handlers. */
  handlers: string[];
  /** Each reference to a package function (`f`) or method (`.m`): [key, referenced from a direct handler]. */
  refs: [string, boolean][];
}


function declKey(fn: Node): string | undefined {
  const name = funcName(fn);
  if (!name) return undefined;
  return fn.type === 'method_declaration' ? `.${name}` : name;
}

function extractCallFacts(file: GoFile): CallFacts {
  // Built per top-level declaration: typing in one body re-reads that declaration only (and keeps the fact).
  const pieces = perDeclaration(file, CALL_FACTS_ID, (decl) => declCallFacts(file, decl));
  return derivedFrom(file, CALL_FACTS_ID, [file.packageName, ...pieces], () => {
    const handlers: string[] = [];
    const refs: [string, boolean][] = [];
    for (const piece of pieces) {
      handlers.push(...piece.handlers);
      refs.push(...piece.refs);
    }
    return { packageName: file.packageName, handlers, refs };
  });
}

/** Handlers and references of one top-level declaration (depends on it and the file's imports only). */
function declCallFacts(file: GoFile, decl: Node): Omit<CallFacts, 'packageName'> {
  const handlers: string[] = [];
  const refs: [string, boolean][] = [];
  // Whether code in a function runs inside a direct handler (itself, or a literal nested in one).
  const inHandler = new Map<number, boolean>();
  const runsInHandler = (fn: Node | undefined): boolean => {
    if (!fn) return false;
    const known = inHandler.get(fn.id);
    if (known !== undefined) return known;
    let result: boolean;
    if (directHandlerKind(file, fn)) result = true;
    else if (fn.type !== 'func_literal') result = false;
    else result = runsInHandler(enclosingFunction(fn));
    inHandler.set(fn.id, result);
    return result;
  };
  const fns = nodesOfType(file, decl, ['function_declaration', 'method_declaration']);
  if ((decl.type === 'function_declaration' || decl.type === 'method_declaration') && !fns.some((n) => n.id === decl.id)) fns.unshift(decl);
  for (const fn of fns) {
    if (!directHandlerKind(file, fn)) continue;
    const key = declKey(fn);
    if (key) handlers.push(key);
  }
  for (const call of nodesOfType(file, decl, 'call_expression')) {
    const callee = call.childForFieldName('function');
    if (!callee) continue;
    let key: string | undefined;
    if (callee.type === 'identifier') key = callee.text;
    else if (callee.type === 'selector_expression') {
      const operand = callee.childForFieldName('operand');
      const field = callee.childForFieldName('field');
      if (field && !(operand?.type === 'identifier' && file.imports.isLocalName(operand.text))) key = `.${field.text}`;
    }
    if (key) refs.push([key, runsInHandler(enclosingFunction(call))]);
  }
  return { handlers, refs };
}

const CALL_FACTS_ID = 'go/request-calls';

/** Handlers and references of one file (a fact). */
export const CALL_FACTS = defineAnalysis({ id: CALL_FACTS_ID, on: 'go-file', fact: true, build: extractCallFacts });

function buildScope(file: GoFile, pkg: GoPackage): RequestScope {
  // Functions are classified when asked (a declaration-scoped rule asks about one declaration's):
  // a walk over every function of the file is made only for `functions`.
  const direct = new Map<number, RequestFunction | null>();
  const callee = new Map<number, RequestFunction | null>();
  let callees: ReadonlySet<string> | undefined;
  const directOf = (node: Node): RequestFunction | undefined => {
    let f = direct.get(node.id);
    if (f === undefined) {
      const kind = directHandlerKind(file, node);
      f = kind ? { node, body: node.childForFieldName('body'), kind: kind.kind, name: funcName(node) ?? '', ...kind.fn } : null;
      direct.set(node.id, f);
    }
    return f ?? undefined;
  };
  // One level of callees: called (by name) at least once, and only from direct handlers. Computed on
  // first need: it reads the package's other files.
  const calleeOf = (node: Node): RequestFunction | undefined => {
    let f = callee.get(node.id);
    if (f === undefined) {
      f = null;
      const key = declKey(node);
      if (key && key !== 'main' && key !== 'init') {
        callees ??= packageCallees(pkg);
        if (callees.has(key)) {
          const ps = params(node, 'parameters');
          const ctx = ps.find((p) => { const t = typeRef(file, p.type); return t.path === 'context' && t.name === 'Context'; })?.name;
          f = { node, body: node.childForFieldName('body'), kind: 'callee', name: funcName(node) ?? '', contextParam: ctx, contextExpr: ctx };
        }
      }
      callee.set(node.id, f);
    }
    return f ?? undefined;
  };
  let functions: RequestFunction[] | undefined;
  const allFunctions = (): RequestFunction[] => {
    if (functions) return functions;
    functions = [];
    // One walk in the parser's own code: visiting every node from JS costs more than the parse.
    for (const node of nodesOfType(file, file.root, ['function_declaration', 'method_declaration', 'func_literal'])) {
      const f = lookup(node);
      if (f) functions.push(f);
    }
    return functions;
  };
  const data = new Map<number, RequestData>();
  const dataOf = (fn: RequestFunction): RequestData => {
    let d = data.get(fn.node.id);
    if (!d) {
      d = findRequestData(file, fn);
      data.set(fn.node.id, d);
    }
    return d;
  };

  const lookup = (fnNode: Node): RequestFunction | undefined => {
    if (!FUNCTION_TYPES.has(fnNode.type)) return undefined;
    const hit = directOf(fnNode);
    if (hit || fnNode.type === 'func_literal') return hit;
    return calleeOf(fnNode);
  };
  const scope: RequestScope = {
    get functions() {
      return allFunctions();
    },
    functionOf: lookup,
    handlerOf: (fnNode) => (FUNCTION_TYPES.has(fnNode.type) ? directOf(fnNode) : undefined),
    enclosing(node) {
      for (let n: Node | null = node.parent; n; n = n.parent) {
        if (!FUNCTION_TYPES.has(n.type)) continue;
        const fn = lookup(n);
        if (fn) return fn;
        if (n.type !== 'func_literal' || isOnceArgument(n)) return undefined;
      }
      return undefined;
    },
    isRequestData: (fn, expr) => dataOf(fn).isData(expr),
    isRequestScoped: (fn, expr) => dataOf(fn).isScoped(expr),
    loopInput(forNode) {
      const fn = scope.enclosing(forNode);
      return classifyLoop(file, forNode, fn ? (e) => dataOf(fn).isData(e) : () => false);
    },
  };
  return scope;
}

/** `once.Do(func() {...})`: the literal runs once per process, not per request. */
export function isOnceArgument(lit: Node): boolean {
  const call = lit.parent?.parent;
  const callee = call?.type === 'call_expression' ? call.childForFieldName('function') : null;
  return callee?.type === 'selector_expression' && callee.childForFieldName('field')?.text === 'Do';
}
