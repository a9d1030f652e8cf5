import type { Node, Query, QueryMatch } from 'web-tree-sitter';
import type { GoParser } from '../languages/go/parser';
import type { GoCaptures, GoRule } from './rule';

interface PatternOwner {
  rule: GoRule<unknown>;
  queryName: string;
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
   */
  run(node: Node, enabled: (ruleId: string) => boolean): MatchesByRule {
    const byRule: MatchesByRule = new Map();
    if (!this.query) return byRule;
    const matches: QueryMatch[] = this.query.matches(node);
    for (const match of matches) {
      const owner = this.owners[match.patternIndex];
      if (!owner || !enabled(owner.rule.id)) continue;
      let perQuery = byRule.get(owner.rule.id);
      if (!perQuery) {
        perQuery = emptyMatches(owner.rule);
        byRule.set(owner.rule.id, perQuery);
      }
      const captures: Record<string, Node> = {};
      for (const c of match.captures) if (!(c.name in captures)) captures[c.name] = c.node;
      perQuery[owner.queryName].push(captures);
    }
    return byRule;
  }

  dispose(): void {
    this.query?.delete();
  }
}

export function emptyMatches(rule: GoRule<unknown>): Record<string, GoCaptures[]> {
  const out: Record<string, GoCaptures[]> = {};
  for (const name of Object.keys(rule.queries)) out[name] = [];
  return out;
}
