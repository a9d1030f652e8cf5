import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import type { FileAnalysis } from '../engine/analyze';
import type { Finding } from '../core/finding';
import { figureLines } from '../host-shared/figures';
import { SHOW_DOCS_COMMAND } from '../host-shared/protocol';
import { bundledDocsUri, ruleDocsHref, type RuleDocsLinks } from '../host-shared/rule-docs';
import type { RuleMetaOf, SourceLookup } from './diagnostics';
import { pathToUri } from './workspace-state';

/**
 * The hover over a finding: its rule and title, the message, the figures the
 * rule attached (labelled by `meta.figures`, the same for every rule: no
 * per-rule code here), the places it relates to (for a cross-file finding, the
 * other side: the routes a probe path was compared with, the listen address, the
 * final stage) and links to the docs. Findings of the document's own file whose
 * range holds the position; undefined when there is none.
 */
export function hoverAt(analysis: FileAnalysis, position: Position, docs: RuleDocsLinks, metaOf: RuleMetaOf, lookup?: SourceLookup): Hover | undefined {
  const offset = analysis.source.offsetAt(position);
  const hits = analysis.findings.filter((f) => f.file === analysis.path && f.span.start <= offset && offset <= f.span.end);
  if (hits.length === 0) return undefined;
  const start = Math.min(...hits.map((f) => f.span.start));
  const end = Math.max(...hits.map((f) => f.span.end));
  return {
    contents: { kind: MarkupKind.Markdown, value: hits.map((f) => findingMarkdown(f, docs, metaOf, lookup)).join('\n\n---\n\n') },
    range: { start: analysis.source.positionAt(start), end: analysis.source.positionAt(end) },
  };
}

export function findingMarkdown(finding: Finding, docs: RuleDocsLinks, metaOf: RuleMetaOf, lookup?: SourceLookup): string {
  const meta = metaOf(finding.ruleId);
  const lines = [`**${escapeMarkdown(meta?.title ?? finding.ruleId)}** · \`${finding.ruleId}\` (${finding.severity})`, '', escapeMarkdown(finding.message)];
  const figures = figureLines(finding.figures, meta);
  if (figures.length) {
    lines.push('', '**What it costs here**', '');
    for (const f of figures) lines.push(`- ${escapeMarkdown(f.label)}: **${escapeMarkdown(f.text)}**`);
  }
  const related = (finding.related ?? []).filter((r) => r.file !== finding.file || r.span.start !== finding.span.start);
  if (related.length > 0) {
    lines.push('', '**Where it comes from**', '');
    for (const r of related.slice(0, 8)) {
      const line = lookup?.(r.file)?.lineCol(r.span.start).line;
      const name = `${basename(r.file)}${line !== undefined ? `:${line}` : ''}`;
      lines.push(`- ${escapeMarkdown(r.message)} — [${escapeMarkdown(name)}](${pathToUri(r.file)}${line !== undefined ? `#L${line}` : ''})`);
    }
  }
  const offline = `command:${SHOW_DOCS_COMMAND}?${encodeURIComponent(JSON.stringify([bundledDocsUri(docs, finding.ruleId)]))}`;
  lines.push('', `[Rule documentation](${ruleDocsHref(docs, finding.ruleId)}) · [Open offline](${offline})`);
  return lines.join('\n');
}

function basename(p: string): string {
  return p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
}

/** Messages and labels are plain text: characters Markdown would act on are escaped. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]<>#|]/g, (c) => `\\${c}`);
}
