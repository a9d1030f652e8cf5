import { countBySeverity, type Report, type ReportedFinding } from '../report';
import { XML_DECLARATION, xmlEscape } from './xml';

/**
 * JUnit XML, as golangci-lint writes it: one `<testsuite>` per file with
 * findings, one failed `<testcase>` per finding (name = rule id, classname =
 * `file:line:col`). A clean audit is one passing test case, so CI test views
 * show the audit ran.
 */
export function formatJunit(report: Report): string {
  const seconds = (report.durationMs / 1000).toFixed(3);
  const byFile = new Map<string, ReportedFinding[]>();
  for (const f of report.findings) byFile.set(f.relPath, [...(byFile.get(f.relPath) ?? []), f]);
  const suites: string[] = [];
  for (const [file, findings] of byFile) {
    suites.push(`  <testsuite name="${xmlEscape(file)}" tests="${findings.length}" failures="${findings.length}" errors="0" skipped="0" time="0">`);
    for (const f of findings) {
      const where = `${f.relPath}:${f.start.line}:${f.start.column}`;
      suites.push(`    <testcase name="${xmlEscape(f.finding.ruleId)}" classname="${xmlEscape(where)}" time="0">`);
      suites.push(`      <failure message="${xmlEscape(`${where}: ${f.finding.message}`)}" type="${f.finding.severity}">${xmlEscape(detail(f))}</failure>`);
      suites.push('    </testcase>');
    }
    suites.push('  </testsuite>');
  }
  if (byFile.size === 0) {
    suites.push(`  <testsuite name="shipshape" tests="1" failures="0" errors="0" skipped="0" time="${seconds}">`);
    suites.push(`    <testcase name="audit" classname="shipshape" time="${seconds}"/>`);
    suites.push('  </testsuite>');
  }
  const total = Math.max(1, report.findings.length);
  const counts = countBySeverity(report.findings);
  return [
    XML_DECLARATION,
    `<testsuites name="shipshape" tests="${total}" failures="${report.findings.length}" errors="0" time="${seconds}">`,
    `  <!-- Shipshape ${xmlEscape(report.tool.version)}: ${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info in ${plural(report.filesAudited, 'file')} -->`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

function detail(f: ReportedFinding): string {
  const line = f.source.lineText(f.start.line - 1);
  return `${f.finding.severity}: ${f.finding.message} [${f.finding.ruleId}]\n${f.relPath}:${f.start.line}:${f.start.column}\n${line}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
