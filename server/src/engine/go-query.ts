import type { Node, Query, QueryMatch } from 'web-tree-sitter';
import type { GoParser } from '../parsers/go';
import type { GoCaptures, GoRule } from './rule';

/** Capture the engine itself needs from every Go file (suppression directives). */
const COMMENT_QUERY = '(comment) @shipshape.comment';

interface PatternOwner {
  rule: GoRule<unknown> | undefined;
  queryName: string;
}

export interface GoQueryResult {
  /** Per rule id, per query name, the captures of each match. */
  byRule: Map<string, Record<string, GoCaptures[]>>;
  comments: Node[];
}

/**
 * All Go rules' patterns merged into ONE query, run once per file: each extra
 * whole-tree query costs about half a parse, so no rule walks a tree itself.
 * Matches are dispatched back to their rule by pattern index.
 */
export class MergedGoQuery {
  private readonly query: Query;
  private readonly owners: PatternOwner[] = [];

  constructor(parser: GoParser, rules: readonly GoRule<unknown>[]) {
    const sources: string[] = [COMMENT_QUERY];
    this.owners.push({ rule: undefined, queryName: 'comment' });
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
    this.query = parser.query(sources.join('\n'));
    if (this.query.patternCount() !== this.owners.length) {
      throw new Error(`merged Go query has ${this.query.patternCount()} patterns, expected ${this.owners.length}`);
    }
  }

  run(root: Node, enabled: (ruleId: string) => boolean): GoQueryResult {
    const byRule = new Map<string, Record<string, GoCaptures[]>>();
    const comments: Node[] = [];
    const matches: QueryMatch[] = this.query.matches(root);
    for (const match of matches) {
      const owner = this.owners[match.patternIndex];
      if (!owner) continue;
      if (!owner.rule) {
        for (const c of match.captures) comments.push(c.node);
        continue;
      }
      if (!enabled(owner.rule.id)) continue;
      let perQuery = byRule.get(owner.rule.id);
      if (!perQuery) {
        perQuery = {};
        for (const name of Object.keys(owner.rule.queries)) perQuery[name] = [];
        byRule.set(owner.rule.id, perQuery);
      }
      const captures: Record<string, Node> = {};
      for (const c of match.captures) if (!(c.name in captures)) captures[c.name] = c.node;
      perQuery[owner.queryName].push(captures);
    }
    return { byRule, comments };
  }

  dispose(): void {
    this.query.delete();
  }
}
