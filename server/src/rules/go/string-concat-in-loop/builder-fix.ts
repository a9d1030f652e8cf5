/** Rewrites a string grown by concatenation in a loop to a strings.Builder, when that cannot change behaviour. */
import type { Node } from 'web-tree-sitter';
import type { Fix, TextEditData } from '../../../core/finding';
import type { GoFile } from '../../../languages/go/parser';
import { addGoImport } from '../../../languages/go/edits/edits';
import { referencesTo } from '../../../languages/go/scope';
import { FUNCTION_TYPES } from '../../../languages/go/syntax';


/** One append to the variable: `s += x`, `s = s + x + y`, `s = fmt.Sprintf("%s...", s, ...)`. */
export interface Append {
  stmt: Node;
  target: Node;
  kind: 'plus' | 'plusChain' | 'sprintf';
  /** `x` for `+=`; the whole right side otherwise. */
  added: Node;
  /** For `plusChain`: the binary expression whose left operand is the variable. */
  leftmost?: Node;
}

function within(inner: Node, outer: Node): boolean {
  return inner.startIndex >= outer.startIndex && inner.endIndex <= outer.endIndex;
}

/** The identifier nodes an append itself owns: its target and its self-operand. */
function ownedBy(a: Append): Node[] {
  if (a.kind === 'plusChain') return [a.target, a.leftmost?.childForFieldName('left')].filter((n): n is Node => !!n);
  if (a.kind === 'sprintf') return [a.target, a.added.childForFieldName('arguments')?.namedChildren.filter((x) => x?.type !== 'comment')[1]].filter((n): n is Node => !!n);
  return [a.target];
}

export function builderFix(file: GoFile, decl: Node, loop: Node, appends: readonly Append[]): { fix: Fix } | { why: string } {
  // The declaration: `s := <v>`, `var s string`, `var s = <v>`, `var s string = <v>`, declaring s alone.
  const holder = decl.parent?.type === 'expression_list' ? decl.parent.parent : decl.parent;
  if (!holder) return { why: 'its declaration has an unusual shape' };
  const stmt = holder.type === 'var_spec' ? holder.parent : holder;
  if (!stmt || (holder.type === 'short_var_declaration' && holder.childForFieldName('left')?.namedChildCount !== 1)) return { why: 'its declaration declares other names too' };
  if (holder.type === 'var_spec' && (holder.childrenForFieldName('name').length !== 1 || stmt.type !== 'var_declaration' || stmt.namedChildCount !== 1)) return { why: 'its declaration declares other names too' };
  const init = holder.type === 'var_spec' ? holder.childForFieldName('value')?.namedChildren[0] : holder.childForFieldName('right')?.namedChildren[0];

  const owned = new Set(appends.flatMap((a) => ownedBy(a).map((n) => n.id)));
  const after: Node[] = [];
  for (const ref of referencesTo(file, decl)) {
    if (ref.id === decl.id || owned.has(ref.id)) continue;
    for (let n: Node | null = ref.parent; n && !within(decl, n); n = n.parent) {
      if (FUNCTION_TYPES.has(n.type)) return { why: 'a closure captures it' };
    }
    if (within(ref, loop)) return { why: 'the loop also reads it' };
    if (ref.startIndex < loop.startIndex) return { why: 'it is used before the loop' };
    const p = ref.parent;
    const assigned = (p?.type === 'expression_list' && p.parent?.type === 'assignment_statement' && p.parent.childForFieldName('left')?.id === p.id) ||
      p?.type === 'inc_statement' || p?.type === 'dec_statement' || (p?.type === 'unary_expression' && p.text.startsWith('&'));
    if (assigned) return { why: 'it is reassigned after the loop' };
    after.push(ref);
  }
  if (appends.some((a) => !within(a.stmt, loop))) return { why: 'it is appended to outside the loop too' };

  const name = decl.text;
  const source = file.source;
  const eol = source.eol;
  const strings = file.imports.localNamesOf('strings')[0] ?? 'strings';
  const edits: TextEditData[] = [];
  if (!file.imports.localNamesOf('strings')[0]) edits.push(...addGoImport(file, 'strings'));
  const indent = source.indentationAt(stmt.startIndex);
  const isEmpty = !init || init.text === '""' || init.text === '``';
  edits.push({
    start: stmt.startIndex,
    end: stmt.endIndex,
    newText: `var ${name} ${strings}.Builder${isEmpty ? '' : `${eol}${indent}${name}.WriteString(${init.text})`}`,
  });
  for (const a of appends) {
    let text: string;
    if (a.kind === 'plus') text = `${name}.WriteString(${a.added.text})`;
    else if (a.kind === 'plusChain') {
      const right = a.leftmost?.childForFieldName('right');
      if (!right) return { why: 'an append has an unusual shape' };
      text = `${name}.WriteString(${source.text.slice(right.startIndex, a.added.endIndex)})`;
    } else {
      const fn = a.added.childForFieldName('function');
      const fmt = fn?.childForFieldName('operand')?.text ?? 'fmt';
      const args = a.added.childForFieldName('arguments')?.namedChildren.filter((x): x is Node => !!x && x.type !== 'comment') ?? [];
      const format = `"${args[0].text.slice(3)}`;
      text = `${fmt}.Fprintf(${[`&${name}`, format, ...args.slice(2).map((x) => x.text)].join(', ')})`;
    }
    edits.push({ start: a.stmt.startIndex, end: a.stmt.endIndex, newText: text });
  }
  for (const ref of after) edits.push({ start: ref.startIndex, end: ref.endIndex, newText: `${name}.String()` });
  return { fix: { title: `Build ${name} with a strings.Builder`, safe: true, edits } };
}
