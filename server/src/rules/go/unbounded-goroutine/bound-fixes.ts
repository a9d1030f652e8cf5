/** Fixes that bound goroutines: a package-level semaphore around a `go` statement, or `SetLimit` on an errgroup. */
import { identifierNames } from '../../../languages/go/model/identifier-names';
import type { Node } from 'web-tree-sitter';
import type { Fix, TextEditData } from '../../../core/finding';
import type { GoFile } from '../../../languages/go/parser';
import type { RequestFunction } from '../../../languages/go/model/request-scope';
import { insertLineAfter, insertLineBefore, topLevelDecl } from '../../../languages/go/edits/edits';
import { funcName, params, typeRef } from '../../../languages/go/func';
import { enclosingFunction } from '../../../languages/go/syntax';
import { nodesOfType } from '../../../languages/go/syntax-index';

/** How a handler answers "too busy": statement lines, or undefined when the shape does not allow it. */
function rejectLines(file: GoFile, fn: RequestFunction): string[] | undefined {
  const results = params(fn.node, 'result');
  const httpName = file.imports.localNamesOf('net/http')[0];
  const status = httpName ? `${httpName}.StatusServiceUnavailable` : '503';
  const c = fn.frameworkParam;
  switch (fn.kind) {
    case 'net/http': {
      const w = params(fn.node, 'parameters').find((p) => { const t = typeRef(file, p.type); return t.path === 'net/http' && t.name === 'ResponseWriter'; });
      if (!w?.name || !httpName || results.length > 0) return undefined;
      return [`${httpName}.Error(${w.name}, "server busy", ${status})`, 'return'];
    }
    case 'gin':
      return c && results.length === 0 ? [`${c}.AbortWithStatus(${status})`, 'return'] : undefined;
    case 'echo':
      return c && results.length === 1 ? [`return ${c}.NoContent(${status})`] : undefined;
    case 'fiber': {
      const fiberName = file.imports.all.find((i) => /^github\.com\/gofiber\/fiber(\/v\d+)?$/.test(i.path))?.localName;
      return c && fiberName && results.length === 1 ? [`return ${c}.SendStatus(${fiberName}.StatusServiceUnavailable)`] : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Wraps `go ...` with a package-level semaphore of `limit` slots: declares
 * `var <fn>Sem = make(chan struct{}, limit)`, releases the slot in the goroutine
 * (`defer func() { <-sem }()`), and acquires it before the `go`: in a handler the
 * preferred variant rejects with 503 when full, the other queues.
 */
export function semaphoreFixes(file: GoFile, go: Node, limit: number, handler: RequestFunction | undefined): Fix[] {
  const call = go.namedChildren.find((c) => c?.type === 'call_expression');
  const top = topLevelDecl(go);
  if (!call || !top) return [];
  const source = file.source;
  const eol = source.eol;
  const indent = source.indentationAt(go.startIndex);
  const used = identifierNames(file);
  const owner = funcName(top.decl) ?? 'worker';
  const stem = `${owner.charAt(0).toLowerCase()}${owner.slice(1)}Sem`;
  let sem = stem;
  for (let i = 2; used.has(sem); i++) sem = `${stem}${i}`;
  const release = `defer func() { <-${sem} }()`;
  const common: TextEditData[] = [
    { start: top.start, end: top.start, newText: `// ${sem} bounds how many goroutines ${owner} runs at once.${eol}var ${sem} = make(chan struct{}, ${limit})${eol}${eol}` },
  ];
  const callee = call.childForFieldName('function');
  if (callee?.type === 'func_literal') {
    const body = callee.childForFieldName('body');
    if (!body) return [];
    const rest = source.text.slice(body.startIndex + 1).replace(/^[ \t]*/, '');
    const sameLine = !(rest.startsWith('\n') || rest.startsWith('\r') || rest.startsWith('//'));
    common.push({ start: body.startIndex + 1, end: body.startIndex + 1, newText: `${eol}${indent}\t${release}${sameLine ? ';' : ''}` });
  } else {
    // Arguments are evaluated when the `go` runs; inside a closure they would be read later.
    // Only plain identifiers and literals read the same then (a handler's request may be recycled).
    const args = call.childForFieldName('arguments')?.namedChildren ?? [];
    const simple = (n: Node | null): boolean => !!n && (n.type === 'identifier' || /_literal$/.test(n.type) || n.type === 'true' || n.type === 'false' || n.type === 'nil');
    if (!args.every((a) => a?.type === 'comment' || simple(a)) || (callee && !/^[\w.]+$/.test(callee.text))) return [];
    common.push({ start: call.startIndex, end: call.endIndex, newText: `func() {${eol}${indent}\t${release}${eol}${indent}\t${call.text}${eol}${indent}}()` });
  }
  const queue: Fix = {
    title: `Bound the goroutines with a semaphore of ${limit} (wait for a slot)`,
    safe: false,
    edits: [...common, insertLineBefore(source, go.startIndex, `${sem} <- struct{}{}`, indent)],
  };
  const reject = handler && enclosingFunction(go)?.id === handler.node.id ? rejectLines(file, handler) : undefined;
  if (!reject) return [{ ...queue, preferred: true }];
  const select = [`select {`, `case ${sem} <- struct{}{}:`, `default:`, ...reject.map((l) => `\t${l}`), `}`].join(`${eol}${indent}`);
  return [
    { title: `Bound the goroutines with a semaphore of ${limit} (reply 503 when full)`, safe: false, preferred: true, edits: [...common, insertLineBefore(source, go.startIndex, select, indent)] },
    queue,
  ];
}

/** Inserts `g.SetLimit(limit)` after the statement declaring the errgroup `g` in `fn`. */
export function errgroupLimitFix(file: GoFile, fn: Node, group: string, limit: number): Fix | undefined {
  const decl = nodesOfType(file, fn, ['short_var_declaration', 'var_declaration']).find((d) => {
    if (!/errgroup\./.test(d.text)) return false;
    const names = d.type === 'short_var_declaration' ? d.childForFieldName('left')?.namedChildren ?? [] : nodesOfType(file, d, 'var_spec').flatMap((s) => s.childrenForFieldName('name'));
    return names.some((n) => n?.text === group);
  });
  if (!decl) return undefined;
  return { title: `Limit ${group} to ${limit} goroutines (${group}.SetLimit)`, safe: false, edits: [insertLineAfter(file.source, decl.endIndex - 1, `${group}.SetLimit(${limit})`)] };
}
