/**
 * Flags a local variable of a function that goroutines it starts assign with
 * no lock or channel between: two `go func() {...}()` literals assigning it
 * (typically `err` in a fan-out), one literal started in a loop (each
 * iteration's goroutine assigns it), or a literal and the function itself
 * after the `go` statement and before any wait.
 * Skips: package-level variables and fields (`s.err`, `results[i]`: one slot per
 * goroutine is the fix); literals that lock (`mu.Lock()`) or receive, select or
 * wait before the assignment; goroutines in exclusive branches (`if`/`else`,
 * switch cases); loops that wait for each goroutine before the next
 * iteration; `go f(x)` calls (their writes are not seen).
 * Fix (unsafe: which error wins changes): for an `error` declared with `var`,
 * one variable per goroutine, joined with errors.Join after the `Wait()`.
 */
import type { Node } from 'web-tree-sitter';
import { defineGoRule } from '../../engine/rule';
import type { Fix, TextEditData } from '../../core/finding';
import type { GoFile } from '../../languages/go/parser';
import { addGoImport, insertLineAfter, insertLineBefore, replaceNode } from '../../languages/go/edits/edits';
import { compareGoVersions } from '../../languages/gomod/parser';
import { declaringScope, referencesInScope } from '../../languages/go/scope';
import { FUNCTION_TYPES, enclosingLoop, isWithinNode, namedChildrenOf, sameNode } from '../../languages/go/syntax';
import { goroutineOf, syncBefore, syncBetween } from '../../languages/go/model/goroutines';
import { nodesOfType } from '../../languages/go/syntax-index';

/** One assignment of an outer variable inside a goroutine literal (or by the starting function). */
interface Write {
  /** The identifier assigned. */
  target: Node;
  /** The `go` statement whose literal assigns it; undefined for the function's own write. */
  go?: Node;
  literal?: Node;
}

export const rule = defineGoRule({
  id: 'go/goroutine-shared-write',
  meta: {
    title: 'Variable assigned by concurrent goroutines',
    description: 'Two goroutines, or a goroutine and the function that started it, assign the same local variable with no lock or channel between: a data race that the race detector finds only when a test runs both at once.',
    severity: 'warning',
    fixable: true,
    messages: {
      goroutines: '{name} is assigned by {count} goroutines with no lock or channel between: a data race; give each its own variable',
      loop: '{name} is assigned by a goroutine started on every iteration, with no lock: a data race between iterations',
      parent: '{name} is assigned by this goroutine and by {fn} after the go statement, before any wait: a data race',
    },
  },
  queries: { go: '(go_statement) @go' },
  check(ctx, file, matches) {
    if (matches.go.length === 0) return;
    // Writes of outer locals by goroutine literals, by owner function and variable declaration.
    const byVar = new Map<string, { owner: Node; decl: Node; name: string; writes: Write[] }>();
    for (const m of matches.go) {
      const g = goroutineOf(m.go);
      if (!g?.literal || locks(file, g.literal)) continue;
      for (const target of outerWrites(file, g.literal, g.owner)) {
        if (syncBefore(g.literal, target.startIndex)) continue;
        const decl = declaringScope(target);
        if (!decl) continue;
        const key = `${g.owner.id}:${decl.id}:${target.text}`;
        const entry = byVar.get(key) ?? { owner: g.owner, decl, name: target.text, writes: [] };
        entry.writes.push({ target, go: g.go, literal: g.literal });
        byVar.set(key, entry);
      }
    }
    for (const v of byVar.values()) {
      const first = v.writes.at(0);
      if (!first?.go) continue;
      const gos = unique(v.writes.map((w) => w.go).filter((g): g is Node => !!g));
      const concurrent = gos.filter((a, i) => gos.some((b, j) => i !== j && mayOverlap(v.owner, a, b)));
      const fn = v.owner.type === 'func_literal' ? 'the function' : v.owner.childForFieldName('name')?.text ?? 'the function';
      if (concurrent.length >= 2) {
        const writes = v.writes.filter((w) => w.go && concurrent.some((g) => sameNode(g, w.go)));
        ctx.report({
          node: writes[0].target,
          messageId: 'goroutines',
          data: { name: v.name, count: concurrent.length },
          fixes: () => splitFix(file, v, concurrent, () => atLeast(ctx.workspace.goModFor(file.path)?.go, '1.20')),
        });
        continue;
      }
      const looped = gos.find((g) => selfConcurrent(g, v.decl));
      if (looped) {
        const w = v.writes.find((x) => sameNode(x.go, looped));
        if (w) ctx.report({ node: w.target, messageId: 'loop', data: { name: v.name } });
        continue;
      }
      const parentWrite = gos.map((g) => ({ g, w: parentWriteAfter(file, v.owner, v.decl, v.name, g) })).find((x) => x.w);
      if (parentWrite) {
        const w = v.writes.find((x) => sameNode(x.go, parentWrite.g));
        if (w) ctx.report({ node: w.target, messageId: 'parent', data: { name: v.name, fn } });
      }
    }
  },
});

const atLeast = (go: string | undefined, min: string): boolean => go !== undefined && compareGoVersions(go, min) >= 0;

function unique(nodes: Node[]): Node[] {
  return nodes.filter((n, i) => nodes.findIndex((o) => o.id === n.id) === i);
}

/** The literal locks a mutex (any `X.Lock()`/`X.RLock()` call, nested literals included). */
function locks(file: GoFile, literal: Node): boolean {
  return nodesOfType(file, literal, 'call_expression').some((c) => /\.(Lock|RLock)$/.test(c.childForFieldName('function')?.text ?? ''));
}

/** Identifiers assigned with `=`, `op=`, `++`/`--` in `literal` (not in nested `go` statements) that are locals of `owner` declared outside it. */
function outerWrites(file: GoFile, literal: Node, owner: Node): Node[] {
  const out: Node[] = [];
  for (const stmt of nodesOfType(file, literal, ['assignment_statement', 'inc_statement', 'dec_statement'])) {
    if (insideNestedGo(stmt, literal)) continue;
    const targets = stmt.type === 'assignment_statement' ? namedChildrenOf(stmt.childForFieldName('left')) : namedChildrenOf(stmt).slice(0, 1);
    for (const t of targets) {
      if (t.type !== 'identifier' || t.text === '_') continue;
      const decl = declaringScope(t);
      if (!decl || isWithinNode(decl, literal) || !isWithinNode(literal, decl) || functionOf(decl)?.id !== owner.id) continue;
      out.push(t);
    }
  }
  return out;
}

function insideNestedGo(node: Node, literal: Node): boolean {
  for (let n = node.parent; n && n.id !== literal.id; n = n.parent) if (n.type === 'go_statement') return true;
  return false;
}

function functionOf(scope: Node): Node | undefined {
  for (let n: Node | null = scope; n; n = n.parent) if (FUNCTION_TYPES.has(n.type)) return n;
  return undefined;
}

/** Can the goroutines of `a` and `b` run at once: not in exclusive branches, no wait between their starts? */
function mayOverlap(owner: Node, a: Node, b: Node): boolean {
  if (exclusive(a, b)) return false;
  const [first, second] = a.startIndex < b.startIndex ? [a, b] : [b, a];
  return !syncBetween(owner, first.endIndex, second.startIndex);
}

/** `a` and `b` sit in different branches of one `if`/`else` or switch. */
function exclusive(a: Node, b: Node): boolean {
  for (let n = a.parent; n; n = n.parent) {
    if (!isWithinNode(b, n)) continue;
    // `n` is the lowest common ancestor.
    const branchOf = (x: Node): Node | undefined => {
      for (let p: Node = x; p.parent; p = p.parent) if (p.parent.id === n.id) return p;
      return undefined;
    };
    const ba = branchOf(a);
    const bb = branchOf(b);
    if (n.type === 'if_statement') {
      const cons = n.childForFieldName('consequence');
      const alt = n.childForFieldName('alternative');
      return !!ba && !!bb && !sameNode(ba, bb) && [cons, alt].some((x) => sameNode(x, ba)) && [cons, alt].some((x) => sameNode(x, bb));
    }
    if (/switch_statement$|select_statement/.test(n.type)) return !!ba && !!bb && !sameNode(ba, bb) && /case/.test(ba.type) && /case/.test(bb.type);
    return false;
  }
  return false;
}

/** The `go` statement runs once per iteration of a loop inside the variable's scope, and the loop does not wait for it. */
function selfConcurrent(go: Node, decl: Node): boolean {
  const loop = enclosingLoop(go);
  if (!loop || !isWithinNode(loop, decl) || sameNode(loop, decl)) return false;
  const body = loop.childForFieldName('body');
  return !!body && !syncBetween(body, go.endIndex, body.endIndex);
}

/** The owner assigns the variable itself after `go` with no wait between. */
function parentWriteAfter(file: GoFile, owner: Node, decl: Node, name: string, go: Node): Node | undefined {
  for (const ref of referencesInScope(file, decl, name)) {
    if (ref.startIndex < go.endIndex || functionOf(ref.parent ?? ref)?.id !== owner.id) continue;
    const list = ref.parent;
    const stmt = list?.type === 'expression_list' ? list.parent : list;
    const isWrite = (stmt?.type === 'assignment_statement' && sameNode(stmt.childForFieldName('left'), list)) || stmt?.type === 'inc_statement' || stmt?.type === 'dec_statement';
    if (!isWrite) continue;
    return syncBetween(owner, go.endIndex, ref.startIndex) ? undefined : ref;
  }
  return undefined;
}

/**
 * One variable per goroutine for an `error` declared `var err error`: each literal assigns its own
 * (`err1`, `err2`, ...), declared before the first `go` statement, and `err = errors.Join(...)` follows
 * the `Wait()` that ends the fan-out. Needs Go 1.20 (errors.Join).
 */
function splitFix(file: GoFile, v: { owner: Node; decl: Node; name: string }, gos: readonly Node[], modern: () => boolean): Fix[] {
  if (!declaredAsError(file, v.decl, v.name) || !modern()) return [];
  const literals = gos.map((g) => goroutineOf(g)?.literal);
  if (literals.some((l) => !l) || gos.some((g) => enclosingLoop(g) && isWithinNode(enclosingLoop(g) as Node, v.decl))) return [];
  const list = gos[0].parent;
  if (!list || gos.some((g) => !sameNode(g.parent, list))) return [];
  const last = gos[gos.length - 1];
  const wait = namedChildrenOf(list).find((s) => s.startIndex > last.endIndex && s.type === 'expression_statement' && /\.Wait\(\)$/.test(s.text));
  if (!wait || syncBetween(v.owner, gos[0].endIndex, last.startIndex)) return [];
  const names = gos.map((_, i) => `${v.name}${i + 1}`);
  const taken = new Set(nodesOfType(file, v.owner, 'identifier').map((n) => n.text));
  if (names.some((n) => taken.has(n))) return [];
  const edits: TextEditData[] = [insertLineBefore(file.source, gos[0].startIndex, `var ${names.join(', ')} error`)];
  literals.forEach((lit, i) => {
    if (!lit) return;
    for (const ref of referencesInScope(file, v.decl, v.name)) if (isWithinNode(ref, lit)) edits.push(replaceNode(ref, names[i]));
  });
  const errorsName = file.imports.localNamesOf('errors').at(0);
  edits.push(insertLineAfter(file.source, wait.endIndex - 1, `${v.name} = ${errorsName ?? 'errors'}.Join(${names.join(', ')})`));
  if (!errorsName) edits.push(...addGoImport(file, 'errors'));
  return [{ title: `Give each goroutine its own error and join them after ${wait.text}`, safe: false, preferred: true, edits }];
}

/** `var err error` (alone or in a list of names) declares `name` in scope `decl`. */
function declaredAsError(file: GoFile, decl: Node, name: string): boolean {
  return nodesOfType(file, decl, 'var_spec').some((spec) =>
    spec.childForFieldName('type')?.text === 'error' && spec.childrenForFieldName('name').some((n) => n?.text === name) &&
    functionOf(spec)?.id === functionOf(decl)?.id && !spec.childForFieldName('value'));
}
