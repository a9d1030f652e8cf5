import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import { isCreateFile, resolveFixes, type Fix, type Severity } from '../../core/finding';
import type { SourceText } from '../../core/source-text';
import { readRulePage, ruleDocsUrl } from '../../host-shared/rule-docs';
import { relativePath, type Report, type ReportedFinding } from '../report';

const LEVEL: Record<Severity, Sarif.ReportingConfiguration.level> = { error: 'error', warning: 'warning', info: 'note' };
const SRCROOT = '%SRCROOT%';
/** Bump the suffix when the fingerprint's inputs change: code scanning would see every finding as new. */
export const FINGERPRINT_KEY = 'shipshapeFinding/v1';

/** SARIF 2.1.0: one run, every rule's metadata, results with UTF-16 columns, safe fixes, skipped files as notifications. */
export function buildSarif(report: Report): Sarif.Log {
  const ruleIndex = new Map(report.rules.map((r, i) => [r.id, i]));
  const rules: Sarif.ReportingDescriptor[] = report.rules.map((r) => {
    const page = readRulePage(report.tool, r.id);
    const helpUri = ruleDocsUrl(report.tool, r.id);
    const security = page?.securitySeverity !== undefined ? { 'security-severity': page.securitySeverity } : {};
    return {
      id: r.id,
      name: pascalName(r.id),
      shortDescription: { text: r.meta.title },
      fullDescription: { text: r.meta.description },
      // The page without its front matter: GitHub renders help.markdown as is.
      help: { text: r.meta.description, ...(page ? { markdown: page.markdown } : {}) },
      ...(helpUri ? { helpUri } : {}),
      defaultConfiguration: { level: LEVEL[r.meta.severity] },
      properties: { tags: [...new Set([r.id.split('/')[0], ...(page?.tags ?? [])])], fixable: r.meta.fixable, ...security },
    };
  });
  const fingerprints = fingerprintsOf(report.findings);
  const results: Sarif.Result[] = report.findings.map((f, i) => {
    const fixes = resolveFixes(f.finding).filter((x) => x.safe && x.edits.every((e) => !isCreateFile(e)));
    const index = ruleIndex.get(f.finding.ruleId);
    return {
      ruleId: f.finding.ruleId,
      ...(index !== undefined ? { ruleIndex: index } : {}),
      level: LEVEL[f.finding.severity],
      message: { text: f.finding.message },
      locations: [{ physicalLocation: { artifactLocation: artifact(f.relPath), region: region(f.source, f.finding.span.start, f.finding.span.end) } }],
      partialFingerprints: { [FINGERPRINT_KEY]: fingerprints[i] },
      ...(f.finding.related?.length
        ? {
            relatedLocations: f.finding.related.map((r, id) => ({
              id,
              message: { text: r.message },
              physicalLocation: { artifactLocation: artifact(relativePath(report.cwd, r.file)) },
            })),
          }
        : {}),
      ...(fixes.length ? { fixes: fixes.map((x) => sarifFix(x, f, report.cwd)) } : {}),
      // The same figures as JSON `figures` and the editor's hover.
      ...(f.finding.figures ? { properties: { figures: { ...f.finding.figures } } } : {}),
    };
  });
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: {
          driver: {
            name: 'Shipshape',
            version: report.tool.version,
            semanticVersion: report.tool.version,
            ...(report.tool.repositoryUrl ? { informationUri: report.tool.repositoryUrl } : {}),
            rules,
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(report.cwd.endsWith('/') ? report.cwd : `${report.cwd}/`).href } },
        columnKind: 'utf16CodeUnits',
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: report.notices.map((n) => ({
              level: n.reason === 'internal-error' ? 'error' : 'note',
              message: { text: `skipped: ${n.message} (${n.reason})` },
              locations: [{ physicalLocation: { artifactLocation: artifact(relativePath(report.cwd, n.file)) } }],
            })),
          },
        ],
        results,
      },
    ],
  };
}

export function formatSarif(report: Report): string {
  return `${JSON.stringify(buildSarif(report), null, 2)}\n`;
}

function artifact(relPath: string): Sarif.ArtifactLocation {
  return { uri: relPath.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function region(source: SourceText, start: number, end: number): Sarif.Region {
  const s = source.lineCol(start);
  const e = source.lineCol(end);
  return { startLine: s.line, startColumn: s.column, endLine: e.line, endColumn: e.column, charOffset: start, charLength: end - start };
}

function sarifFix(fix: Fix, f: ReportedFinding, cwd: string): Sarif.Fix {
  // Only the finding's own file: edits of other files would need their texts, which the report does not keep.
  const edits = fix.edits.filter((e) => !isCreateFile(e) && (e.file === undefined || e.file === f.finding.file));
  return {
    description: { text: fix.title },
    artifactChanges: [
      {
        artifactLocation: artifact(relativePath(cwd, f.finding.file)),
        replacements: edits.map((e) => {
          const { start, end, newText } = e as { start: number; end: number; newText: string };
          return { deletedRegion: region(f.source, start, end), insertedContent: { text: newText } };
        }),
      },
    ],
  };
}

/**
 * Stable across commits that move code: rule, file, the flagged text and the
 * text of its first line (not line numbers), and which occurrence of that
 * same combination it is in the file.
 */
function fingerprintsOf(findings: readonly ReportedFinding[]): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const flagged = f.source.text.slice(f.finding.span.start, Math.min(f.finding.span.end, f.finding.span.start + 200));
    const lineText = f.source.lineText(f.source.lineOf(f.finding.span.start)).trim();
    const base = [f.finding.ruleId, f.relPath, lineText, flagged.replace(/\s+/g, ' ')].join('\0');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return createHash('sha256').update(`${base}\0${n}`).digest('hex').slice(0, 32);
  });
}

/** `go/unclosed-body` → `GoUnclosedBody` (SARIF `name` is an identifier-like label). */
function pascalName(id: string): string {
  return id.split(/[/-]/).map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');
}
