import type { Node } from 'web-tree-sitter';
import type { GoFile } from '../parser';
import type { Span } from '../../../core/finding';
import { isPackageMember } from '../pkg-ref';
import { compositeLiteralOf, declaredValue, keyedFields, packageStringValue } from '../literal';
import { describeCall, unparen } from '../syntax';
import { declaringScope } from '../scope';
import { fieldAssignmentTargets, selectorCallsNamed } from './names';
import type { GoTypeResolver } from './types';

/**
 * Servers started by web and RPC frameworks rather than by net/http's own
 * calls: gin's `r.Run()`, echo's `e.Start()`, fiber's `app.Listen()`,
 * negroni's `n.Run()`, gRPC's `s.Serve(lis)`. A framework is known by its
 * import path (aliases honoured), the receiver by its declared type
 * (`*gin.Engine` field or parameter) or by the constructor that made it
 * (`r := gin.Default()`, `app := fiber.New(...)`, `gin.New().Run()`). A
 * method of that name on anything else is not a server start.
 */
export type ServerFramework = 'gin' | 'echo' | 'fiber' | 'negroni' | 'grpc';

interface FrameworkSpec {
  framework: ServerFramework;
  path: RegExp;
  /** The server type the start methods belong to. */
  type: string;
  constructors: readonly string[];
  starts: readonly string[];
}

const FRAMEWORKS: readonly FrameworkSpec[] = [
  // Every Run* builds a bare http.Server (or calls http.Serve) around the engine.
  { framework: 'gin', path: /^github\.com\/gin-gonic\/gin$/, type: 'Engine', constructors: ['Default', 'New'], starts: ['Run', 'RunTLS', 'RunListener', 'RunUnix', 'RunFd'] },
  // v3 and v4 start `e.Server` (`e.TLSServer` for TLS), an http.Server with no timeouts unless the program sets them.
  { framework: 'echo', path: /^github\.com\/labstack\/echo(\/v4)?$/, type: 'Echo', constructors: ['New'], starts: ['Start', 'StartTLS', 'StartAutoTLS'] },
  // fasthttp underneath: the timeouts are fiber.Config's ReadTimeout/WriteTimeout/IdleTimeout (zero = none).
  { framework: 'fiber', path: /^github\.com\/gofiber\/fiber(\/v[23])?$/, type: 'App', constructors: ['New'], starts: ['Listen', 'ListenTLS', 'ListenMutualTLS', 'Listener'] },
  // `Run` is `http.ListenAndServe(addr, n)`.
  { framework: 'negroni', path: /^github\.com\/urfave\/negroni(\/v\d+)?$/, type: 'Negroni', constructors: ['New', 'Classic', 'With'], starts: ['Run'] },
  { framework: 'grpc', path: /^google\.golang\.org\/grpc$/, type: 'Server', constructors: ['NewServer'], starts: ['Serve'] },
];

const START_NAMES = [...new Set(FRAMEWORKS.flatMap((f) => f.starts))];

export interface FrameworkStart {
  framework: ServerFramework;
  call: Node;
  /** The callee `r.Run` (the reported range). */
  fn: Node;
  recv: Node;
  method: string;
  /** The constructor call that made the receiver, when the code shows it (`fiber.New(cfg)`). */
  ctor?: Node;
  /**
   * Whether the server has read timeouts: `false` only when the code shows it has none (gin and negroni
   * always; echo and fiber when their constructor is seen and no timeout is set), `undefined` when unknown.
   */
  timeouts: boolean | undefined;
  /** Shuts down by itself on a context (fiber v3's `ListenConfig{GracefulContext: ctx}`). */
  selfGraceful: boolean;
}

/** Framework server starts of the file (whose method name lies `within` a span, when given), in source order. */
export function frameworkServerStarts(file: GoFile, types: () => GoTypeResolver, within?: Span): FrameworkStart[] {
  const out: FrameworkStart[] = [];
  for (const m of selectorCallsNamed(file, START_NAMES, within)) {
    const method = m.name.text;
    const id = identify(file, m.recv, method, types);
    if (!id?.spec.starts.includes(method)) continue;
    out.push({
      framework: id.spec.framework,
      call: m.call,
      fn: m.fn,
      recv: m.recv,
      method,
      ctor: id.ctor,
      timeouts: timeoutsOf(file, id.spec.framework, method, id.ctor),
      selfGraceful: id.spec.framework === 'fiber' && hasKey(describeCall(m.call)?.args[1], 'GracefulContext'),
    });
  }
  return out;
}

/** Which framework's server `recv` is, and the constructor call when the code shows one. */
function identify(file: GoFile, recv: Node, method: string, types: () => GoTypeResolver): { spec: FrameworkSpec; ctor?: Node } | undefined {
  const r = unparen(recv);
  // A package name (`gin.Run`) is a function of that package, not a method.
  if (r.type === 'identifier' && declaringScope(r) === undefined && file.imports.pathOf(r.text) !== undefined) return undefined;
  const made = constructorOf(file, r);
  if (made) return made;
  // The declared type, or the framework type a struct embeds (`type server struct{ *gin.Engine }`: `s.Run()`).
  const t = types();
  const named = t.methodOwner(t.typeOf(r), method);
  const spec = named && FRAMEWORKS.find((f) => f.path.test(named.path) && f.type === named.name);
  return spec ? { spec } : undefined;
}

/** `gin.Default()` itself, or the value a local or a package-level var of this file was given. */
function constructorOf(file: GoFile, recv: Node): { spec: FrameworkSpec; ctor: Node } | undefined {
  let value: Node | undefined = recv;
  if (recv.type === 'identifier') {
    value = declaringScope(recv) !== undefined ? declaredValue(recv) : packageStringValue(file.root, recv.text);
  }
  if (value?.type !== 'call_expression') return undefined;
  const fn = value.childForFieldName('function');
  if (!fn) return undefined;
  for (const spec of FRAMEWORKS) {
    const path = file.imports.all.find((i) => spec.path.test(i.path))?.path;
    if (path !== undefined && isPackageMember(file, fn, path, ...spec.constructors)) return { spec, ctor: value };
  }
  return undefined;
}

const TIMEOUT_FIELDS = ['ReadTimeout', 'ReadHeaderTimeout'];

function timeoutsOf(file: GoFile, framework: ServerFramework, method: string, ctor: Node | undefined): boolean | undefined {
  switch (framework) {
    case 'gin': case 'negroni': return false;
    case 'grpc': return undefined; // not an HTTP/1 server: keepalive parameters are another matter
    case 'echo': {
      // `e.Server.ReadTimeout = d` (or a whole `e.Server = &http.Server{...}`) anywhere in the file counts.
      const field = method === 'Start' ? 'Server' : 'TLSServer';
      const set = TIMEOUT_FIELDS.some((t) => fieldAssignmentTargets(file, t).some((o) => o.type === 'selector_expression' && o.childForFieldName('field')?.text === field))
        || fieldAssignmentTargets(file, field).length > 0;
      if (set) return true;
      return ctor ? false : undefined;
    }
    case 'fiber': {
      if (!ctor) return undefined;
      const args = describeCall(ctor)?.args ?? [];
      if (args.length === 0) return false;
      const body = compositeLiteralOf(args[0])?.childForFieldName('body');
      const fields = body ? keyedFields(body) : undefined;
      // A config built elsewhere (`fiber.New(cfg)`) is unknown.
      if (!fields) return undefined;
      return fields.has('ReadTimeout');
    }
  }
}

function hasKey(arg: Node | undefined, key: string): boolean {
  const body = compositeLiteralOf(arg)?.childForFieldName('body');
  return !!body && (keyedFields(body)?.has(key) ?? false);
}
