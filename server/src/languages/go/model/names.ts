import type { Node } from 'web-tree-sitter';
import { defineAnalysis, resultOf } from '../../../core/analysis';
import type { GoFile } from '../parser';
import type { Span } from '../../../core/finding';
import { perDeclaration } from '../decl-memo';

/**
 * The identifier nodes (`identifier`, `field_identifier`, `type_identifier`,
 * `package_identifier`) spelled exactly `name`, found by searching the source
 * text and asking the tree for the node at each hit — no tree walk and no
 * query pattern. For rare API names (`DefaultClient`, `ListenAndServe`,
 * `MaxBytesHandler`) this is far cheaper than a pattern in the merged query,
 * which must hand every selector or call of the file to JavaScript to test its
 * text. Hits inside comments and string literals are dropped. Memoised per tree.
 */
export function nodesNamed(file: GoFile, name: string, within?: Span): readonly Node[] {
  const perTree = resultOf(NODES_BY_NAME, file);
  const key = within ? `${name}@${within.start}-${within.end}` : name;
  let nodes = perTree.get(key);
  if (!nodes) perTree.set(key, (nodes = within ? findNamed(file, name, within) : findNamedPerDeclaration(file, name)));
  return nodes;
}

/**
 * {@link findNamed} over the whole file, one top-level declaration at a time
 * through the file's memo: a declaration whose text is unchanged since a
 * previous version is not searched again (its hits are kept as offsets), and
 * only the hits become nodes.
 */
function findNamedPerDeclaration(file: GoFile, name: string): Node[] {
  if (name.length === 0) return [];
  const pieces = perDeclaration(file, `go/nodes-by-name#${name}`, (decl) => {
    const hits = findNamed(file, name, { start: decl.startIndex, end: decl.endIndex }, decl);
    return hits.length === 0 ? NO_HITS : hits.map((n) => n.startIndex - decl.startIndex);
  });
  const starts = file.declMemo.starts(file);
  const out: Node[] = [];
  pieces.forEach((hits, i) => {
    for (const rel of hits) {
      const at = starts[i] + rel;
      const node = file.root.descendantForIndex(at, at + name.length);
      if (node) out.push(node);
    }
  });
  return out;
}

const NO_HITS: readonly number[] = Object.freeze([]);

/** A pattern matching only import specs: a rule that finds its nodes by name still needs one (a few matches per file). */
export const NET_HTTP_IMPORT_QUERY = '(import_spec path: (interpreted_string_literal) @path)';

/** The engine-owned memo of {@link nodesNamed} for one tree, filled name by name as rules ask. */
const NODES_BY_NAME = defineAnalysis({ id: 'go/nodes-by-name', on: 'go-file', build: () => new Map<string, Node[]>() });
const IDENTIFIER_TYPES = new Set(['identifier', 'field_identifier', 'type_identifier', 'package_identifier']);
const WORD = /[\p{L}\p{N}_]/u;

function findNamed(file: GoFile, name: string, within?: Span, inside: Node = file.root): Node[] {
  const text = file.source.text;
  const out: Node[] = [];
  if (name.length === 0) return out;
  // Search only the span: indexOf over the whole text from the span's start would scan to the end of the
  // file when the name is absent, once per declaration (quadratic on a file of many declarations).
  const base = within?.start ?? 0;
  const hay = within ? text.slice(within.start, within.end) : text;
  for (let rel = hay.indexOf(name); rel >= 0; rel = hay.indexOf(name, rel + name.length)) {
    const at = base + rel;
    if ((at > 0 && WORD.test(text[at - 1])) || WORD.test(text[at + name.length] ?? '')) continue;
    const node = inside.descendantForIndex(at, at + name.length);
    if (node && IDENTIFIER_TYPES.has(node.type) && node.startIndex === at && node.endIndex === at + name.length) out.push(node);
  }
  return out;
}

/** The call `x.name(...)` whose selector's field is `field` (a `field_identifier` from {@link nodesNamed}), if it is one. */
export function selectorCallOf(field: Node): { call: Node; fn: Node; recv: Node } | undefined {
  const fn = field.parent;
  if (fn?.type !== 'selector_expression' || fn.childForFieldName('field')?.id !== field.id) return undefined;
  const call = fn.parent;
  if (call?.type !== 'call_expression' || call.childForFieldName('function')?.id !== fn.id) return undefined;
  const recv = fn.childForFieldName('operand');
  return recv ? { call, fn, recv } : undefined;
}

/**
 * {@link nodesNamed} of several names over the whole file, as one search per declaration (one list of
 * pieces per version for the set, not one per name), memoised per tree under the set.
 */
function nodesNamedAll(file: GoFile, names: readonly string[]): readonly Node[] {
  const perTree = resultOf(NODES_BY_NAME, file);
  const key = names.join('|');
  let nodes = perTree.get(key);
  if (nodes) return nodes;
  const pieces = perDeclaration(file, `go/nodes-by-name#${key}`, (decl) => {
    const hits: number[] = [];
    for (const [k, name] of names.entries()) for (const n of findNamed(file, name, { start: decl.startIndex, end: decl.endIndex }, decl)) hits.push(k, n.startIndex - decl.startIndex);
    return hits.length === 0 ? NO_HITS : hits;
  });
  const starts = file.declMemo.starts(file);
  nodes = [];
  for (const [i, hits] of pieces.entries()) {
    for (let h = 0; h < hits.length; h += 2) {
      const at = starts[i] + hits[h + 1];
      const node = file.root.descendantForIndex(at, at + names[hits[h]].length);
      if (node) nodes.push(node);
    }
  }
  perTree.set(key, nodes);
  return nodes;
}

/** Calls `x.name(...)` for each of `names`, in source order (whose name lies `within` a span, when given). */
export function selectorCallsNamed(file: GoFile, names: readonly string[], within?: Span): { call: Node; fn: Node; recv: Node; name: Node }[] {
  const out: { call: Node; fn: Node; recv: Node; name: Node }[] = [];
  // Several names over the whole file (a version asks each set once): one search per edited declaration.
  const sets = !within && names.length > 1 ? [nodesNamedAll(file, names)] : names.map((n) => nodesNamed(file, n, within));
  for (const found of sets) {
    for (const field of found) {
      if (field.type !== 'field_identifier') continue;
      const c = selectorCallOf(field);
      if (c) out.push({ ...c, name: field });
    }
  }
  return out.sort((a, b) => a.call.startIndex - b.call.startIndex);
}

/** Composite literals `pkg.Name{...}` (and `&pkg.Name{...}`) of a qualified type named `name` (whose name lies `within` a span, when given). */
export function qualifiedLiteralsNamed(file: GoFile, name: string, within?: Span): { lit: Node; type: Node; body: Node }[] {
  const out: { lit: Node; type: Node; body: Node }[] = [];
  for (const id of nodesNamed(file, name, within)) {
    const type = id.parent;
    if (id.type !== 'type_identifier' || type?.type !== 'qualified_type') continue;
    const lit = type.parent;
    const body = lit?.childForFieldName('body');
    if (lit?.type === 'composite_literal' && lit.childForFieldName('type')?.id === type.id && body) out.push({ lit, type, body });
  }
  return out;
}

/** `new(pkg.Name)` calls: the argument parses as a qualified type or a selector (whose name lies `within` a span, when given). */
export function newCallsOf(file: GoFile, name: string, within?: Span): { call: Node; arg: Node }[] {
  const out: { call: Node; arg: Node }[] = [];
  for (const id of nodesNamed(file, name, within)) {
    const arg = id.parent;
    if (!arg || (arg.type !== 'qualified_type' && arg.type !== 'selector_expression')) continue;
    const call = arg.parent?.parent;
    const fn = call?.childForFieldName('function');
    if (call?.type === 'call_expression' && fn?.type === 'identifier' && fn.text === 'new' && arg.parent?.namedChildCount === 1) out.push({ call, arg });
  }
  return out;
}

/** Operands `x` of assignments `x.field = ...` in the file (whose field lies `within` a span, when given). */
export function fieldAssignmentTargets(file: GoFile, field: string, within?: Span): Node[] {
  const out: Node[] = [];
  for (const id of nodesNamed(file, field, within)) {
    const sel = id.parent;
    if (id.type !== 'field_identifier' || sel?.type !== 'selector_expression') continue;
    const list = sel.parent;
    const stmt = list?.parent;
    if (list?.type === 'expression_list' && stmt?.type === 'assignment_statement' && stmt.childForFieldName('left')?.id === list.id) {
      const operand = sel.childForFieldName('operand');
      if (operand) out.push(operand);
    }
  }
  return out;
}
