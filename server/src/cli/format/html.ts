import * as path from 'node:path';
import type { Severity } from '../../core/finding';
import { countBySeverity, relativePath, type Report, type ReportedFinding } from '../report';
import { ruleDocsLink } from './docs-link';
import { xmlEscape as esc } from './xml';

/**
 * How findings are grouped in the HTML report. Folders today; the service
 * model (module -> image -> workload) plugs in here as another grouping.
 */
export interface FindingGrouping {
  /** Heading word: "Folder", "Service". */
  noun: string;
  groupOf(f: ReportedFinding): string;
}

export const BY_FOLDER: FindingGrouping = {
  noun: 'Folder',
  groupOf: (f) => (path.posix.dirname(f.relPath) === '.' ? './' : `${path.posix.dirname(f.relPath)}/`),
};

export interface HtmlOptions {
  grouping?: FindingGrouping;
}

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
const COLOR: Record<Severity, string> = { error: '#c62828', warning: '#b26a00', info: '#1565c0' };
/** Lines of code shown around a finding. */
const CONTEXT_LINES = 2;

/**
 * One self-contained HTML file (no scripts, no external resources): counts by
 * severity and by rule with a bar chart, then the findings grouped (by
 * folder), each with a code excerpt and a link to its rule's docs.
 */
export function formatHtml(report: Report, options: HtmlOptions = {}): string {
  const grouping = options.grouping ?? BY_FOLDER;
  const counts = countBySeverity(report.findings);
  const byRule = new Map<string, { count: number; severity: Record<Severity, number> }>();
  for (const f of report.findings) {
    const r = byRule.get(f.finding.ruleId) ?? { count: 0, severity: { error: 0, warning: 0, info: 0 } };
    r.count++;
    r.severity[f.finding.severity]++;
    byRule.set(f.finding.ruleId, r);
  }
  const rules = [...byRule.entries()].sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]));
  const titleOf = new Map(report.rules.map((r) => [r.id, r.meta.title]));
  const groups = new Map<string, ReportedFinding[]>();
  for (const f of report.findings) {
    const g = grouping.groupOf(f);
    groups.set(g, [...(groups.get(g) ?? []), f]);
  }
  const total = report.findings.length;
  const skipped = report.notices.filter((n) => n.reason !== 'excluded');
  const body: string[] = [];
  body.push(`<h1>Shipshape report</h1>`);
  body.push(`<p class="meta">${total} finding${total === 1 ? '' : 's'} in ${report.filesAudited} file${report.filesAudited === 1 ? '' : 's'} · Shipshape ${esc(report.tool.version)}</p>`);
  body.push('<section class="cards">');
  for (const s of SEVERITIES) body.push(`<div class="card ${s}"><b>${counts[s]}</b><span>${s}</span></div>`);
  body.push('</section>');
  if (rules.length) {
    body.push('<h2>By rule</h2>', chart(rules, titleOf, report));
  }
  if (groups.size) body.push(`<h2>Findings by ${grouping.noun.toLowerCase()}</h2>`);
  for (const [group, findings] of [...groups.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    body.push(`<details open><summary><span class="group">${esc(group)}</span> <span class="n">${findings.length}</span></summary>`);
    for (const f of findings) body.push(findingHtml(f, report));
    body.push('</details>');
  }
  if (total === 0) body.push('<p class="clean">No findings.</p>');
  if (skipped.length) {
    body.push('<h2>Not audited</h2><ul class="skipped">');
    for (const n of skipped) body.push(`<li><code>${esc(relativePath(report.cwd, n.file))}</code>: ${esc(n.message)} (${n.reason})</li>`);
    body.push('</ul>');
  }
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>Shipshape report</title>',
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** Horizontal stacked bars (inline SVG): one row per rule, a segment per severity. */
function chart(rules: [string, { count: number; severity: Record<Severity, number> }][], titleOf: ReadonlyMap<string, string>, report: Report): string {
  const max = Math.max(...rules.map(([, r]) => r.count));
  const rowHeight = 22;
  const barWidth = 300;
  const rows = rules.map(([id, r], i) => {
    const y = i * rowHeight;
    let x = 0;
    const segments = SEVERITIES.filter((s) => r.severity[s] > 0).map((s) => {
      const w = Math.max(2, Math.round((r.severity[s] / max) * barWidth));
      const rect = `<rect x="${x}" y="${y + 4}" width="${w}" height="${rowHeight - 8}" fill="${COLOR[s]}"><title>${r.severity[s]} ${s}</title></rect>`;
      x += w;
      return rect;
    });
    return `${segments.join('')}<text x="${x + 6}" y="${y + rowHeight - 7}">${r.count}</text>`;
  });
  const svg = `<svg class="chart" role="img" aria-label="findings per rule" width="${barWidth + 40}" height="${rules.length * rowHeight}" viewBox="0 0 ${barWidth + 40} ${rules.length * rowHeight}">${rows.join('')}</svg>`;
  const table = rules.map(([id, r]) => {
    const cells = SEVERITIES.map((s) => `<td class="num">${r.severity[s] || ''}</td>`).join('');
    return `<tr><td><a href="${esc(ruleDocsLink(report.tool, id))}"><code>${esc(id)}</code></a></td><td>${esc(titleOf.get(id) ?? '')}</td>${cells}<td class="num"><b>${r.count}</b></td></tr>`;
  });
  return [
    '<div class="by-rule">',
    `<table><thead><tr><th>Rule</th><th>Title</th><th>error</th><th>warning</th><th>info</th><th>total</th></tr></thead><tbody>${table.join('')}</tbody></table>`,
    svg,
    '</div>',
  ].join('\n');
}

function findingHtml(f: ReportedFinding, report: Report): string {
  const first = Math.max(1, f.start.line - CONTEXT_LINES);
  const last = Math.min(f.source.lineCount, f.end.line + CONTEXT_LINES);
  const lines: string[] = [];
  for (let n = first; n <= last; n++) {
    const hit = n >= f.start.line && n <= f.end.line;
    lines.push(`<span class="ln${hit ? ' hit' : ''}"><i>${n}</i>${esc(f.source.lineText(n - 1)) || ' '}</span>`);
  }
  const s = f.finding.severity;
  return [
    `<article class="finding ${s}">`,
    `<header><span class="sev ${s}">${s}</span> <code class="loc">${esc(f.relPath)}:${f.start.line}:${f.start.column}</code> ${esc(f.finding.message)} <a class="rule" href="${esc(ruleDocsLink(report.tool, f.finding.ruleId))}">${esc(f.finding.ruleId)}</a></header>`,
    `<pre>${lines.join('\n')}</pre>`,
    '</article>',
  ].join('\n');
}

const STYLE = [
  'body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#222}',
  'h1{margin-bottom:0}.meta{color:#666;margin-top:.2rem}',
  '.cards{display:flex;gap:1rem;margin:1rem 0}.card{border:1px solid #ddd;border-radius:6px;padding:.5rem 1rem;min-width:6rem}',
  '.card b{display:block;font-size:1.6rem}.card.error b{color:#c62828}.card.warning b{color:#b26a00}.card.info b{color:#1565c0}',
  '.by-rule{display:flex;gap:2rem;align-items:flex-start;flex-wrap:wrap}table{border-collapse:collapse}td,th{padding:2px 8px;text-align:left;border-bottom:1px solid #eee}',
  '.num{text-align:right}.chart text{font-size:12px;fill:#444}',
  'details{margin:.5rem 0}summary{cursor:pointer;font-weight:600}.n{color:#666;font-weight:400}',
  '.finding{border-left:4px solid #ccc;margin:.6rem 0 .6rem 1rem;padding:.2rem .8rem}.finding.error{border-color:#c62828}.finding.warning{border-color:#b26a00}.finding.info{border-color:#1565c0}',
  '.sev{font-weight:600;text-transform:uppercase;font-size:11px}.sev.error{color:#c62828}.sev.warning{color:#b26a00}.sev.info{color:#1565c0}',
  '.rule{margin-left:.5rem;font-size:12px}pre{background:#f7f7f7;padding:.4rem;overflow-x:auto;margin:.3rem 0}',
  '.ln{display:block}.ln i{display:inline-block;width:3.5em;color:#999;font-style:normal;user-select:none}.ln.hit{background:#fff3cd}',
  '.clean{color:#2e7d32;font-weight:600}',
].join('\n');
