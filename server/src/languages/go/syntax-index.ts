import type { Node } from 'web-tree-sitter';
import { defineAnalysis, resultOf } from '../../core/analysis';
import type { GoFile } from './parser';

/**
 * The node types the index records: every type a Go rule or model asks for
 * below a node. A type outside this set is not indexed ({@link nodesOfType} throws).
 */
const INDEXED_TYPES = [
  'identifier', 'call_expression', 'selector_expression', 'qualified_type', 'unary_expression', 'composite_literal', 'func_literal',
  'interpreted_string_literal', 'raw_string_literal', 'comment',
  'short_var_declaration', 'assignment_statement', 'inc_statement', 'dec_statement', 'var_declaration', 'const_declaration',
  'type_declaration', 'var_spec', 'const_spec', 'range_clause', 'if_statement', 'return_statement', 'break_statement',
  'defer_statement', 'go_statement', 'send_statement', 'expression_statement',
  'function_declaration', 'method_declaration', 'field_declaration', 'parameter_declaration', 'import_spec',
] as const;
export type IndexedType = (typeof INDEXED_TYPES)[number];
const INDEXED: ReadonlySet<string> = new Set(INDEXED_TYPES);

/** One top-level declaration's indexed nodes, in the order of a pre-order walk (as `descendantsOfType` lists them). */
interface DeclIndex {
  readonly nodes: readonly Node[];
  readonly types: readonly string[];
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** Identifier entries by name (positions in `nodes`), made on the first identifier question. */
  names?: Map<string, number[]>;
}

/**
 * The nodes of the indexed types in one tree, one top-level declaration at a
 * time: the first question about a declaration walks it once (in the
 * runtime, one `descendantsOfType` of every indexed type) and every later
 * question, from any rule or model, below any node of it, is a binary search
 * over offsets. A walk of the tree from JavaScript with a `TreeCursor` costs
 * three runtime calls per node (≈ a parse of the tree, measured); one call per
 * question (`node.descendantsOfType`) pays a fixed cost per call that was most
 * of what rules spent in them. Built per tree: nodes belong to their tree.
 */
export class GoSyntaxIndex {
  private readonly decls = new Map<number, DeclIndex>();
  private tops: Node[] | undefined;

  constructor(private readonly root: Node, private readonly text: string) {}

  /** `within.descendantsOfType(types)`, read from the index: `within` itself when it has one of the types, then its descendants in pre-order. */
  ofType(within: Node, types: IndexedType | readonly IndexedType[]): Node[] {
    const wanted = typeof types === 'string' ? [types] : types;
    const out: Node[] = [];
    for (const [d, from, to] of this.blocks(within)) {
      for (let i = from; i < to; i++) if (wanted.includes(d.types[i] as IndexedType)) out.push(d.nodes[i]);
    }
    return out;
  }

  /** The `identifier` nodes named `name` in `within` (or it), in source order. */
  identifiersNamed(within: Node, name: string): Node[] {
    const out: Node[] = [];
    for (const [d, from, to] of this.blocks(within)) {
      const names = (d.names ??= this.namesOf(d));
      for (const i of names.get(name) ?? []) if (i >= from && i < to) out.push(d.nodes[i]);
    }
    return out;
  }

  /** Every identifier name spelled under `within`. */
  identifierNames(within: Node): Set<string> {
    const out = new Set<string>();
    for (const [d, from, to] of this.blocks(within)) {
      for (let i = from; i < to; i++) if (d.types[i] === 'identifier') out.add(this.text.slice(d.starts[i], d.ends[i]));
    }
    return out;
  }

  /** The runs of entries (declaration, from, to) that are `within` or below it. */
  private *blocks(within: Node): Generator<[DeclIndex, number, number]> {
    const [ws, we] = [within.startIndex, within.endIndex];
    if (within.id === this.root.id) {
      for (const top of this.topsOf()) {
        const d = this.declOf(top);
        yield [d, 0, d.nodes.length];
      }
      return;
    }
    // The root's child holding `within`, asked of the tree (one call; no walk of the root's children, which a
    // keystroke would pay for every version of a long file).
    let top = this.root.firstChildForIndex(ws);
    if (!top || top.startIndex > ws || top.endIndex < we) top = this.topsOf().find((t) => t.startIndex <= ws && we <= t.endIndex) ?? null;
    if (!top) return;
    const d = this.declOf(top);
    const n = d.nodes.length;
    // Siblings do not overlap, so an entry inside `within`'s span is below it, but for two kinds that need the
    // parent chain: an entry of exactly its span (an ancestor, itself or a child) and a zero-width one at an edge.
    const below = (i: number): boolean => !((d.starts[i] === d.ends[i] || (d.starts[i] === ws && d.ends[i] === we)) && !this.isSelfOrBelow(d, i, within));
    let from = lowerBound(d.starts, ws);
    // Pre-order lists ancestors first: skip those starting where `within` starts.
    while (from < n && d.starts[from] === ws && (d.ends[from] > we || !below(from))) from++;
    let to = from;
    while (to < n && d.starts[to] <= we && d.ends[to] <= we && below(to)) to++;
    yield [d, from, to];
  }

  private isSelfOrBelow(d: DeclIndex, i: number, within: Node): boolean {
    if (d.ends[i] > within.endIndex) return false;
    for (let n: Node | null = d.nodes[i]; n && n.startIndex >= within.startIndex && n.endIndex <= within.endIndex; n = n.parent) if (n.id === within.id) return true;
    return false;
  }

  private declOf(top: Node): DeclIndex {
    let d = this.decls.get(top.id);
    if (d) return d;
    const nodes = top.descendantsOfType([...INDEXED_TYPES]).filter((n): n is Node => n !== null);
    const starts = new Int32Array(nodes.length);
    const ends = new Int32Array(nodes.length);
    const types: string[] = [];
    nodes.forEach((n, i) => {
      starts[i] = n.startIndex;
      ends[i] = n.endIndex;
      types.push(n.type);
    });
    this.decls.set(top.id, (d = { nodes, types, starts, ends }));
    return d;
  }

  private namesOf(d: DeclIndex): Map<string, number[]> {
    const names = new Map<string, number[]>();
    d.types.forEach((t, i) => {
      if (t !== 'identifier') return;
      const name = this.text.slice(d.starts[i], d.ends[i]);
      const list = names.get(name);
      if (list) list.push(i);
      else names.set(name, [i]);
    });
    return names;
  }

  /** The root's children (root-wide questions: a file-level fact reads them all). */
  private topsOf(): Node[] {
    return (this.tops ??= this.root.children.filter((c): c is Node => c !== null));
  }
}

/** The first position whose value is >= `x` in an ascending list. */
function lowerBound(a: ArrayLike<number>, x: number): number {
  let [lo, hi] = [0, a.length];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The syntax index of a Go file (see {@link GoSyntaxIndex}): what it says of a
 * node depends only on the top-level declaration holding it.
 */
export const GO_SYNTAX_INDEX = defineAnalysis({
  id: 'go/syntax-index',
  on: 'go-file',
  build: (file): GoSyntaxIndex => new GoSyntaxIndex(file.root, file.source.text),
  declarationKey: 'local',
});

/** `within.descendantsOfType(types)` of a node of `file`, from the file's {@link GO_SYNTAX_INDEX}. */
export function nodesOfType(file: GoFile, within: Node, types: IndexedType | readonly IndexedType[]): Node[] {
  return resultOf(GO_SYNTAX_INDEX, file).ofType(within, types);
}

/** {@link nodesOfType} below a node that may be missing (an optional field): none when it is. */
export function nodesOrNone(file: GoFile, within: Node | null | undefined, types: IndexedType | readonly IndexedType[]): Node[] {
  return within ? nodesOfType(file, within, types) : [];
}

export { INDEXED };
