/**
 * Flags `for _, v := range xs` where each element copied into `v` is a struct
 * or array of at least `threshold` bytes (gocritic's rangeValCopy), and
 * ranging by value over an array of at least `arrayThreshold` bytes (the whole
 * array is copied before the loop). Sizes come from the shared type-size
 * model; types of other packages are read from disk when they are there
 * (`workspace/go-foreign-types.ts`: the module's packages, `vendor/`, the
 * module cache in a trusted workspace); unknown types (type parameters,
 * packages not on disk) stay silent.
 * Skipped: `_test.go` files (option), pointer elements, maps, channels,
 * strings, and `v` named `_`.
 */
import type { Node } from 'web-tree-sitter';
import { defineGoRule, type RuleContext } from '../../engine/rule';
import type { Fix } from '../../core/finding';
import type { GoFile } from '../../languages/go/parser';
import { ForeignScope, TYPE_SIZER, typeName } from '../../languages/go/model/type-size';
import { foreignPackages } from '../../workspace/go-foreign-types';
import { GoTypeResolver } from '../../languages/go/model/types';
import { selectorPath } from '../../languages/go/syntax';
import { intValue } from '../../languages/go/model/loops';
import { nodesOfType } from '../../languages/go/syntax-index';

interface Options {
  threshold: number;
  arrayThreshold: number;
  skipTests: boolean;
}

/** Calls that cannot modify the ranged elements behind the loop's back. */
const PURE_CALLS = new Set(['len', 'cap', 'append', 'min', 'max', 'string', 'int', 'int64', 'int32', 'float64', 'uint64', 'byte', 'rune']);

export const rule = defineGoRule({
  id: 'go/large-struct-range-copy',
  meta: {
    title: 'Range loop copies a large struct per iteration',
    description: 'A range value variable copies each element; for big structs or arrays that is a memory copy per iteration. Range by index and take a pointer.',
    severity: 'info',
    fixable: true,
    messages: {
      element: 'range value {name} copies {size} bytes of {type} per iteration; range by index instead',
      array: 'range over array {expr} copies all {size} bytes before the loop; range over &{expr}',
    },
    options: {
      threshold: { type: 'integer', minimum: 1, default: 128, description: 'Smallest element size, in bytes, whose per-iteration copy is reported.' },
      arrayThreshold: { type: 'integer', minimum: 1, default: 512, description: 'Smallest array size, in bytes, whose copy by a range-by-value loop is reported.' },
      skipTests: { type: 'boolean', default: true, description: 'Do not report in `_test.go` files.' },
    },
    figures: {
      elementBytes: { label: 'Size of one element', unit: 'bytes' },
      length: { label: 'Elements (known length)', unit: 'count' },
      bytesPerPass: { label: 'Copied per pass over the loop', unit: 'bytes' },
      arrayBytes: { label: 'Copied before the loop starts', unit: 'bytes' },
    },
  },
  // Findings of a loop depend on its function and on the package-level declarations it names, transitively
  // (types, vars, consts, signatures: the sizer's declaration key, split by name): typing in one body, or
  // editing a declaration or a struct field, re-checks only the declarations that reach what changed.
  scope: 'declaration',
  analyses: [TYPE_SIZER],
  queries: {
    loop: '(for_statement (range_clause left: (expression_list . (_) @key . (identifier) @value .) right: (_) @over) body: (block) @body) @loop',
  },
  check(ctx, file, matches) {
    if (ctx.options.skipTests && file.isTest) return;
    if (matches.loop.length === 0) return;
    // Other packages' declarations, read lazily for this run only (the fact store keeps their files' facts).
    const sizer = ctx.resultOf(TYPE_SIZER).withForeign(new ForeignScope(foreignPackages(ctx.workspace, file)));
    for (const m of matches.loop) {
      const { key, value, over, body, loop } = m;
      if (value.text === '_') continue;
      const clause = value.parent?.parent;
      if (!clause || !clause.children.some((c) => c?.type === ':=')) continue;
      const infer = GoTypeResolver.forScope(file, sizer, file.imports, loop);
      const overType = infer.typeOf(over);
      const elem = infer.rangeElement(overType);
      if (!elem) continue;
      const elemU = infer.sizer.underlying(elem);
      const elemLayout = elemU.k === 'struct' || elemU.k === 'array' ? infer.sizer.layoutOf(elem) : undefined;
      if (elemLayout && elemLayout.size >= ctx.options.threshold) {
        const length = knownLength(file, over, overType, infer);
        ctx.report({
          node: value,
          messageId: 'element',
          data: { name: value.text, size: elemLayout.size, type: typeName(elem) },
          figures: length === undefined ? { elementBytes: elemLayout.size } : { elementBytes: elemLayout.size, length, bytesPerPass: elemLayout.size * length },
          fixes: () => byIndexFix(file, { key, value, over, body }, elemU.k === 'struct' ? infer : undefined),
        });
        continue;
      }
      const overU = infer.sizer.underlying(overType);
      if (overU.k !== 'array') continue;
      const arrayLayout = infer.sizer.layoutOf(overType);
      if (!arrayLayout || arrayLayout.size < ctx.options.arrayThreshold) continue;
      reportArrayCopy(file, ctx, over, body, arrayLayout.size);
    }
  },
});

function reportArrayCopy(file: GoFile, ctx: RuleContext<Options>, over: Node, body: Node, size: number): void {
  const root = selectorPath(over)?.split('.')[0];
  const fixable = root !== undefined && !writesTo(file, body, root);
  ctx.report({
    node: over,
    messageId: 'array',
    data: { expr: over.text, size },
    figures: { arrayBytes: size },
    fixes: fixable ? [{ title: `Range over &${over.text}`, safe: !hasImpureCall(file, body), edits: [{ start: over.startIndex, end: over.startIndex, newText: '&' }] }] : [],
  });
}

/**
 * How many elements the loop ranges over, when the code shows it: an array
 * type's constant length, or a local declared by `make([]T, n)` with a
 * constant `n` or by a composite literal. Undefined otherwise (never a guess).
 */
function knownLength(file: GoFile, over: Node, overType: ReturnType<GoTypeResolver['typeOf']>, infer: GoTypeResolver): number | undefined {
  const u = infer.sizer.underlying(overType);
  if (u.k === 'array') return infer.sizer.arrayLength(u.len);
  if (over.type !== 'identifier') return undefined;
  const decl = infer.declarationOf(over);
  if (decl?.type !== 'short_var_declaration' && decl?.type !== 'var_declaration') return undefined;
  const spec = decl.type === 'var_declaration' ? decl.namedChildren.find((c) => c?.type === 'var_spec') : decl;
  const names = spec?.type === 'var_spec' ? spec.childrenForFieldName('name') : spec?.childForFieldName('left')?.namedChildren ?? [];
  const values = spec?.type === 'var_spec' ? spec.childForFieldName('value')?.namedChildren ?? [] : spec?.childForFieldName('right')?.namedChildren ?? [];
  const index = names.findIndex((n) => n?.text === over.text);
  const value = index >= 0 && names.length === values.length ? values[index] : undefined;
  if (!value) return undefined;
  // Assigned again later (append, reslice): the declared length no longer tells.
  if (writesTo(file, decl.parent ?? decl, over.text)) return undefined;
  if (value.type === 'composite_literal') return value.childForFieldName('body')?.namedChildren.filter((c) => c && c.type !== 'comment').length;
  if (value.type !== 'call_expression' || value.childForFieldName('function')?.text !== 'make') return undefined;
  const args = value.childForFieldName('arguments')?.namedChildren.filter((a): a is Node => !!a && a.type !== 'comment') ?? [];
  return args.length >= 2 ? intValue(args[1]) : undefined;
}

interface LoopParts {
  key: Node;
  value: Node;
  over: Node;
  body: Node;
}

/** `for i := range xs { v := &xs[i]` — only when every use of v in the body is a read through it. */
function byIndexFix(file: GoFile, loop: LoopParts, infer: GoTypeResolver | undefined): Fix[] {
  const { key, value, over, body } = loop;
  // Only a variable or a field selector: `&xs[i]` then compiles and evaluates nothing twice.
  const root = selectorPath(over)?.split('.')[0];
  if (root === undefined || writesTo(file, body, root)) return [];
  if (!value.parent) return [];
  for (const use of nodesOfType(file, body, 'identifier')) {
    if (use.text === value.text && !isReadThrough(use, infer, body)) return [];
  }
  const index = key.type === 'identifier' && key.text !== '_' ? key.text : freshName(file, body, over);
  if (!index) return [];
  const open = body.startIndex + 1;
  const next = lineAfter(file.source.text, open);
  const decl = `${value.text} := &${over.text}[${index}]`;
  const at = next === undefined ? open : next.at;
  const insert = next === undefined ? ` ${decl};` : `${next.eol}${next.indent}${decl}`;
  return [{
    title: `Range by index and take &${over.text}[${index}]`,
    safe: !hasImpureCall(file, body),
    preferred: true,
    edits: [
      { start: value.parent.startIndex, end: value.parent.endIndex, newText: index },
      { start: at, end: at, newText: insert },
    ],
  }];
}

/**
 * Is this use of the range value a plain read through it (`v.Field`,
 * `v.Field[i]`, `v[i]`), which compiles and reads the same through a pointer?
 * Not when it is written, address-taken, called as a method, sliced, or used
 * inside a closure, goroutine or defer (it would see later writes).
 */
function isReadThrough(use: Node, infer: GoTypeResolver | undefined, body: Node): boolean {
  const parent = use.parent;
  if (!parent) return false;
  if (parent.type === 'selector_expression' && parent.childForFieldName('operand')?.id === use.id) {
    const field = parent.childForFieldName('field')?.text;
    if (!infer || !field) return false;
    // Only fields of the element: a method could have a pointer receiver and mutate the element.
    const elemField = fieldOfRangeValue(use, field, infer);
    if (!elemField) return false;
  } else if (!(parent.type === 'index_expression' && parent.childForFieldName('operand')?.id === use.id && !infer)) {
    return false;
  }
  let top: Node = parent;
  while (top.parent && (top.parent.type === 'selector_expression' || top.parent.type === 'index_expression') && top.parent.namedChildren[0]?.id === top.id) {
    top = top.parent;
  }
  const ctx = top.parent;
  if (!ctx) return false;
  if (ctx.type === 'call_expression' && ctx.childForFieldName('function')?.id === top.id) return false;
  if (ctx.type === 'unary_expression' && ctx.childForFieldName('operator')?.text === '&') return false;
  if (ctx.type === 'slice_expression' || ctx.type === 'inc_statement' || ctx.type === 'dec_statement') return false;
  if (ctx.type === 'expression_list' && ctx.parent?.type === 'assignment_statement' && ctx.parent.childForFieldName('left')?.id === ctx.id) return false;
  for (let n: Node | null = ctx; n && n.id !== body.id; n = n.parent) {
    if (n.type === 'func_literal' || n.type === 'go_statement' || n.type === 'defer_statement') return false;
  }
  return true;
}

function fieldOfRangeValue(use: Node, field: string, infer: GoTypeResolver): boolean {
  const decl = infer.declarationOf(use);
  if (decl?.type !== 'range_clause') return false;
  const elem = infer.rangeElement(infer.typeOf(decl.childForFieldName('right')));
  return elem !== undefined && infer.fieldType(elem, field) !== undefined;
}

/** Does the body assign to, increment or take the address of something rooted at `name`? */
function writesTo(file: GoFile, body: Node, name: string): boolean {
  for (const n of nodesOfType(file, body, ['assignment_statement', 'inc_statement', 'dec_statement', 'unary_expression'])) {
    const targets = n.type === 'assignment_statement' ? n.childForFieldName('left')?.namedChildren ?? []
      : n.type === 'unary_expression' ? (n.childForFieldName('operator')?.text === '&' ? [n.childForFieldName('operand')] : [])
        : n.namedChildren;
    if (targets.some((t) => t && mentions(file, t, name))) return true;
  }
  return false;
}

function hasImpureCall(file: GoFile, body: Node): boolean {
  for (const call of nodesOfType(file, body, ['call_expression', 'send_statement', 'go_statement'])) {
    if (call.type !== 'call_expression') return true;
    const fn = call.childForFieldName('function');
    if (fn?.type !== 'identifier' || !PURE_CALLS.has(fn.text)) return true;
  }
  return false;
}

function freshName(file: GoFile, body: Node, over: Node): string | undefined {
  const taken = new Set<string>();
  for (const n of [...nodesOfType(file, body, 'identifier'), ...nodesOfType(file, over, 'identifier'), over]) taken.add(n.text);
  return ['i', 'j', 'k', 'idx', 'n'].find((c) => !taken.has(c));
}

function mentions(file: GoFile, node: Node, name: string): boolean {
  return (node.type === 'identifier' && node.text === name) || nodesOfType(file, node, 'identifier').some((n) => n.text === name);
}

/**
 * Where the line holding `offset` ends (after a trailing comment), its line
 * break, and the indentation of the next non-blank line; undefined when code
 * follows on the same line.
 */
function lineAfter(text: string, offset: number): { at: number; eol: string; indent: string } | undefined {
  const m = /^([ \t]*(?:\/\/[^\r\n]*)?)(\r?\n|\r)(?:[ \t]*(?:\r?\n|\r))*([ \t]*)[^\s}]/.exec(text.slice(offset, offset + 2000));
  return m ? { at: offset + m[1].length, eol: m[2], indent: m[3] } : undefined;
}
