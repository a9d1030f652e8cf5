import type { Node, Query, QueryMatch } from 'web-tree-sitter';
import type { GoParser } from '../languages/go/parser';
import type { GoCaptures, GoRule } from './rule';

interface PatternOwner {
  rule: GoRule<unknown>;
  queryName: string;
}

/** One match as offsets relative to the node the query ran on (a top-level declaration). */
export interface MatchRecord {
  pattern: number;
  captures: { name: string; start: number; end: number; typeId: number }[];
}

/** Per rule id, per query name, the captures of each match. */
export type MatchesByRule = Map<string, Record<string, GoCaptures[]>>;

/**
 * Go rules' patterns merged into ONE query, run once per file (or once per
 * changed declaration while typing): each extra whole-tree query costs about
 * half a parse, so no rule walks a tree itself. Matches go back to their rule
 * by pattern index.
 */
export class MergedGoQuery {
  private readonly query: Query | undefined;
  private readonly owners: PatternOwner[] = [];

  constructor(parser: GoParser, readonly rules: readonly GoRule<unknown>[]) {
    const sources: string[] = [];
    for (const rule of rules) {
      for (const [queryName, source] of Object.entries<string>(rule.queries)) {
        let count: number;
        try {
          const alone = parser.query(source);
          count = alone.patternCount();
          alone.delete();
        } catch (e) {
          throw new Error(`${rule.id}: query "${queryName}" does not compile: ${e instanceof Error ? e.message : String(e)}`);
        }
        for (let i = 0; i < count; i++) this.owners.push({ rule, queryName });
        sources.push(source);
      }
    }
    if (sources.length === 0) return;
    this.query = parser.query(sources.join('\n'));
    if (this.query.patternCount() !== this.owners.length) {
      throw new Error(`merged Go query has ${this.query.patternCount()} patterns, expected ${this.owners.length}`);
    }
  }

  /**
   * Matches of enabled rules in the subtree of `node` (the root, or one
   * top-level declaration). A node, not an index range: web-tree-sitter's
   * range options count bytes of its UTF-16 buffer, not string offsets.
   * With `records`, every match (of any rule) is also recorded there as
   * offsets relative to `node`, for {@link add} on a later version.
   */
  run(node: Node, enabled: (ruleId: string) => boolean, into: MatchesByRule = new Map(), records?: MatchRecord[]): MatchesByRule {
    if (!this.query) return into;
    const matches: QueryMatch[] = this.query.matches(node);
    const base = node.startIndex;
    for (const match of matches) {
      if (records) records.push({ pattern: match.patternIndex, captures: match.captures.map((c) => ({ name: c.name, start: c.node.startIndex - base, end: c.node.endIndex - base, typeId: c.node.typeId })) });
      const owner = this.owners[match.patternIndex] as PatternOwner | undefined;
      if (!owner || !enabled(owner.rule.id)) continue;
      const captures: Record<string, Node> = {};
      for (const c of match.captures) if (!(c.name in captures)) captures[c.name] = c.node;
      this.push(into, owner, captures);
    }
    return into;
  }

  /**
   * Adds the matches `records` (from {@link run} on an earlier version's
   * node of the same text and tree) as nodes of `node`: each capture is the
   * node of its type at its offsets. No query runs. False, and nothing
   * added, when a capture has no such node (run the query on `node` then).
   */
  add(into: MatchesByRule, node: Node, records: readonly MatchRecord[], enabled: (ruleId: string) => boolean): boolean {
    const base = node.startIndex;
    const found: [PatternOwner, Record<string, Node>][] = [];
    for (const record of records) {
      const owner = this.owners[record.pattern] as PatternOwner | undefined;
      if (!owner || !enabled(owner.rule.id)) continue;
      const captures: Record<string, Node> = {};
      for (const c of record.captures) {
        if (c.name in captures) continue;
        const n = nodeAt(node, base + c.start, base + c.end, c.typeId);
        if (!n) return false;
        captures[c.name] = n;
      }
      found.push([owner, captures]);
    }
    for (const [owner, captures] of found) this.push(into, owner, captures);
    return true;
  }

  private push(into: MatchesByRule, owner: PatternOwner, captures: Record<string, Node>): void {
    let perQuery = into.get(owner.rule.id);
    if (!perQuery) {
      perQuery = emptyMatches(owner.rule);
      into.set(owner.rule.id, perQuery);
    }
    perQuery[owner.queryName].push(captures);
  }

  dispose(): void {
    this.query?.delete();
  }
}

/**
 * The node of type `typeId` spanning exactly [start, end) under `root`: the
 * smallest node spanning the range, or an ancestor of the same range (an
 * expression list of one identifier); undefined when there is none.
 */
function nodeAt(root: Node, start: number, end: number, typeId: number): Node | undefined {
  let n = root.descendantForIndex(start, end);
  while (n && n.typeId !== typeId) {
    const parent = n.parent;
    if (parent?.startIndex !== start || parent.endIndex !== end) return undefined;
    n = parent;
  }
  return n?.startIndex === start && n.endIndex === end ? n : undefined;
}

export function emptyMatches(rule: GoRule<unknown>): Record<string, GoCaptures[]> {
  const out: Record<string, GoCaptures[]> = {};
  for (const name of Object.keys(rule.queries)) out[name] = [];
  return out;
}
