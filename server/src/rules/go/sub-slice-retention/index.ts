/**
 * Flags a bounded sub-slice `buf[a:b]` (or `s[a:b]` of a string converted
 * from such a buffer) that leaves its function — returned, stored in a field,
 * map, slice element or package variable, appended to a slice that leaves, or
 * sent on a channel — while `buf` is a whole read buffer (`io.ReadAll`,
 * `os.ReadFile`, `ioutil.*`, `bufio.Reader.ReadBytes/ReadSlice`), a `[]byte`
 * parameter (caller-owned) or a package-level buffer: the small slice pins
 * the whole array. Not flagged when copied first (`bytes.Clone`,
 * `strings.Clone`, `string(...)`, `append([]byte(nil), ...)`, `copy`), for
 * open-ended tails `buf[a:]`, or when handed to another function.
 */
import type { Node } from 'web-tree-sitter';
import { defineGoRule, type RuleContext } from '../../../engine/rule';
import type { Fix } from '../../../core/finding';
import type { GoFile } from '../../../languages/go/parser';
import { addGoImport } from '../../../languages/go/edits/edits';
import { findEscape, isLocal, type EscapeKind } from './escape';
import { isPackageMember } from '../../../languages/go/pkg-ref';
import { declarationScope, functionParamNames } from '../../../languages/go/scope';
import { declaredValue } from '../../../languages/go/literal';
import { FUNCTION_TYPES, describeCall, namedChildrenOf, unparen } from '../../../languages/go/syntax';
import { compareGoVersions } from '../../../languages/gomod/parser';
import { nodesOfType } from '../../../languages/go/syntax-index';

interface Options {
  reportParameters: boolean;
}

type SourceKind = 'read' | 'param' | 'package';

interface Source {
  kind: SourceKind;
  /** How the buffer was made, for messages: `io.ReadAll`, `parameter b`. */
  label: string;
  isString: boolean;
}

/** Package functions that return a freshly read whole buffer. */
const READ_FUNCS: Readonly<Record<string, readonly string[]>> = {
  io: ['ReadAll'],
  'io/ioutil': ['ReadAll', 'ReadFile'],
  os: ['ReadFile'],
};
/** Methods that return a read line or chunk (bufio.Reader, bytes.Buffer). */
const READ_METHODS = new Set(['ReadBytes', 'ReadSlice']);

const HOW: Readonly<Record<EscapeKind, string>> = { returned: 'returned', stored: 'stored', sent: 'sent', appended: 'appended' };

export const rule = defineGoRule({
  id: 'go/sub-slice-retention',
  meta: {
    title: 'Small sub-slice keeps a large buffer alive',
    description: 'A small slice of a big or caller-owned buffer that escapes keeps the whole backing array reachable (and aliased); copy the bytes you keep.',
    severity: 'warning',
    fixable: true,
    messages: {
      read: '{expr} is {how} but pins the whole {source} buffer in memory; copy it first',
      param: '{expr} is {how} but still points into the caller\'s buffer {buf}, keeping it alive; copy it',
      package: '{expr} is {how} but points into package buffer {buf}; its next reuse overwrites it',
    },
    options: {
      reportParameters: { type: 'boolean', default: true, description: 'Also report sub-slices of `[]byte` parameters (info): zero-copy parsers do this on purpose.' },
    },
  },
  queries: {
    slice: '(slice_expression operand: (identifier) @buf end: (_)) @slice',
  },
  check(ctx, file, matches) {
    let modern: boolean | undefined;
    for (const m of matches.slice) {
      const source = classifySource(file, m.buf);
      if (!source || (source.kind === 'param' && !ctx.options.reportParameters)) continue;
      const escape = findEscape(file, m.slice);
      if (!escape) continue;
      modern ??= supportsClone(ctx, file);
      const isModern = modern;
      ctx.report({
        node: m.slice,
        messageId: source.kind,
        severity: source.kind === 'read' ? undefined : 'info',
        data: { expr: m.slice.text, how: HOW[escape.kind], source: source.label, buf: m.buf.text },
        fixes: () => [copyFix(file, m.slice, source, isModern)],
      });
    }
  },
});

/** bytes.Clone and strings.Clone need Go 1.20; without a go.mod, assume a current toolchain. */
function supportsClone(ctx: RuleContext<Options>, file: GoFile): boolean {
  const go = ctx.workspace.goModFor(file.path)?.go;
  return go === undefined || compareGoVersions(go, '1.20') >= 0;
}

function copyFix(file: GoFile, slice: Node, source: Source, modern: boolean): Fix {
  const expr = slice.text;
  const [pkg, text] = source.isString
    ? modern ? ['strings', `strings.Clone(${expr})`] : [undefined, `string([]byte(${expr}))`]
    : modern ? ['bytes', `bytes.Clone(${expr})`] : [undefined, `append([]byte(nil), ${expr}...)`];
  return {
    title: `Copy with ${text.slice(0, text.indexOf('(') + 1)}...)`,
    // A copy of a fresh read buffer cannot be observed; a caller's or shared buffer may be aliased on purpose,
    // and append([]byte(nil), ...) turns an empty slice into nil.
    safe: source.kind === 'read' && modern,
    preferred: true,
    edits: [{ start: slice.startIndex, end: slice.endIndex, newText: text }, ...(pkg ? addGoImport(file, pkg) : [])],
  };
}

/** What the sliced identifier holds, when the syntax shows it is a whole read buffer, a []byte parameter or a package buffer. */
function classifySource(file: GoFile, buf: Node, depth = 0): Source | undefined {
  if (depth > 3) return undefined;
  const scope = declarationScope(buf);
  if (scope && FUNCTION_TYPES.has(scope.type) && functionParamNames(scope).includes(buf.text)) {
    const type = parameterType(scope, buf.text);
    return type === '[]byte' ? { kind: 'param', label: `parameter ${buf.text}`, isString: false } : undefined;
  }
  if (!isLocal(buf)) return packageBuffer(file, buf.text);
  if (!scope) return undefined;
  const value = declaredValue(buf);
  if (!value) return undefined;
  const v = unparen(value);
  const info = describeCall(v);
  if (!info) return undefined;
  if (info.name === 'string' && !info.receiver && info.args.length === 1 && unparen(info.args[0]).type === 'identifier') {
    const inner = classifySource(file, unparen(info.args[0]), depth + 1);
    return inner?.kind === 'read' ? { ...inner, isString: true } : undefined;
  }
  for (const [pkgPath, names] of Object.entries(READ_FUNCS)) {
    if (names.includes(info.name) && isPackageMember(file, info.callee, pkgPath, info.name)) {
      return { kind: 'read', label: info.callee.text, isString: false };
    }
  }
  if (READ_METHODS.has(info.name) && info.receiver && !(info.receiver.type === 'identifier' && file.imports.pathOf(info.receiver.text) !== undefined && !isLocal(info.receiver))) {
    return { kind: 'read', label: info.callee.text, isString: false };
  }
  return undefined;
}

function parameterType(fn: Node, name: string): string | undefined {
  for (const field of ['receiver', 'parameters']) {
    for (const p of namedChildrenOf(fn.childForFieldName(field))) {
      if (p.childrenForFieldName('name').some((n) => n?.text === name)) return p.childForFieldName('type')?.text;
    }
  }
  return undefined;
}

/** A package-level `var buf []byte` / `var buf = make([]byte, n)` declared in this file. */
function packageBuffer(file: GoFile, name: string): Source | undefined {
  for (const decl of namedChildrenOf(file.root)) {
    if (decl.type !== 'var_declaration') continue;
    for (const spec of nodesOfType(file, decl, 'var_spec')) {
      const names = spec.childrenForFieldName('name');
      const i = names.findIndex((n) => n?.text === name);
      if (i < 0) continue;
      const type = spec.childForFieldName('type')?.text;
      const value = namedChildrenOf(spec.childForFieldName('value'))[i]?.text ?? '';
      if (type === '[]byte' || /^make\(\[\]byte\b/.test(value)) return { kind: 'package', label: `package buffer ${name}`, isString: false };
    }
  }
  return undefined;
}
