import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver';
import type { Finding, Severity } from '../core/finding';
import type { AnyRule, RuleMeta } from '../engine/rule';
import type { SourceText } from '../core/source-text';
import { ruleDocsHref, type RuleDocsLinks } from '../host-shared/rule-docs';

/** What a diagnostic carries back to the server in code-action requests. */
export interface DiagnosticData {
  key: string;
}

const LSP_SEVERITY: Readonly<Record<Severity, DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/**
 * The bundled `docs/rules` folder: `dist/../docs/rules` from the bundle, and the
 * repository's `docs/rules` from sources (the nearest `docs/rules` above this module).
 */
export function findDocsRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'docs', 'rules');
    if (fs.existsSync(path.join(dir, 'package.json')) || fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return path.join(from, '..', 'docs', 'rules');
  }
}

/** A rule's metadata by id (figures' labels, the Unnecessary tag); undefined for ids the registry lacks. */
export type RuleMetaOf = (ruleId: string) => RuleMeta | undefined;

export function ruleMetaOf(rules: readonly AnyRule[]): RuleMetaOf {
  const byId = new Map(rules.map((r) => [r.id, r.meta]));
  return (ruleId) => byId.get(ruleId);
}

/** Texts of other files, for related locations (open buffers or disk); undefined when unreadable. */
export type SourceLookup = (filePath: string) => SourceText | undefined;

/** One finding as an LSP diagnostic; positions come from SourceText only. */
export function toDiagnostic(finding: Finding, source: SourceText, docs: RuleDocsLinks, lookup: SourceLookup, metaOf?: RuleMetaOf): Diagnostic {
  const related: DiagnosticRelatedInformation[] = [];
  for (const r of finding.related ?? []) {
    const text = r.file === finding.file ? source : lookup(r.file);
    if (!text) continue;
    related.push({
      location: { uri: pathToFileURL(r.file).href, range: { start: text.positionAt(r.span.start), end: text.positionAt(r.span.end) } },
      message: r.message,
    });
  }
  const data: DiagnosticData = { key: finding.key };
  return {
    range: { start: source.positionAt(finding.span.start), end: source.positionAt(finding.span.end) },
    severity: LSP_SEVERITY[finding.severity],
    source: 'shipshape',
    code: finding.ruleId,
    // The released https page (host-shared/rule-docs.ts); the bundled page only when package.json names no repository.
    codeDescription: { href: ruleDocsHref(docs, finding.ruleId) },
    message: finding.message,
    ...(related.length ? { relatedInformation: related } : {}),
    // Editors fade what does nothing (an unused directive), as for unused imports.
    ...(metaOf?.(finding.ruleId)?.unnecessary ? { tags: [DiagnosticTag.Unnecessary] } : {}),
    data,
  };
}

export function isDiagnosticData(v: unknown): v is DiagnosticData {
  return typeof v === 'object' && v !== null && typeof (v as { key?: unknown }).key === 'string';
}
