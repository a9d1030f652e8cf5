import type { Severity } from '../../core/finding';
import type { Report, ReportedFinding } from '../report';
import { XML_DECLARATION, xmlEscape } from './xml';

const SEVERITY: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'info' };

/** Checkstyle XML (Jenkins Warnings NG, reviewdog, Sonar): `<file>` elements holding `<error>`s, `source` = rule id. */
export function formatCheckstyle(report: Report): string {
  const byFile = new Map<string, ReportedFinding[]>();
  for (const f of report.findings) byFile.set(f.relPath, [...(byFile.get(f.relPath) ?? []), f]);
  const out = [XML_DECLARATION, '<checkstyle version="4.3">'];
  for (const [file, findings] of byFile) {
    out.push(`  <file name="${xmlEscape(file)}">`);
    for (const f of findings) {
      out.push(`    <error line="${f.start.line}" column="${f.start.column}" severity="${SEVERITY[f.finding.severity]}" message="${xmlEscape(f.finding.message)}" source="${xmlEscape(`shipshape.${f.finding.ruleId}`)}"/>`);
    }
    out.push('  </file>');
  }
  out.push('</checkstyle>', '');
  return out.join('\n');
}
