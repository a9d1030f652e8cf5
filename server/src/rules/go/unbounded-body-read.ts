/**
 * Flags reads of a request body with no size limit in per-request functions
 * (the request-scope model): `io.ReadAll`/`ioutil.ReadAll(r.Body)`,
 * `json|xml|gob.NewDecoder(r.Body)`, `io.Copy[Buffer](dst, r.Body)` — also
 * `c.Request.Body` (gin) and `c.Request().Body` (echo) — unless the function
 * earlier replaced the body with `http.MaxBytesReader`/`io.LimitReader`, the
 * read wraps it in one, or the file wraps a handler in `http.MaxBytesHandler`.
 * Anywhere (not only per request): a decompressor (`gzip`, `zlib`, `flate`,
 * `bzip2`, `lzw` readers, zip entries) drained by `io.Copy`/`io.ReadAll`
 * without a limit — gosec G110's decompression bomb.
 */
import type { Node } from 'web-tree-sitter';
import { defineGoRule } from '../../engine/rule';
import type { Fix } from '../../core/finding';
import type { GoFile } from '../../languages/go/parser';
import { addGoImport, insertLineAfter } from '../../languages/go/edits/edits';
import { params, typeRef } from '../../languages/go/func';
import { declaredValue } from '../../languages/go/literal';
import { isPackageMember } from '../../languages/go/pkg-ref';
import { REQUEST_SCOPE, type RequestFunction, type RequestScope } from '../../languages/go/model/request-scope';
import { declarationScope } from '../../languages/go/scope';
import { describeCall, namedChildrenOf, unparen, type CallInfo } from '../../languages/go/syntax';
import { selectorCallsNamed } from '../../languages/go/model/names';
import { nodesOfType } from '../../languages/go/syntax-index';

/** Reading calls: package path → name → index of the reader argument. */
const READERS: Readonly<Record<string, Readonly<Partial<Record<string, number>>>>> = {
  io: { ReadAll: 0, Copy: 1, CopyBuffer: 1 },
  'io/ioutil': { ReadAll: 0 },
  'encoding/json': { NewDecoder: 0 },
  'encoding/xml': { NewDecoder: 0 },
  'encoding/gob': { NewDecoder: 0 },
};
const DECOMPRESSORS: Readonly<Record<string, string>> = {
  'compress/gzip': 'NewReader', 'compress/zlib': 'NewReader', 'compress/flate': 'NewReader', 'compress/bzip2': 'NewReader', 'compress/lzw': 'NewReader',
};

export const rule = defineGoRule({
  id: 'go/unbounded-body-read',
  meta: {
    title: 'Request body or decompressed data read without a size limit',
    description: 'Reading a whole request body, or draining a decompressor, without a limit lets one request or one small archive exhaust memory or disk.',
    severity: 'warning',
    fixable: true,
    messages: {
      body: '{call} reads {body} with no size limit; one large request can exhaust memory',
      bomb: '{call} drains decompressor {src} with no size limit; a small archive can expand to gigabytes',
    },
    options: {
      limit: { type: 'integer', minimum: 1, default: 1048576, description: 'Request body limit, in bytes, the quick fix inserts with `http.MaxBytesReader`.' },
      decompressedLimit: { type: 'integer', minimum: 1, default: 67108864, description: 'Limit, in bytes, the quick fix puts on decompressed data with `io.LimitReader`.' },
    },
  },
  // Nodes are found by name (go-names.ts): cheaper than call patterns in the merged query.
  // Per declaration; what it reads outside one: the handlers wrapped by http.MaxBytesHandler.
  scope: 'declaration',
  contextKey: (file) => handlersWrapped(file).map((w) => w.text).join('\n'),
  analyses: [REQUEST_SCOPE],
  queries: {},
  check(ctx, file) {
    const reads = selectorCallsNamed(file, ['ReadAll', 'NewDecoder', 'Copy', 'CopyBuffer'], ctx.declaration);
    if (reads.length === 0) return;
    const wrapped = handlersWrapped(file);
    let scope: RequestScope | undefined;
    for (const m of reads) {
      const info = describeCall(m.call);
      const argIndex = info ? readerArgument(file, info) : undefined;
      if (!info || argIndex === undefined) continue;
      const arg = info.args.at(argIndex);
      if (!arg) continue;
      const src = unparen(arg);
      const bomb = src.type === 'identifier' ? decompressorOf(file, src) : undefined;
      if (bomb) {
        ctx.report({
          node: m.call, messageId: 'bomb', data: { call: info.callee.text, src: src.text },
          fixes: () => [{
            title: `Limit ${src.text} with io.LimitReader`,
            safe: false,
            preferred: true,
            edits: [{ start: src.startIndex, end: src.endIndex, newText: `io.LimitReader(${src.text}, ${bytesText(ctx.options.decompressedLimit)})` }, ...addGoImport(file, 'io')],
          }],
        });
        continue;
      }
      scope ??= ctx.resultOf(REQUEST_SCOPE);
      const fn = scope.enclosing(m.call);
      if (!fn) continue;
      const body = requestBody(file, fn, src);
      if (!body || isLimitedBefore(file, fn, body, m.call) || isWrappedByHandlerLimit(fn, wrapped)) continue;
      ctx.report({
        node: m.call, messageId: 'body', data: { call: info.callee.text, body },
        fixes: () => limitFix(file, fn, body, ctx.options.limit),
      });
    }
  },
});

/** The handlers passed to `http.MaxBytesHandler` anywhere in the file. */
function handlersWrapped(file: GoFile): Node[] {
  return selectorCallsNamed(file, ['MaxBytesHandler'])
    .filter((m) => isPackageMember(file, m.fn, 'net/http', 'MaxBytesHandler'))
    .flatMap((m) => describeCall(m.call)?.args.slice(0, 1) ?? []);
}

function readerArgument(file: GoFile, info: CallInfo): number | undefined {
  for (const [pkg, names] of Object.entries(READERS)) {
    const index = names[info.name];
    if (index !== undefined && isPackageMember(file, info.callee, pkg, info.name)) return index;
  }
  return undefined;
}

/** The request body expression `src` denotes in `fn` (`r.Body`, `c.Request.Body`, `c.Request().Body`), as written. */
function requestBody(file: GoFile, fn: RequestFunction, src: Node): string | undefined {
  if (src.type !== 'selector_expression' || src.childForFieldName('field')?.text !== 'Body') return undefined;
  const owner = src.childForFieldName('operand');
  if (!owner) return undefined;
  const text = owner.text.replace(/\s+/g, '');
  const req = fn.requestParam ?? requestParamOf(file, fn.node);
  if (req && text === req) return src.text;
  const c = fn.frameworkParam;
  if (c && (text === `${c}.Request` || text === `${c}.Request()`)) return src.text;
  return undefined;
}

/** A `*http.Request` parameter of a per-request callee. */
function requestParamOf(file: GoFile, fnNode: Node): string | undefined {
  return params(fnNode, 'parameters').find((p) => {
    const t = typeRef(file, p.type);
    return t.path === 'net/http' && t.name === 'Request' && t.pointer;
  })?.name;
}

/** Was the body replaced by a limited reader before `read` in the function (`r.Body = http.MaxBytesReader(...)`)? */
function isLimitedBefore(file: GoFile, fn: RequestFunction, body: string, read: Node): boolean {
  if (!fn.body) return false;
  for (const a of nodesOfType(file, fn.body, 'assignment_statement')) {
    if (a.startIndex >= read.startIndex) continue;
    const left = namedChildrenOf(a.childForFieldName('left'));
    if (left.some((l) => l.text.replace(/\s+/g, '') === body.replace(/\s+/g, '')) && /\b(MaxBytesReader|LimitReader)\s*\(/.test(a.childForFieldName('right')?.text ?? '')) return true;
  }
  return false;
}

/**
 * Is the handler wrapped by `http.MaxBytesHandler` in this file? Yes when a
 * wrapped expression names the function, and — ambiguous, so silent — when
 * one wraps something that is not a plain function name (a mux, a router).
 */
function isWrappedByHandlerLimit(fn: RequestFunction, wrapped: readonly Node[]): boolean {
  if (wrapped.length === 0) return false;
  return wrapped.some((w) => (fn.name !== '' && new RegExp(`\\b${fn.name}\\b`).test(w.text)) || !/^(http\.HandlerFunc\()?[\w.]+\)?$/.test(w.text));
}

/** A local decompressor: `zr, err := gzip.NewReader(x)`, or a zip entry `rc, err := f.Open()` for `f` ranging over `zr.File`. */
function decompressorOf(file: GoFile, ident: Node): string | undefined {
  const value = declaredValue(ident);
  const info = value ? describeCall(unparen(value)) : undefined;
  if (!info) return undefined;
  for (const [pkg, name] of Object.entries(DECOMPRESSORS)) {
    if (info.name === name && isPackageMember(file, info.callee, pkg, name)) return pkg;
  }
  if (info.name === 'Open' && info.args.length === 0 && info.receiver?.type === 'identifier') {
    const scope = declarationScope(info.receiver);
    const clause = scope?.type === 'for_statement' ? namedChildrenOf(scope).find((c) => c.type === 'range_clause') : undefined;
    if (clause && /\.File$/.test(clause.childForFieldName('right')?.text ?? '') && file.imports.has('archive/zip')) return 'archive/zip';
  }
  return undefined;
}

/** `r.Body = http.MaxBytesReader(w, r.Body, 1<<20)` as the first statement of the per-request function. */
function limitFix(file: GoFile, fn: RequestFunction, body: string, limit: number): Fix[] {
  const block = fn.body;
  if (!block) return [];
  const writer = responseWriterOf(file, fn);
  const httpName = file.imports.localNamesOf('net/http')[0] ?? 'http';
  const stmt = `${body} = ${httpName}.MaxBytesReader(${writer}, ${body}, ${bytesText(limit)})`;
  const first = block.namedChildren.find((c) => c?.type === 'statement_list')?.namedChildren.find((c) => c !== null && c.type !== 'comment') ?? null;
  const indent = first ? file.source.indentationAt(first.startIndex) : `${file.source.indentationAt(block.startIndex)}\t`;
  return [{
    title: `Limit ${body} to ${bytesText(limit)} bytes with http.MaxBytesReader`,
    safe: false,
    preferred: true,
    edits: [insertLineAfter(file.source, block.startIndex, stmt, indent), ...addGoImport(file, 'net/http')],
  }];
}

/** What to pass as MaxBytesReader's ResponseWriter: the handler's `w`, gin's `c.Writer`, echo's `c.Response()`, else nil. */
function responseWriterOf(file: GoFile, fn: RequestFunction): string {
  if (fn.kind === 'gin' && fn.frameworkParam) return `${fn.frameworkParam}.Writer`;
  if (fn.kind === 'echo' && fn.frameworkParam) return `${fn.frameworkParam}.Response()`;
  const w = params(fn.node, 'parameters').find((p) => {
    const t = typeRef(file, p.type);
    return t.path === 'net/http' && t.name === 'ResponseWriter';
  })?.name;
  return w && w !== '_' ? w : 'nil';
}

function bytesText(n: number): string {
  const log = Math.log2(n);
  return Number.isInteger(log) && log >= 10 ? `1<<${log}` : String(n);
}
