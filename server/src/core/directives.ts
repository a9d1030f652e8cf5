import type { SourceText } from './source-text';
import type { Finding, Span } from './finding';

/**
 * `shipshape:ignore <id>[,<id>] [-- reason]` and `shipshape:ignore-file <id>[,<id>]`
 * inside a comment of any language. A line directive at the end of a line
 * covers that line; alone on its line it covers the next line that is neither
 * blank nor only a comment.
 */
export interface Directive {
  /** `object`: the `shipshape.dev/ignore` annotation of a Kubernetes object, covering `range`. */
  kind: 'line' | 'file' | 'object';
  ruleIds: { id: string; span: Span }[];
  /** The whole comment. */
  span: Span;
  /** 0-based line the directive covers (line directives). */
  targetLine: number;
  reason?: string;
  /** What an `object` directive covers. */
  range?: Span;
}

const DIRECTIVE = /shipshape:(ignore-file|ignore)(?=\s|$)/;

/** Text of a comment without its delimiters, and the offset where that text starts. */
function commentBody(source: SourceText, span: Span): { body: string; offset: number } {
  let start = span.start;
  let end = span.end;
  const text = source.text;
  if (text.startsWith('//', start)) start += 2;
  else if (text.startsWith('/*', start)) {
    start += 2;
    if (text.startsWith('*/', end - 2)) end -= 2;
  } else if (text.startsWith('#', start)) start += 1;
  return { body: text.slice(start, end), offset: start };
}

export function parseDirectives(source: SourceText, comments: readonly Span[]): Directive[] {
  const commentOnlyLines = new Set<number>();
  const lineHasCode = (line: number, before: number): boolean => source.text.slice(source.lineStart(line), before).trim() !== '';
  for (const c of comments) {
    const first = source.lineOf(c.start);
    const last = source.lineOf(c.end);
    if (!lineHasCode(first, c.start)) for (let l = first; l <= last; l++) commentOnlyLines.add(l);
  }
  const directives: Directive[] = [];
  for (const c of comments) {
    const { body, offset } = commentBody(source, c);
    const m = DIRECTIVE.exec(body);
    if (!m) continue;
    // A directive must open the comment (after whitespace): prose that mentions it is not one.
    if (body.slice(0, m.index).trim() !== '') continue;
    const kind = m[1] === 'ignore-file' ? 'file' : 'line';
    let rest = body.slice(m.index + m[0].length);
    const restOffset = offset + m.index + m[0].length;
    let reason: string | undefined;
    const dashes = rest.indexOf('--');
    if (dashes >= 0) {
      reason = rest.slice(dashes + 2).trim() || undefined;
      rest = rest.slice(0, dashes);
    }
    const ruleIds: Directive['ruleIds'] = [];
    const idPattern = /[^\s,]+/g;
    for (let idm = idPattern.exec(rest); idm; idm = idPattern.exec(rest)) {
      ruleIds.push({ id: idm[0], span: { start: restOffset + idm.index, end: restOffset + idm.index + idm[0].length } });
    }
    const commentLine = source.lineOf(c.start);
    let targetLine = commentLine;
    if (kind === 'line' && !lineHasCode(commentLine, c.start)) {
      targetLine = source.lineOf(c.end) + 1;
      while (targetLine < source.lineCount && (commentOnlyLines.has(targetLine) || source.lineText(targetLine).trim() === '')) targetLine++;
    }
    directives.push({ kind, ruleIds, span: c, targetLine, reason });
  }
  return directives;
}

/** Applies directives to findings and remembers which directive ids suppressed something. */
export class Suppressions {
  /** `${directiveIndex}:${ruleIdIndex}` of directive ids that suppressed at least one finding. */
  readonly used = new Set<string>();

  constructor(
    readonly directives: readonly Directive[],
    private readonly source: SourceText,
  ) {}

  isSuppressed(finding: Finding): boolean {
    const line = this.source.lineOf(finding.span.start);
    let suppressed = false;
    this.directives.forEach((d, di) => {
      if (d.kind === 'line' && d.targetLine !== line) return;
      if (d.kind === 'object' && !(d.range && finding.span.start >= d.range.start && finding.span.start < d.range.end)) return;
      d.ruleIds.forEach((r, ri) => {
        if (r.id === finding.ruleId) {
          this.used.add(`${di}:${ri}`);
          suppressed = true;
        }
      });
    });
    return suppressed;
  }

  /** Directive rule ids that suppressed nothing. */
  unused(): { directive: Directive; ruleId: { id: string; span: Span } }[] {
    const out: { directive: Directive; ruleId: { id: string; span: Span } }[] = [];
    this.directives.forEach((d, di) => { d.ruleIds.forEach((r, ri) => {
        if (!this.used.has(`${di}:${ri}`)) out.push({ directive: d, ruleId: r });
      }); },
    );
    return out;
  }
}

/** Message templates of the two engine rules; `rules/shipshape/*.ts` publish them as their `meta.messages`. */
export const DIRECTIVE_MESSAGES = {
  unknownRule: 'unknown rule id "{id}" in a shipshape directive{suggestion}; it suppresses nothing',
  unusedIgnore: '"{id}" is ignored here but reports nothing on {where}: remove it',
} as const;
