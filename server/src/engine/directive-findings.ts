import type { ParsedFile } from './rule';
import type { FileConfig } from './config/config';
import type { Finding, Fix, Severity, Span } from '../core/finding';
import type { SourceText } from '../core/source-text';
import { formatMessage } from '../core/messages';
import { DIRECTIVE_MESSAGES, parseDirectives, Suppressions, type Directive } from '../core/directives';

export { DIRECTIVE_MESSAGES } from '../core/directives';
import { suggest } from '../core/suggest';

export const UNKNOWN_RULE = 'shipshape/unknown-rule';
export const UNUSED_IGNORE = 'shipshape/unused-ignore';


export interface DirectiveContext {
  config: FileConfig;
  onlyRules?: ReadonlySet<string>;
  /** Every registered rule id. */
  ruleIds: ReadonlySet<string>;
  /** Rules that ran on this file (a directive naming another rule cannot be judged unused). */
  rulesRun: readonly string[];
}

/**
 * Applies `shipshape:ignore` directives and `shipshape.dev/ignore` annotations,
 * then reports directive ids that name no rule (`shipshape/unknown-rule`) and
 * ids that suppressed nothing (`shipshape/unused-ignore`). Unknown-rule
 * findings go through the directives too (`shipshape:ignore
 * shipshape/unknown-rule,legacy/id` is how a directive for another tool's
 * rule is kept quiet); unused-ignore findings can only be turned off by config.
 */
export function applyDirectives(parsed: ParsedFile, raw: Finding[], comments: readonly Span[], extraDirectives: readonly Directive[], ctx: DirectiveContext): Finding[] {
  if (!ctx.config.inlineConfig) return raw;
  const directives = [...parseDirectives(parsed.source, comments), ...extraDirectives];
  if (directives.length === 0) return raw;
  const suppressions = new Suppressions(directives, parsed.source);
  const ownFile = (f: Finding): boolean => f.file === parsed.path;
  const kept = raw.filter((f) => !ownFile(f) || !suppressions.isSuppressed(f));
  const severityOf = (id: string): Severity | undefined => {
    if (ctx.onlyRules && !ctx.onlyRules.has(id)) return undefined;
    const s = ctx.config.rules.get(id);
    return s && s.severity !== 'off' ? s.severity : undefined;
  };
  const unknownSeverity = severityOf(UNKNOWN_RULE);
  if (unknownSeverity) {
    const known = [...ctx.ruleIds];
    for (const { ruleId } of suppressions.unused()) {
      if (ctx.ruleIds.has(ruleId.id)) continue;
      const message = formatMessage(DIRECTIVE_MESSAGES.unknownRule, { id: ruleId.id, suggestion: suggest(ruleId.id, known) });
      const finding = engineFinding(UNKNOWN_RULE, parsed.path, ruleId.span, message, unknownSeverity);
      if (!suppressions.isSuppressed(finding)) kept.push(finding);
    }
  }
  const unusedSeverity = severityOf(UNUSED_IGNORE);
  if (unusedSeverity) {
    const judged = new Set(ctx.rulesRun);
    if (unknownSeverity) judged.add(UNKNOWN_RULE);
    for (const { directive, ruleId } of suppressions.unused()) {
      if (!ctx.ruleIds.has(ruleId.id) || !judged.has(ruleId.id)) continue;
      const where = directive.kind === 'file' ? 'this file' : directive.kind === 'object' ? 'this object' : 'its line';
      const message = formatMessage(DIRECTIVE_MESSAGES.unusedIgnore, { id: ruleId.id, where });
      kept.push(engineFinding(UNUSED_IGNORE, parsed.path, ruleId.span, message, unusedSeverity, unusedIgnoreFixes(directive, ruleId, parsed.source)));
    }
  }
  return kept;
}

function engineFinding(ruleId: string, file: string, span: Span, message: string, severity: Severity, fixes: Fix[] = []): Finding {
  return { ruleId, file, span, message, severity, fixes, key: '' };
}

/**
 * Removes an unused id from its directive: the id and one neighbouring comma
 * when the directive names others, else the whole comment (and its line when
 * the comment stood alone). Annotations are left to the user: removing an
 * annotation line can leave an empty `annotations:` map behind.
 */
function unusedIgnoreFixes(directive: Directive, ruleId: { id: string; span: Span }, source: SourceText): Fix[] {
  if (directive.kind === 'object') return [];
  const text = source.text;
  if (directive.ruleIds.length > 1) {
    let { start, end } = ruleId.span;
    const after = /^\s*,\s*/.exec(text.slice(end, directive.span.end));
    const before = /\s*,\s*$/.exec(text.slice(directive.span.start, start));
    if (after && ruleId !== directive.ruleIds[directive.ruleIds.length - 1]) end += after[0].length;
    else if (before) start -= before[0].length;
    return [{ title: `Remove "${ruleId.id}" from the directive`, safe: true, preferred: true, edits: [{ start, end, newText: '' }] }];
  }
  let { start, end } = directive.span;
  const line = source.lineOf(start);
  const lineStart = source.lineStart(line);
  const before = text.slice(lineStart, start);
  if (before.trim() === '' && source.lineOf(end) === line && text.slice(end, source.lineContentEnd(line)).trim() === '') {
    start = lineStart;
    end = source.lineEndIncludingBreak(line);
  } else {
    start -= before.length - before.trimEnd().length; // the spaces before a trailing comment
  }
  return [{ title: 'Remove the unused directive', safe: true, preferred: true, edits: [{ start, end, newText: '' }] }];
}
